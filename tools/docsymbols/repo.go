// Walking the repository: which documents to read and how to check what
// they cite.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// docFiles lists the documents to check, relative to root: README*.md at
// the top, every .md under docs/ and chapters/, and every file under
// walkthroughs/ except Go sources (the harness itself).
func docFiles(root string) ([]string, error) {
	var files []string
	top, err := filepath.Glob(filepath.Join(root, "README*.md"))
	if err != nil {
		return nil, err
	}
	for _, f := range top {
		rel, _ := filepath.Rel(root, f)
		files = append(files, rel)
	}
	walk := func(dir string, keep func(string) bool) error {
		base := filepath.Join(root, dir)
		if _, err := os.Stat(base); err != nil {
			return nil // the folder does not exist yet
		}
		return filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && keep(p) {
				rel, _ := filepath.Rel(root, p)
				files = append(files, rel)
			}
			return nil
		})
	}
	isMD := func(p string) bool { return strings.HasSuffix(p, ".md") }
	for _, dir := range []string{"docs", "chapters"} {
		if err := walk(dir, isMD); err != nil {
			return nil, err
		}
	}
	if err := walk("walkthroughs", func(p string) bool { return !strings.HasSuffix(p, ".go") }); err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

// checkRepo scans every document and returns its problems in file order
// and the number of citations checked.
func checkRepo(root string) ([]Problem, int, error) {
	files, err := docFiles(root)
	if err != nil {
		return nil, 0, err
	}
	cache := map[string]map[string]bool{} // dir → declared names (nil: not a package)
	lookup := func(dir string) (map[string]bool, error) {
		if names, seen := cache[dir]; seen {
			return names, nil
		}
		names, ok, err := declared(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", dir, err)
		}
		if !ok {
			names = nil
		}
		cache[dir] = names
		return names, nil
	}
	var parseErr error
	isPkgDir := func(dir string) bool {
		names, err := lookup(dir)
		if err != nil && parseErr == nil {
			parseErr = err
		}
		return names != nil
	}

	var problems []Problem
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			return nil, 0, err
		}
		cites, probs := scanDoc(filepath.ToSlash(f), string(data), isPkgDir)
		problems = append(problems, probs...)
		for _, c := range cites {
			checked++
			names, _ := lookup(c.Dir)
			if !names[c.Symbol] {
				problems = append(problems, Problem{c.File, c.Line,
					fmt.Sprintf("`%s`: package %s declares no %s", c.Text, c.Dir, c.Symbol)})
			}
		}
	}
	if parseErr != nil {
		return nil, 0, parseErr
	}
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].File != problems[j].File {
			return problems[i].File < problems[j].File
		}
		return problems[i].Line < problems[j].Line
	})
	return problems, checked, nil
}
