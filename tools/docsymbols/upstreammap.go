// docs/upstream-map.md, generated: for each release, every upstream file
// with the dockerlab files that reproduce it (from the headers' Upstream:
// lines), every upstream file no dockerlab file reproduces with the reason
// (docs/upstream/not-reproduced.txt, grouped by rule), and the dockerlab
// files that have no upstream original (Not upstream:). check-docs fails
// when the file on disk differs from what the headers say now.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

const (
	mapPath     = "docs/upstream-map.md"
	regenerate  = "go run ./tools/docsymbols -write-upstream-map"
	regenerate2 = "make upstream-map"
)

// repro is one dockerlab file reproducing (part of) an upstream path.
type repro struct {
	File, Symbols, Book string
}

var chapterNumRE = regexp.MustCompile(`\bch\.(\d+)`)

// chaptersOf shortens a Book: line to its chapter numbers, "ch.4, ch.12".
func chaptersOf(book string) string {
	seen := map[string]bool{}
	var out []string
	for _, m := range chapterNumRE.FindAllStringSubmatch(book, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, "ch."+m[1])
		}
	}
	return strings.Join(out, ", ")
}

func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// coverage says, for one release, who reproduces what and why the rest is
// left out.
type coverage struct {
	tree        *Tree
	reproduced  map[string][]repro // upstream path (file or dir/) → dockerlab files
	dirs        []string           // reproduced directories, "pkg/mflag/"
	left        map[string]Rule    // upstream file → the rule that explains it
	unexplained []string           // upstream files neither reproduced nor explained
	usedRules   map[int]bool
}

func computeCoverage(t *Tree, hs []Header, rules []Rule) *coverage {
	c := &coverage{tree: t, reproduced: map[string][]repro{}, left: map[string]Rule{}, usedRules: map[int]bool{}}
	for _, h := range hs {
		for _, u := range h.Upstream {
			if u.Version != t.Version || !t.Has(u.Path) {
				continue
			}
			key := strings.TrimSuffix(u.Path, "/")
			if t.IsDir(key) {
				key += "/"
			}
			c.reproduced[key] = append(c.reproduced[key], repro{h.File, u.Symbols, chaptersOf(h.Book)})
		}
	}
	for k := range c.reproduced {
		if strings.HasSuffix(k, "/") {
			c.dirs = append(c.dirs, k)
		}
	}
	sort.Strings(c.dirs)
	for _, f := range t.Files {
		if c.covered(f) {
			continue
		}
		if r, ok := reasonFor(rules, t.Version, f); ok {
			c.left[f] = r
			c.usedRules[r.Line] = true
			continue
		}
		c.unexplained = append(c.unexplained, f)
	}
	return c
}

func (c *coverage) covered(f string) bool {
	if len(c.reproduced[f]) > 0 {
		return true
	}
	for _, d := range c.dirs {
		if strings.HasPrefix(f, d) {
			return true
		}
	}
	return false
}

// coverageProblems: every upstream file is reproduced or explained; no
// rule names a file that is reproduced, and every rule explains something.
func coverageProblems(cs []*coverage, rules []Rule) []Problem {
	var probs []Problem
	for _, c := range cs {
		for _, f := range c.unexplained {
			probs = append(probs, Problem{rulesPath, 0, fmt.Sprintf("%s %s: no dockerlab header reproduces it and no line says why: add `%s %s : why` (or a pattern covering it), or name it on the `// Upstream:` line of the file that reproduces it", c.tree.Version, f, c.tree.Version, f)})
		}
	}
	byVersion := map[string]*coverage{}
	for _, c := range cs {
		byVersion[c.tree.Version] = c
	}
	for _, r := range rules {
		c := byVersion[r.Version]
		if c == nil {
			probs = append(probs, Problem{rulesPath, r.Line, fmt.Sprintf("unknown release %s: use v0.1.0 or v1.2.0", r.Version)})
			continue
		}
		if r.Exact() && c.tree.set[r.Pattern] && c.covered(r.Pattern) {
			probs = append(probs, Problem{rulesPath, r.Line, fmt.Sprintf("%s %s is reproduced now (a header names it): remove this line", r.Version, r.Pattern)})
			continue
		}
		if !c.usedRules[r.Line] {
			probs = append(probs, Problem{rulesPath, r.Line, fmt.Sprintf("%s %s matches no upstream file left unreproduced: remove or fix this line", r.Version, r.Pattern)})
		}
	}
	return probs
}

