// Citations of .md files: the repository stands alone (docs/design.md
// "The repository stands alone"), so every file name ending in ".md" that
// a comment or a document names must be a file of the repository — relative to the
// citing file's directory, as a Markdown link resolves it, or to the
// repository root — or a path of one of the upstream trees (a file of
// Docker itself, such as docs/images-repositories-push-pull.md). A name
// that follows ":" or "/" is part of a URL or of an owner/repo:path
// reference to another project and is left alone.
package main

import (
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

var mdRefRE = regexp.MustCompile(`(?:\.{1,2}/)*(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.md\b`)

// outside names the files of the team's private folder that code once
// cited, and where their facts live in the repository now.
var outside = map[string]string{
	"design.md":                        "docs/design.md",
	"upstream-v1_2.md":                 "docs/upstream/v1.2.0.md",
	"upstream-v0_1.md":                 "docs/upstream/v0.1.0.md",
	"testing-real-and-fake-kernels.md": "docs/kernels.md",
	"book-chapters.md":                 "chapters/README.md",
	"registry-and-build.md":            "",
	"teaching.md":                      "",
}

// scanTextExts are the files whose whole text is read; Go files are read
// for their comments only (a string in code is data, not a citation).
var scanTextExts = map[string]bool{".md": true, ".sh": true, ".txtar": true, ".txt": true, ".yml": true, ".yaml": true}

func mdScanFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			n := d.Name()
			if rel != "." && (strings.HasPrefix(n, ".") || n == "build" || n == "testdata" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		ext := path.Ext(rel)
		switch {
		case strings.HasPrefix(rel, "docs/upstream/") && ext == ".txt", rel == mapPath:
			// data about the upstream trees, which name upstream's own
			// files (docs/upstream-map.md is generated from that data)
		case ext == ".go" || scanTextExts[ext] || path.Base(rel) == "Makefile":
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// textOf is what of a file may cite: all of it, or a Go file's comments
// with their line numbers kept (everything else blanked).
func textOf(name string, data []byte) string {
	if !strings.HasSuffix(name, ".go") {
		return string(data)
	}
	out := make([]byte, len(data))
	for i, c := range data {
		out[i] = ' '
		if c == '\n' {
			out[i] = c
		}
	}
	fset := token.NewFileSet()
	f := fset.AddFile(name, -1, len(data))
	var s scanner.Scanner
	s.Init(f, data, nil, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.COMMENT {
			off := f.Offset(pos)
			copy(out[off:], lit)
		}
	}
	return string(out)
}

func checkMDRefs(root string, trees map[string]*Tree) ([]Problem, error) {
	files, err := mdScanFiles(root)
	if err != nil {
		return nil, err
	}
	var probs []Problem
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return nil, err
		}
		for i, line := range strings.Split(textOf(f, data), "\n") {
			for _, loc := range mdRefRE.FindAllStringIndex(line, -1) {
				if loc[0] > 0 && strings.ContainsRune(":/@\\", rune(line[loc[0]-1])) {
					continue
				}
				ref := line[loc[0]:loc[1]]
				// A Markdown link's target resolves from the linking
				// file's directory only, as a reader's browser does.
				link := loc[0] > 1 && line[loc[0]-2:loc[0]] == "]("
				if mdRefResolves(root, f, ref, link, trees) {
					continue
				}
				probs = append(probs, Problem{f, i + 1, mdRefMessage(f, ref)})
			}
		}
	}
	return probs, nil
}

func mdRefResolves(root, file, ref string, link bool, trees map[string]*Tree) bool {
	candidates := []string{path.Join(path.Dir(file), ref), path.Clean(ref)}
	if link {
		candidates = candidates[:1]
	}
	for _, p := range candidates {
		if strings.HasPrefix(p, "../") {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err == nil {
			return true
		}
	}
	if strings.Contains(ref, "/") && !link {
		for _, t := range trees {
			if t != nil && t.Has(ref) {
				return true
			}
		}
	}
	return false
}

func mdRefMessage(file, ref string) string {
	msg := fmt.Sprintf("cites %s, which is not a file of the repository (looked beside %s and at the root)", ref, file)
	if to, known := outside[path.Base(ref)]; known {
		if to != "" {
			return msg + fmt.Sprintf(": that file is outside the repository; cite %s (same section numbers) instead", to)
		}
		return msg + ": that file is outside the repository and has no copy here; write the facts you need into docs/ in your own words and cite that"
	}
	return msg + ": fix the path, or cite docs/design.md, docs/kernels.md, docs/notes.md or docs/upstream/ instead"
}
