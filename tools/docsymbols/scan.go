// Finding citations in prose. A citation is an inline code span (text
// between single backticks) whose whole text is PKGDIR.Symbol or
// PKGDIR.Type.Member, optionally followed by a call's parentheses, where
// PKGDIR is a directory of this repository holding Go files. Anything else
// in backticks (commands, file names, flags) is not a citation and is left
// alone. Fenced code blocks are skipped: they hold commands and output,
// not references.
package main

import (
	"fmt"
	"regexp"
	"strings"
)

// Citation is one code reference found in a document.
type Citation struct {
	File   string
	Line   int
	Text   string // as written, e.g. "backend/fake.Kernel.Start()"
	Dir    string // "backend/fake"
	Symbol string // "Kernel.Start"
}

// Problem is one thing wrong in a document.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

var (
	codeSpan = regexp.MustCompile("`([^`\n]+)`")
	// dir/dir.Ident or dir.Ident.Ident, then an optional "(...)".
	citationRE = regexp.MustCompile(`^((?:[A-Za-z0-9_]+/)*[A-Za-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)(?:\(.*\))?$`)
	// Line-number citations: a source file with :N, a GitHub #L anchor, or
	// a code span that is just L123 / L12-L20.
	lineRefRE  = regexp.MustCompile(`[A-Za-z0-9_./-]+\.(?:go|c|h|s|sh|py|txtar)(?::[0-9]+)+\b|#L[0-9]+`)
	bareLineRE = regexp.MustCompile(`^L[0-9]+(?:-L?[0-9]+)?$`)
)

// fileExts are endings that make dir.X a file name, not a symbol.
var fileExts = map[string]bool{
	"go": true, "md": true, "txt": true, "txtar": true, "json": true, "sh": true,
	"tar": true, "yaml": true, "yml": true, "mod": true, "sum": true, "test": true, "db": true,
}

// scanDoc returns the citations of one document and its line-number
// citations as problems. isPkgDir says whether a path is a Go package
// directory of the repository.
func scanDoc(file, text string, isPkgDir func(string) bool) ([]Citation, []Problem) {
	var cites []Citation
	var probs []Problem
	fenced := false
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fenced = !fenced
			continue
		}
		for _, m := range lineRefRE.FindAllString(line, -1) {
			probs = append(probs, Problem{file, n, fmt.Sprintf("line-number citation %q: cite a symbol (pkg.Func) instead, line numbers go stale", m)})
		}
		if fenced {
			continue
		}
		for _, m := range codeSpan.FindAllStringSubmatch(line, -1) {
			span := strings.TrimSpace(m[1])
			if bareLineRE.MatchString(span) {
				probs = append(probs, Problem{file, n, fmt.Sprintf("line-number citation `%s`: cite a symbol instead", span)})
				continue
			}
			c := citationRE.FindStringSubmatch(span)
			if c == nil {
				continue
			}
			dir, sym := strings.TrimPrefix(c[1], "./"), c[2]
			if fileExts[strings.SplitN(sym, ".", 2)[0]] || !isPkgDir(dir) {
				continue
			}
			cites = append(cites, Citation{File: file, Line: n, Text: span, Dir: dir, Symbol: sym})
		}
	}
	return cites, probs
}
