// The two upstream trees as data: docs/upstream/files-vX.Y.Z.txt lists
// every file of a tag (git ls-tree -r --name-only), so that a header's
// "PATH at vX.Y.Z" can be checked without a clone of moby/moby, and
// docs/upstream/not-reproduced.txt says why each file no dockerlab file
// reproduces was left out.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// releases are the tags dockerlab rebuilds, and the directory of each.
var releases = []struct{ Version, Dir string }{
	{"v0.1.0", "v0_1"},
	{"v1.2.0", "v1_2"},
}

// versionOfDir is the tag a header under dir must name.
func versionOfDir(dir string) string {
	for _, r := range releases {
		if dir == r.Dir {
			return r.Version
		}
	}
	return ""
}

// Tree is the file list of one upstream tag.
type Tree struct {
	Version string
	Files   []string        // sorted
	set     map[string]bool // files
	dirs    map[string]bool // every directory that holds a file
}

func fileListPath(version string) string {
	return filepath.Join("docs", "upstream", "files-"+version+".txt")
}

// loadTree reads docs/upstream/files-<version>.txt; ok is false when the
// file does not exist.
func loadTree(root, version string) (*Tree, bool, error) {
	f, err := os.Open(filepath.Join(root, fileListPath(version)))
	if os.IsNotExist(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	t := &Tree{Version: version, set: map[string]bool{}, dirs: map[string]bool{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		t.Files = append(t.Files, line)
		t.set[line] = true
		for d := path.Dir(line); d != "."; d = path.Dir(d) {
			t.dirs[d] = true
		}
	}
	sort.Strings(t.Files)
	return t, true, sc.Err()
}

// Has says whether p is a file or a directory of the tree.
func (t *Tree) Has(p string) bool {
	p = strings.TrimSuffix(p, "/")
	return t.set[p] || t.dirs[p]
}

// IsDir says whether p is a directory of the tree.
func (t *Tree) IsDir(p string) bool { return t.dirs[strings.TrimSuffix(p, "/")] }

// Suggest lists up to three paths of the tree a mistaken p may have
// meant: files with p's base name, then directories with its last element.
func (t *Tree) Suggest(p string) []string {
	p = strings.TrimSuffix(p, "/")
	base := path.Base(p)
	var out []string
	for _, f := range t.Files {
		if path.Base(f) == base && !strings.HasPrefix(f, "vendor/") && !strings.HasPrefix(f, "docs/") {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		var ds []string
		for d := range t.dirs {
			if path.Base(d) == base && !strings.HasPrefix(d, "vendor/") {
				ds = append(ds, d+"/")
			}
		}
		sort.Strings(ds)
		out = ds
	}
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

// Rule is one line of docs/upstream/not-reproduced.txt:
//
//	v1.2.0 PATTERN : why
//
// A PATTERN ending in "/" is a directory, from the top of the tree, and
// everything under it ("vendor/", "pkg/mount/"). A PATTERN without "/" is
// matched against the file's base name ("*_test.go", "MAINTAINERS");
// anything else against the whole path (path.Match), so a plain path names
// one file. The first rule that matches a file gives its reason.
type Rule struct {
	Version, Pattern, Reason string
	Line                     int
}

const rulesPath = "docs/upstream/not-reproduced.txt"

func (r Rule) Match(file string) bool {
	switch {
	case strings.HasSuffix(r.Pattern, "/"):
		return strings.HasPrefix(file, r.Pattern)
	case !strings.Contains(r.Pattern, "/"):
		ok, _ := path.Match(r.Pattern, path.Base(file))
		return ok
	default:
		ok, _ := path.Match(r.Pattern, file)
		return ok
	}
}

// Exact says whether the rule names one path of the tree ("registry.go",
// "daemon/build.go") rather than a family of files.
func (r Rule) Exact() bool {
	return !strings.HasSuffix(r.Pattern, "/") && !strings.ContainsAny(r.Pattern, "*?[")
}

// loadRules reads the reasons; a malformed line is a problem.
func loadRules(root string) ([]Rule, []Problem, error) {
	data, err := os.ReadFile(filepath.Join(root, rulesPath))
	if os.IsNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var rules []Rule
	var probs []Problem
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		head, reason, ok := strings.Cut(line, " : ")
		fields := strings.Fields(head)
		if !ok || len(fields) != 2 || strings.TrimSpace(reason) == "" {
			probs = append(probs, Problem{rulesPath, i + 1, "write each line as `vX.Y.Z PATTERN : why` (PATTERN a path, a directory ending in /, or a glob such as *_test.go)"})
			continue
		}
		rules = append(rules, Rule{Version: fields[0], Pattern: fields[1], Reason: strings.TrimSpace(reason), Line: i + 1})
	}
	return rules, probs, nil
}

// reasonFor is the first rule of version that matches file.
func reasonFor(rules []Rule, version, file string) (Rule, bool) {
	for _, r := range rules {
		if r.Version == version && r.Match(file) {
			return r, true
		}
	}
	return Rule{}, false
}

func suggestText(t *Tree, p string) string {
	s := t.Suggest(p)
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
}