// renderMap writes docs/upstream-map.md.
func renderMap(cs []*coverage, hs []Header) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Upstream map\n\n")
	w("Which dockerlab file reproduces which file of Docker 0.1.0 and Docker 1.2.0, and why the\n")
	w("others are left out. **Generated** from the `// Upstream:` and `// Not upstream:` lines of\n")
	w("the headers in `v0_1/` and `v1_2/` (docs/design.md \"File headers\") and from\n")
	w("[docs/upstream/not-reproduced.txt](upstream/not-reproduced.txt): do not edit it by hand,\n")
	w("run `%s` (or `%s`);\n", regenerate2, regenerate)
	w("`make check-docs` fails when it is stale. The facts behind each release are in\n")
	w("[docs/upstream/](upstream/).\n")
	for _, c := range cs {
		t := c.tree
		nGo, nGoRepro := 0, 0
		nRepro := 0
		for _, f := range t.Files {
			isGo := strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") && !strings.HasPrefix(f, "vendor/")
			if isGo {
				nGo++
			}
			if c.covered(f) {
				nRepro++
				if isGo {
					nGoRepro++
				}
			}
		}
		dir := ""
		for _, r := range releases {
			if r.Version == t.Version {
				dir = r.Dir
			}
		}
		w("\n## Docker %s (`%s/`)\n\n", strings.TrimPrefix(t.Version, "v"), dir)
		w("%d of the %d files at %s are reproduced, %d of its %d Go files outside vendor/ and tests.\n",
			nRepro, len(t.Files), t.Version, nGoRepro, nGo)

		w("\n### Reproduced\n\n")
		w("| upstream (%s) | dockerlab | book |\n|---|---|---|\n", t.Version)
		var keys []string
		for k := range c.reproduced {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rs := c.reproduced[k]
			sort.Slice(rs, func(i, j int) bool { return rs[i].File < rs[j].File })
			var who, books []string
			seenBook := map[string]bool{}
			for _, r := range rs {
				s := "`" + r.File + "`"
				if r.Symbols != "" {
					s += " (" + r.Symbols + ")"
				}
				who = append(who, s)
				for _, ch := range strings.Split(r.Book, ", ") {
					if ch != "" && !seenBook[ch] {
						seenBook[ch] = true
						books = append(books, ch)
					}
				}
			}
			sort.Slice(books, func(i, j int) bool { return atoi(books[i][3:]) < atoi(books[j][3:]) })
			w("| `%s` | %s | %s |\n", k, cell(strings.Join(who, "; ")), strings.Join(books, ", "))
		}

		w("\n### Not reproduced\n\n")
		w("| upstream (%s) | why |\n|---|---|\n", t.Version)
		type group struct {
			rule  Rule
			files []string
		}
		var groups []*group
		byLine := map[int]*group{}
		for _, f := range t.Files {
			r, ok := c.left[f]
			if !ok {
				continue
			}
			g := byLine[r.Line]
			if g == nil {
				g = &group{rule: r}
				byLine[r.Line] = g
				groups = append(groups, g)
			}
			g.files = append(g.files, f)
		}
		sort.SliceStable(groups, func(i, j int) bool { return groups[i].rule.Line < groups[j].rule.Line })
		for _, g := range groups {
			what := "`" + g.rule.Pattern + "`"
			if len(g.files) > 1 || !g.rule.Exact() {
				what += fmt.Sprintf(" (%d file%s)", len(g.files), plural(len(g.files)))
			}
			w("| %s | %s |\n", what, cell(g.rule.Reason))
		}
		if len(c.unexplained) > 0 {
			for _, f := range c.unexplained {
				w("| `%s` | (no reason given yet) |\n", f)
			}
		}

		w("\n### dockerlab files with no upstream original\n\n")
		w("| dockerlab | why |\n|---|---|\n")
		for _, h := range hs {
			if h.Dir == dir && h.NotUpstream != "" {
				w("| `%s` | %s |\n", h.File, cell(h.NotUpstream))
			}
		}
	}
	return b.Bytes()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// upstreamMap builds the coverage of both releases and the map's text.
func upstreamMap(root string, trees map[string]*Tree, hs []Header) ([]byte, []Problem, error) {
	rules, probs, err := loadRules(root)
	if err != nil {
		return nil, nil, err
	}
	var cs []*coverage
	for _, r := range releases {
		if t := trees[r.Version]; t != nil {
			cs = append(cs, computeCoverage(t, hs, rules))
		}
	}
	if len(cs) == 0 {
		return nil, probs, nil
	}
	probs = append(probs, coverageProblems(cs, rules)...)
	return renderMap(cs, hs), probs, nil
}

// checkMapFresh compares the generated map with the file on disk.
func checkMapFresh(root string, want []byte) []Problem {
	if want == nil {
		return nil
	}
	got, err := os.ReadFile(filepath.Join(root, mapPath))
	if err == nil && bytes.Equal(got, want) {
		return nil
	}
	return []Problem{{mapPath, 0, fmt.Sprintf("stale (it no longer matches the headers and %s): regenerate it with `%s` (or `%s`) and commit it", rulesPath, regenerate2, regenerate)}}
}
