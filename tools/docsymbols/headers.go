// The header grammar of v0_1/ and v1_2/ (docs/design.md "File headers").
// In the comment above `package`, every non-test Go file has
//
//	// Upstream: PATH at vX.Y.Z (Symbols…), PATH at vX.Y.Z (…).   exactly one of these two,
//	// Not upstream: why                                         possibly wrapped
//	// Book: ch.N §N.M …                                         at most one
//	// Notes: NNN "section title", …                             at most one
//
// in that order. Each PATH must exist at its tag (docs/upstream/files-*.txt)
// and the tag must be the directory's own release. Every message says
// which file and what to write.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// UpstreamRef is one "PATH at vX.Y.Z (Symbols)" entry.
type UpstreamRef struct {
	Path, Version, Symbols string
}

// Header is what a file's header says about its origins.
type Header struct {
	File        string // slash path from the repository root
	Dir         string // "v0_1" or "v1_2"
	Upstream    []UpstreamRef
	NotUpstream string // the reason, when the file has no original
	Book        string
	Notes       string
}

const (
	kwUpstream    = "// Upstream: "
	kwNotUpstream = "// Not upstream: "
	kwBook        = "// Book: "
	kwNotes       = "// Notes: "
)

var (
	packageRE   = regexp.MustCompile(`^package\s+\w+`)
	nearMissRE  = regexp.MustCompile(`^//\s*(?i:not\s+upstream|upstream|book|notes?)\s*:`)
	entryRE     = regexp.MustCompile(`^([A-Za-z0-9_.\-/]+)\s+at\s+(v\d+\.\d+\.\d+)`)
	bookStartRE = regexp.MustCompile(`^ch\.\d+`)
	chapterRE   = regexp.MustCompile(`\bch\.(\d+)`)
	notesRE     = regexp.MustCompile(`^00[0-4]\b`)
	badNoteRE   = regexp.MustCompile(`\b00[5-9]\b`)
	proseBookRE = regexp.MustCompile(`\b[Bb]ook:?\s+(?:《Docker源码分析》\s*)?ch\.\d+`)
	proseNoteRE = regexp.MustCompile(`\b(?:[Nn]otes?|[Rr]eader's notes)\s+00[0-4]\b`)
)

const grammarHint = "docs/design.md \"File headers\""

