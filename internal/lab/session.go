package lab

import (
	"fmt"
	"os"
	"sort"
	"strings"
)

// Lab is one command's view of a tree: its files, exercise sites and
// exercise tests, and the manifests compiled into the binary.
type Lab struct {
	Tree  *Tree
	Reg   *Registry
	Files []string
	Index *Index
	Tests []TestFunc

	zr *zeroResolver
	st *stubber
}

// Open loads the tree around dir.
func Open(dir string, reg *Registry) (*Lab, error) {
	t, err := FindTree(dir)
	if err != nil {
		return nil, err
	}
	return load(t, reg)
}

func load(t *Tree, reg *Registry) (*Lab, error) {
	l := &Lab{Tree: t, Reg: reg, zr: newZeroResolver(t.Root), st: &stubber{reg: reg}}
	var err error
	if l.Files, err = t.Files(); err != nil {
		return nil, err
	}
	if l.Index, err = ScanTree(t, l.Files); err != nil {
		return nil, err
	}
	if l.Tests, err = DiscoverTests(t, l.Files); err != nil {
		return nil, err
	}
	return l, nil
}

// Scope is the exercises this tree offers: all of them in a clone, the
// selected ones in a student tree.
func (l *Lab) Scope() map[string]bool { return l.Tree.Scope() }

// Select resolves patterns within the tree's scope.
func (l *Lab) Select(patterns string) ([]*Entry, error) {
	return l.Reg.Select(patterns, l.Scope())
}

// InScope lists the exercises of this tree in order.
func (l *Lab) InScope() []*Entry {
	scope := l.Scope()
	var out []*Entry
	for _, e := range l.Reg.Entries {
		if scope == nil || scope[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// read returns a file's content, from override when it has it.
func (l *Lab) read(rel string, override map[string][]byte) ([]byte, error) {
	if data, ok := override[rel]; ok {
		return data, nil
	}
	return os.ReadFile(l.Tree.Abs(rel))
}

// todoSites finds where the exercise's lab.TODO call still is:
// "file:line (Func)" for each site whose text holds it. A file is read
// again (it may have changed since the index was made, or be overridden).
func (l *Lab) todoSites(id string, override map[string][]byte) []string {
	var where []string
	files := map[string]bool{}
	for _, s := range l.Index.ByID[id] {
		files[s.File] = true
	}
	call := todoCall(id)
	var names []string
	for f := range files {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		src, err := l.read(f, override)
		if err != nil {
			continue
		}
		sites, err := ScanFile(f, src, nil)
		if err != nil {
			// The markers are broken (the student edited them, or
			// emptied a region): fall back to a search of the whole
			// file's code. A //lab:stub directive names lab.TODO too,
			// but it is a comment, not the student's code.
			if n := todoLine(src, call); n > 0 {
				where = append(where, fmt.Sprintf("%s:%d", f, n))
			}
			continue
		}
		for _, s := range sites {
			if s.ID != id {
				continue
			}
			if i := strings.Index(string(src[s.Start:s.End]), call); i >= 0 {
				line := 1 + strings.Count(string(src[:s.Start+i]), "\n")
				where = append(where, fmt.Sprintf("%s:%d (%s)", f, line, s.Func))
			}
		}
	}
	return where
}

// testsOf lists the exercise's tests.
func (l *Lab) testsOf(id string) []TestFunc { return testsFor(l.Tests, id) }

// dirsOf lists the package directories an exercise's check vets: its
// sites' packages and its tests' packages.
func (l *Lab) dirsOf(id string) (vet, test []string) {
	vs, ts := map[string]bool{}, map[string]bool{}
	for _, s := range l.Index.ByID[id] {
		vs[s.Dir()] = true
	}
	for _, tf := range l.testsOf(id) {
		vs[tf.Dir] = true
		ts[tf.Dir] = true
	}
	return sortedKeys(vs), sortedKeys(ts)
}

// todoLine is the first line of src (from 1) that calls call outside a
// comment line, or 0.
func todoLine(src []byte, call string) int {
	for i, line := range strings.Split(string(src), "\n") {
		if t := strings.TrimSpace(line); strings.Contains(t, call) && !strings.HasPrefix(t, "//") {
			return i + 1
		}
	}
	return 0
}
