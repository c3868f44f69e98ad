package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// stubbedFiles returns the content of every file that holds a site of the
// exercises ids, with those sites stubbed (lazy: the lazy wrong answer
// instead). Files without such a site are not in the result.
func (l *Lab) stubbedFiles(ids map[string]bool, lazy bool) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, f := range l.Index.Files(ids) {
		src, err := os.ReadFile(l.Tree.Abs(f))
		if err != nil {
			return nil, err
		}
		data, err := l.stubFile(f, src, ids, lazy)
		if err != nil {
			return nil, err
		}
		out[f] = data
	}
	return out, nil
}

// stubFile stubs the sites of ids in one file's source.
func (l *Lab) stubFile(rel string, src []byte, ids map[string]bool, lazy bool) ([]byte, error) {
	sites, err := ScanFile(rel, src, l.zr)
	if err != nil {
		return nil, err
	}
	repl := map[*Site]string{}
	for _, s := range sites {
		if ids[s.ID] {
			repl[s] = siteText(s, l.st.stubLines(s, lazy))
		}
	}
	if len(repl) == 0 {
		return src, nil
	}
	out, err := rewriteSites(src, repl, nil, l.zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", rel, err)
	}
	return out, nil
}

// GenOptions are `lab gen`'s flags.
type GenOptions struct {
	Patterns  string
	Out       string
	Solutions string // directory for <id>.diff, outside Out; "" for none
	NoVerify  bool
}

// GenResult says what gen wrote.
type GenResult struct {
	Entries   []*Entry
	Files     int
	Stubbed   []string
	Solutions []string
}

// Gen writes a student tree: the tree's files with the selected exercises
// stubbed, never .git (its history holds the solutions) nor the wrong
// solutions, plus .lab/manifest.json. It then checks that the tree builds
// and that no removed line is left in it.
func (l *Lab) Gen(ctx context.Context, opts GenOptions, log io.Writer) (*GenResult, error) {
	if l.Tree.Student != nil {
		return nil, fmt.Errorf("%s is a student tree: lab gen runs in a full clone of dockerlab (it needs the original code)", l.Tree.Root)
	}
	entries, err := l.Select(opts.Patterns)
	if err != nil {
		return nil, err
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, err
	}
	if inside(out, l.Tree.Root) {
		return nil, fmt.Errorf("--out %s is inside the repository; a student tree is a repository of its own: put it elsewhere", out)
	}
	if ents, err := os.ReadDir(out); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("--out %s exists and is not empty; give a new directory", out)
	}
	var solDir string
	if opts.Solutions != "" {
		if solDir, err = filepath.Abs(opts.Solutions); err != nil {
			return nil, err
		}
		if inside(solDir, out) || solDir == out {
			return nil, fmt.Errorf("--solutions %s is inside --out %s: the solutions must stay out of the student tree", solDir, out)
		}
		if inside(solDir, l.Tree.Root) {
			return nil, fmt.Errorf("--solutions %s is inside the repository; put it elsewhere", solDir)
		}
	}
	ids := map[string]bool{}
	for _, e := range entries {
		ids[e.ID] = true
		if len(l.Index.ByID[e.ID]) == 0 {
			return nil, fmt.Errorf("exercise %s has no //lab: markers in this tree", e.ID)
		}
	}
	stubbed, err := l.stubbedFiles(ids, false)
	if err != nil {
		return nil, err
	}
	if err := l.writeTree(out, stubbed, entries); err != nil {
		return nil, err
	}
	res := &GenResult{Entries: entries, Files: len(l.Files), Stubbed: sortedKeysBytes(stubbed)}

	if solDir != "" {
		if err := os.MkdirAll(solDir, 0o755); err != nil {
			return nil, err
		}
		for _, e := range entries {
			others := map[string]bool{}
			for id := range ids {
				others[id] = id != e.ID
			}
			var diff strings.Builder
			for _, f := range l.Index.Files(map[string]bool{e.ID: true}) {
				src, err := os.ReadFile(l.Tree.Abs(f))
				if err != nil {
					return nil, err
				}
				solved, err := l.stubFile(f, src, others, false)
				if err != nil {
					return nil, err
				}
				diff.WriteString(unifiedDiff(f, stubbed[f], solved))
			}
			p := filepath.Join(solDir, e.ID+".diff")
			if err := os.WriteFile(p, []byte(diff.String()), 0o644); err != nil {
				return nil, err
			}
			res.Solutions = append(res.Solutions, p)
		}
		// all.diff: every solution at once, for exercises that share a
		// file (their own diffs then overlap in the imports).
		var all strings.Builder
		for _, f := range sortedKeysBytes(stubbed) {
			src, err := os.ReadFile(l.Tree.Abs(f))
			if err != nil {
				return nil, err
			}
			all.WriteString(unifiedDiff(f, stubbed[f], src))
		}
		p := filepath.Join(solDir, "all.diff")
		if err := os.WriteFile(p, []byte(all.String()), 0o644); err != nil {
			return nil, err
		}
		res.Solutions = append(res.Solutions, p)
	}

	if leaks := l.leaks(stubbed, out); len(leaks) > 0 {
		return res, fmt.Errorf("the student tree still holds code the exercises removed (a bug in the markers or the generator):\n  %s", strings.Join(leaks, "\n  "))
	}
	if !opts.NoVerify {
		if err := l.verifyGenerated(ctx, out, stubbed, log); err != nil {
			return res, err
		}
	}
	return res, nil
}

