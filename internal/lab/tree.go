// Package lab is `dockerlab lab`: classroom exercises made from the real
// code (docs/teaching.md). Markers in the code (//lab:exercise,
// //lab:begin … //lab:end, //lab:stub) say which function bodies or regions
// an exercise removes; this package finds them, replaces them with stubs
// that compile (lab.TODO), generates student trees, checks a student's work
// with the exercise's tests, and proves, in `lab verify`, that every check
// can tell a stub and a wrong answer from the real code.
//
// Not upstream: dockerlab's teaching tool. The files: tree.go (where the
// repository is, which files it has), markers.go (finding exercise sites),
// stub.go and zero.go (writing stubs), registry.go (the chapter
// manifests), hints.go, tests.go and gotool.go (finding and running the
// tests), check.go, gen.go, diff.go, verify.go, progress.go, readme.go,
// and cmd.go (the cobra commands).
package lab

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Module is the module path of the repository the tool works on.
const Module = "github.com/dockerlab/dockerlab"

// ToolVersion is written into a student tree's manifest; bump it when the
// manifest's format changes.
const ToolVersion = "dockerlab-lab/1"

// Tree is a dockerlab working tree: a full clone, or a student tree that
// `lab gen` wrote (it has .lab/manifest.json).
type Tree struct {
	Root    string           // absolute directory holding go.mod
	Student *StudentManifest // nil in a full clone
}

// FindTree walks up from dir to the directory whose go.mod declares the
// dockerlab module.
func FindTree(dir string) (*Tree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := abs; ; {
		if mod, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			if modulePath(mod) == Module {
				t := &Tree{Root: d}
				if err := t.loadStudentManifest(); err != nil {
					return nil, err
				}
				return t, nil
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil, fmt.Errorf("%s is not inside a dockerlab tree (no go.mod with module %s above it): cd into your clone or student tree, or pass -C DIR", abs, Module)
		}
		d = parent
	}
}