// headerFiles lists the non-test Go files of v0_1/ and v1_2/.
func headerFiles(root string) ([]string, error) {
	var files []string
	for _, r := range releases {
		base := filepath.Join(root, r.Dir)
		if _, err := os.Stat(base); err != nil {
			continue
		}
		err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			n := d.Name()
			if strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
				rel, _ := filepath.Rel(root, p)
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// keyword says which of the four header lines line is, if any.
func keyword(line string) string {
	for _, k := range []string{kwUpstream, kwNotUpstream, kwBook, kwNotes} {
		if strings.HasPrefix(line, k) {
			return k
		}
	}
	return ""
}

// paragraph joins the keyword line i with the comment lines that continue
// it: lines "// word…" up to a bare "//", an indented "//   " line, another
// keyword line or the end of the comment.
func paragraph(lines []string, i int, kw string) string {
	parts := []string{strings.TrimSpace(strings.TrimPrefix(lines[i], kw))}
	for j := i + 1; j < len(lines); j++ {
		l := lines[j]
		if !strings.HasPrefix(l, "// ") || len(l) < 4 || l[3] == ' ' || l[3] == '\t' || keyword(l) != "" {
			break
		}
		parts = append(parts, strings.TrimSpace(l[3:]))
	}
	return strings.Join(parts, " ")
}

// parseHeader reads one file's header and checks its grammar; trees gives
// the upstream file lists (nil for a version whose list is missing).
func parseHeader(file, src string, trees map[string]*Tree) (Header, []Problem) {
	h := Header{File: file, Dir: strings.SplitN(file, "/", 2)[0]}
	want := versionOfDir(h.Dir)
	lines := strings.Split(src, "\n")
	end := len(lines)
	for i, l := range lines {
		if packageRE.MatchString(l) {
			end = i
			break
		}
	}
	var probs []Problem
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{file, line, fmt.Sprintf(format, args...)})
	}
	seen := map[string][]int{}
	order := []string{}
	for i, l := range lines {
		kw := keyword(l)
		if kw == "" {
			if i < end && nearMissRE.MatchString(l) {
				add(i+1, "%q: write the header line exactly as `// Upstream: `, `// Not upstream: `, `// Book: ` or `// Notes: ` (%s)", strings.TrimSpace(l), grammarHint)
			}
			continue
		}
		if i >= end {
			add(i+1, "`%s` below the package clause: move it into the header comment above `package`", strings.TrimSpace(kw))
			continue
		}
		seen[kw] = append(seen[kw], i)
		order = append(order, kw)
	}

	origins := len(seen[kwUpstream]) + len(seen[kwNotUpstream])
	switch {
	case origins == 0:
		add(1, "no `// Upstream: PATH at %s (Symbols)` or `// Not upstream: why` line in the header (the comment above `package`): add one, with PATH as docs/upstream/files-%s.txt lists it (%s)", want, want, grammarHint)
	case origins > 1:
		all := append(append([]int{}, seen[kwUpstream]...), seen[kwNotUpstream]...)
		sort.Ints(all)
		add(all[1]+1, "%d `Upstream:`/`Not upstream:` lines: keep exactly one (several upstream files go on the one line, comma separated)", origins)
	}
	for _, kw := range []string{kwBook, kwNotes} {
		if n := len(seen[kw]); n > 1 {
			add(seen[kw][1]+1, "%d `%s` lines: keep one (several chapters or notes go on the one line)", n, strings.TrimSpace(kw))
		}
	}
	// Order: the origin, then Book, then Notes.
	rank := map[string]int{kwUpstream: 0, kwNotUpstream: 0, kwBook: 1, kwNotes: 2}
	for k := 1; k < len(order); k++ {
		if rank[order[k]] < rank[order[k-1]] {
			add(1, "header lines out of order: write `Upstream:` (or `Not upstream:`), then `Book:`, then `Notes:`")
			break
		}
	}

	if is := seen[kwUpstream]; len(is) > 0 {
		i := is[0]
		text := paragraph(lines, i, kwUpstream)
		h.Upstream, probs = parseUpstream(file, i+1, text, want, trees, probs)
	}
	if is := seen[kwNotUpstream]; len(is) > 0 {
		h.NotUpstream = paragraph(lines, is[0], kwNotUpstream)
		if strings.Trim(h.NotUpstream, " .") == "" {
			add(is[0]+1, "`// Not upstream:` needs the reason the file exists")
		}
		checkProse(file, is[0]+1, h.NotUpstream, &probs)
	}
	if is := seen[kwBook]; len(is) > 0 {
		h.Book = paragraph(lines, is[0], kwBook)
		if !bookStartRE.MatchString(h.Book) {
			add(is[0]+1, "`// Book:` starts with the chapter, `ch.N` (e.g. `// Book: ch.12 §12.4 启动容器`), got %q", clip(h.Book))
		}
		for _, m := range chapterRE.FindAllStringSubmatch(h.Book, -1) {
			if n := atoi(m[1]); n < 1 || n > 17 {
				add(is[0]+1, "`// Book:` cites ch.%s; the book has chapters 1–17", m[1])
			}
		}
	}
	if is := seen[kwNotes]; len(is) > 0 {
		h.Notes = paragraph(lines, is[0], kwNotes)
		if !notesRE.MatchString(h.Notes) || badNoteRE.MatchString(h.Notes) {
			add(is[0]+1, "`// Notes:` cites the notes by number, 000–004, then the section title (e.g. `// Notes: 002 \"创建runtime\"`; docs/notes.md), got %q", clip(h.Notes))
		}
	}
	// A header that cites the book or a note in its prose must say so on
	// the Book: or Notes: line, where docs/upstream-map.md reads it.
	prose := strings.Join(lines[:end], "\n")
	if len(seen[kwBook]) == 0 {
		if m := proseBookRE.FindString(prose); m != "" {
			add(1, "the header cites the book (%q) but has no `// Book: ch.N …` line: add one after the `Upstream:` line", m)
		}
	}
	if len(seen[kwNotes]) == 0 {
		if m := proseNoteRE.FindString(prose); m != "" {
			add(1, "the header cites a note (%q) but has no `// Notes: NNN \"section\"` line: add one after the `Book:` line", m)
		}
	}
	return h, probs
}