// writeTree copies the files, with stubbed content where given, and
// writes the student manifest.
func (l *Lab) writeTree(out string, stubbed map[string][]byte, entries []*Entry) error {
	m := StudentManifest{Tool: ToolVersion, SHA256: map[string]string{}}
	for _, e := range entries {
		m.Exercises = append(m.Exercises, e.ID)
	}
	for _, f := range l.Files {
		src := l.Tree.Abs(f)
		fi, err := os.Lstat(src)
		if err != nil {
			return err
		}
		dst := filepath.Join(out, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(src)
			if err != nil {
				return err
			}
			if err := os.Symlink(target, dst); err != nil {
				return err
			}
			continue
		}
		data, ok := stubbed[f]
		if !ok {
			if data, err = os.ReadFile(src); err != nil {
				return err
			}
		}
		if err := os.WriteFile(dst, data, fi.Mode().Perm()); err != nil {
			return err
		}
		if isGradedFile(f) {
			m.SHA256[f], _ = fileSHA256(dst)
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(out, filepath.FromSlash(manifestFile)), append(data, '\n'), 0o644)
}

// verifyGenerated builds the whole student tree and vets the stubbed
// packages.
func (l *Lab) verifyGenerated(ctx context.Context, out string, stubbed map[string][]byte, log io.Writer) error {
	g := &goTool{root: out, backend: "fake"}
	if ok, msg := g.build(ctx, "./..."); !ok {
		return fmt.Errorf("the student tree in %s does not build (go build ./...):\n%s", out, msg)
	}
	dirs := map[string]bool{}
	for f := range stubbed {
		dirs[path.Dir(f)] = true
	}
	if len(dirs) > 0 {
		if ok, msg := g.vet(ctx, "", sortedKeys(dirs)); !ok {
			return fmt.Errorf("go vet fails in the student tree %s:\n%s", out, msg)
		}
	}
	if log != nil {
		fmt.Fprintf(log, "checked: go build ./... and go vet of the %d stubbed package(s) pass in the student tree\n", len(dirs))
	}
	return nil
}

// inside: p is dir or below it.
func inside(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func sortedKeysBytes(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// minLeakLen is the shortest removed line the leak check looks for:
// shorter ones ("}", "return nil") are everywhere.
const minLeakLen = 10

// leaks looks for removed lines in a generated tree. A removed line
// counts when it is distinctive: at least minLeakLen characters and found
// nowhere in the original tree outside the removed code and the hint
// files (a hint that quotes a line of the solution verbatim is a leak).
func (l *Lab) leaks(stubbed map[string][]byte, out string) []string {
	removed := map[string]string{} // line → where it was removed
	elsewhere := map[string]bool{}
	for _, f := range l.Files {
		if isHintFile(f) {
			continue
		}
		data, err := os.ReadFile(l.Tree.Abs(f))
		if err != nil || !isText(data) {
			continue
		}
		if _, ok := stubbed[f]; !ok {
			for _, line := range strings.Split(string(data), "\n") {
				elsewhere[strings.TrimSpace(line)] = true
			}
			continue
		}
		sites, err := ScanFile(f, data, nil)
		if err != nil {
			continue
		}
		// Byte ranges removed in this file: the sites that were stubbed
		// (their text is no longer the original).
		var ranges [][2]int
		for _, s := range sites {
			if !bytes.Contains(stubbed[f], []byte(todoCall(s.ID))) {
				continue
			}
			ranges = append(ranges, [2]int{s.Start, s.End})
		}
		pos := 0
		for _, line := range strings.SplitAfter(string(data), "\n") {
			t := strings.TrimSpace(line)
			in := false
			for _, r := range ranges {
				if pos >= r[0] && pos < r[1] {
					in = true
				}
			}
			if in {
				if utf8.RuneCountInString(t) >= minLeakLen {
					removed[t] = fmt.Sprintf("%s:%d", f, 1+strings.Count(string(data[:pos]), "\n"))
				}
			} else {
				elsewhere[t] = true
			}
			pos += len(line)
		}
	}
	for t := range removed {
		if elsewhere[t] {
			delete(removed, t)
		}
	}
	if len(removed) == 0 {
		return nil
	}
	var found []string
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || !isText(data) {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		for i, line := range strings.Split(string(data), "\n") {
			if from, ok := removed[strings.TrimSpace(line)]; ok {
				found = append(found, fmt.Sprintf("%s:%d has %q, removed from %s", filepath.ToSlash(rel), i+1, strings.TrimSpace(line), from))
			}
		}
		return nil
	})
	sort.Strings(found)
	return found
}

// isHintFile: chapters/<dir>/lab/hints/….
func isHintFile(rel string) bool {
	parts := strings.Split(rel, "/")
	return len(parts) >= 5 && parts[0] == "chapters" && parts[2] == "lab" && parts[3] == "hints"
}

// isText: no NUL byte in the first 8 KiB, and not huge.
func isText(data []byte) bool {
	if len(data) > 4<<20 {
		return false
	}
	return !bytes.Contains(data[:min(len(data), 8192)], []byte{0})
}