// modulePath reads the module line of a go.mod.
func modulePath(mod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(mod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// Abs turns a slash-separated path relative to the root into a file path.
func (t *Tree) Abs(rel string) string {
	return filepath.Join(t.Root, filepath.FromSlash(rel))
}

// Rel turns a file path into a slash-separated path relative to the root.
func (t *Tree) Rel(p string) string {
	r, err := filepath.Rel(t.Root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
}

// HasGit reports whether the tree is a git work tree (a clone; student
// trees have no .git: its history holds the solutions).
func (t *Tree) HasGit() bool {
	_, err := os.Stat(filepath.Join(t.Root, ".git"))
	return err == nil
}

// neverCopied says which files a student tree never gets: git's own
// directory, the tool's state, and the hand-written wrong solutions (near
// misses of the real code, kept for `lab verify` only).
func neverCopied(rel string) bool {
	first, _, _ := strings.Cut(rel, "/")
	if first == ".git" || first == ".lab" {
		return true
	}
	return isWrongSolutionFile(rel)
}

// isWrongSolutionFile matches chapters/<dir>/lab/wrong/<anything>.
func isWrongSolutionFile(rel string) bool {
	parts := strings.Split(rel, "/")
	return len(parts) >= 5 && parts[0] == "chapters" && parts[2] == "lab" && parts[3] == "wrong"
}

// Files lists the tree's files, slash-separated and sorted: what git
// tracks plus untracked files it does not ignore (the same set `make lint`
// checks), or, without git, a walk that honours .gitignore files. The
// never-copied files are left out.
func (t *Tree) Files() ([]string, error) {
	var files []string
	if t.HasGit() {
		cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
		cmd.Dir = t.Root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git ls-files in %s: %v: %s", t.Root, err, strings.TrimSpace(stderr.String()))
		}
		seen := map[string]bool{}
		for _, f := range strings.Split(string(out), "\x00") {
			if f == "" || seen[f] || neverCopied(f) {
				continue
			}
			seen[f] = true
			// A file deleted in the work tree but still in the index
			// is not there to copy.
			if fi, err := os.Lstat(t.Abs(f)); err != nil || fi.IsDir() {
				continue
			}
			files = append(files, f)
		}
	} else {
		var err error
		files, err = walkIgnoring(t.Root)
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// walkIgnoring lists the files under root that no .gitignore ignores.
func walkIgnoring(root string) ([]string, error) {
	var files []string
	var rules []ignoreRule
	var walk func(dir string) error
	walk = func(dir string) error {
		rel := ""
		if dir != root {
			r, _ := filepath.Rel(root, dir)
			rel = filepath.ToSlash(r)
		}
		n := len(rules)
		if data, err := os.ReadFile(filepath.Join(dir, ".gitignore")); err == nil {
			rules = append(rules, parseGitignore(rel, data)...)
		}
		defer func() { rules = rules[:n] }()
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := path.Join(rel, e.Name())
			if neverCopied(p) || ignored(rules, p, e.IsDir()) {
				continue
			}
			if e.IsDir() {
				if err := walk(filepath.Join(dir, e.Name())); err != nil {
					return err
				}
				continue
			}
			if e.Type()&fs.ModeType != 0 && e.Type()&fs.ModeSymlink == 0 {
				continue // sockets, pipes, devices
			}
			files = append(files, p)
		}
		return nil
	}
	return files, walk(root)
}

// ignoreRule is one line of a .gitignore: the common subset (negation,
// anchoring with "/", directory-only with a trailing "/", * ? [] and **).
type ignoreRule struct {
	base    string // directory of the .gitignore, relative to the root
	pattern string
	negate  bool
	dirOnly bool
	anchor  bool // the pattern has a "/" before its end: match from base
}

func parseGitignore(base string, data []byte) []ignoreRule {
	var rules []ignoreRule
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, " \r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r := ignoreRule{base: base}
		if strings.HasPrefix(line, "!") {
			r.negate, line = true, line[1:]
		}
		if strings.HasSuffix(line, "/") {
			r.dirOnly, line = true, strings.TrimSuffix(line, "/")
		}
		if strings.Contains(line, "/") {
			r.anchor, line = true, strings.TrimPrefix(line, "/")
		}
		r.pattern = line
		rules = append(rules, r)
	}
	return rules
}

// ignored applies the rules in order, the last match deciding.
func ignored(rules []ignoreRule, rel string, isDir bool) bool {
	result := false
	for _, r := range rules {
		if r.dirOnly && !isDir {
			continue
		}
		p := rel
		if r.base != "" {
			if !strings.HasPrefix(rel, r.base+"/") {
				continue
			}
			p = strings.TrimPrefix(rel, r.base+"/")
		}
		var ok bool
		if r.anchor {
			ok = globMatch(r.pattern, p)
		} else {
			ok = globMatch(r.pattern, path.Base(p))
		}
		if ok {
			result = !r.negate
		}
	}
	return result
}

// globMatch is path.Match with "**" matching any number of directories.
func globMatch(pattern, name string) bool {
	if !strings.Contains(pattern, "**") {
		ok, _ := path.Match(pattern, name)
		return ok
	}
	pp := strings.Split(pattern, "/")
	np := strings.Split(name, "/")
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if i == len(pp) {
			return j == len(np)
		}
		if pp[i] == "**" {
			for k := j; k <= len(np); k++ {
				if match(i+1, k) {
					return true
				}
			}
			return false
		}
		if j == len(np) {
			return false
		}
		ok, _ := path.Match(pp[i], np[j])
		return ok && match(i+1, j+1)
	}
	return match(0, 0)
}

// errNoGit explains why a command that needs the solutions cannot run in
// a student tree.
var errNoGit = errors.New("this tree has no git history, so the original code is not here " +
	"(a student tree made by `dockerlab lab gen` never contains the solutions; your teacher publishes them as diffs)")