// parseUpstream reads "PATH at vX.Y.Z (Symbols), PATH at vX.Y.Z …" and
// checks every path against its tag.
func parseUpstream(file string, line int, text, want string, trees map[string]*Tree, probs []Problem) ([]UpstreamRef, []Problem) {
	add := func(format string, args ...any) {
		probs = append(probs, Problem{file, line, fmt.Sprintf(format, args...)})
	}
	var refs []UpstreamRef
	rest := text
	for {
		m := entryRE.FindStringSubmatch(rest)
		if m == nil {
			add("`// Upstream:` must start each entry with `PATH at %s`, PATH a file or directory of docs/upstream/files-%s.txt, symbols in parentheses after it; got %q (%s)", want, want, clip(rest), grammarHint)
			return refs, probs
		}
		ref := UpstreamRef{Path: m[1], Version: m[2]}
		rest = strings.TrimLeft(rest[len(m[0]):], " ")
		if strings.HasPrefix(rest, "(") {
			depth, j := 0, 0
			for j = 0; j < len(rest); j++ {
				if rest[j] == '(' {
					depth++
				} else if rest[j] == ')' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if depth != 0 {
				add("`// Upstream:` entry %s: unbalanced parentheses", ref.Path)
				return refs, probs
			}
			ref.Symbols = strings.TrimSpace(rest[1:j])
			rest = strings.TrimLeft(rest[j+1:], " ")
		}
		refs = append(refs, ref)
		if ref.Version != want && want != "" {
			add("upstream path %s at %s: files under %s/ reproduce %s; name the %s file (a later release goes in the prose after the entry)", ref.Path, ref.Version, strings.SplitN(file, "/", 2)[0], want, want)
		} else if t := trees[ref.Version]; t != nil && !t.Has(ref.Path) {
			add("upstream path %s does not exist at %s (docs/upstream/files-%s.txt)%s: name the file of %s that holds this code", ref.Path, ref.Version, ref.Version, suggestText(t, ref.Path), ref.Version)
		}
		if strings.HasPrefix(rest, ",") {
			rest = strings.TrimPrefix(strings.TrimLeft(rest[1:], " "), "and ")
			continue
		}
		if rest != "" && rest[0] != '.' && rest[0] != ';' {
			add("`// Upstream:` after %s at %s write `,` and the next `PATH at VERSION`, or end the entries with `.` and put prose after it; got %q", ref.Path, ref.Version, clip(rest))
			return refs, probs
		}
		checkProse(file, line, rest, &probs)
		return refs, probs
	}
}

// checkProse refuses book and note citations inside the Upstream or Not
// upstream paragraph: they belong on their own lines.
func checkProse(file string, line int, text string, probs *[]Problem) {
	if m := proseBookRE.FindString(text); m != "" {
		*probs = append(*probs, Problem{file, line, fmt.Sprintf("the `Upstream:`/`Not upstream:` paragraph cites the book (%q): move it to its own `// Book: ch.N …` line", m)})
	}
	if m := proseNoteRE.FindString(text); m != "" {
		*probs = append(*probs, Problem{file, line, fmt.Sprintf("the `Upstream:`/`Not upstream:` paragraph cites a note (%q): move it to its own `// Notes: NNN \"section\"` line", m)})
	}
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "…"
	}
	return s
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// checkHeaders parses every header; it returns the headers (for the map)
// and their problems.
func checkHeaders(root string, trees map[string]*Tree) ([]Header, []Problem, error) {
	files, err := headerFiles(root)
	if err != nil {
		return nil, nil, err
	}
	var hs []Header
	var probs []Problem
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return nil, nil, err
		}
		h, p := parseHeader(f, string(data), trees)
		hs = append(hs, h)
		probs = append(probs, p...)
	}
	return hs, probs, nil
}
