package lab

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// gitShow reads a file as git's HEAD has it.
func (l *Lab) gitShow(rel string) ([]byte, error) {
	if !l.Tree.HasGit() {
		return nil, errNoGit
	}
	cmd := exec.Command("git", "show", "HEAD:"+rel)
	cmd.Dir = l.Tree.Root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git show HEAD:%s: %v: %s", rel, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// originals returns, for each site of id in file rel, the original text
// (from git's HEAD) by site key, and HEAD's source.
func (l *Lab) originals(rel, id string) (map[string]string, []byte, error) {
	head, err := l.gitShow(rel)
	if err != nil {
		return nil, nil, err
	}
	sites, err := ScanFile(rel, head, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("HEAD's %s: %v", rel, err)
	}
	m := map[string]string{}
	for _, s := range sites {
		if s.ID != id {
			continue
		}
		text := string(head[s.Start:s.End])
		if strings.Contains(text, todoCall(id)) {
			return nil, nil, fmt.Errorf("HEAD's %s holds the stub of %s, not the original (was a stubbed file committed?); find the original with git log -p %s", rel, id, rel)
		}
		m[s.Key()] = text
	}
	return m, head, nil
}

// Start stubs an exercise in the working tree. A site already stubbed is
// left alone; a site whose code is neither the original nor the stub (the
// student's own work) is refused, unless force (then it is saved in
// .lab/backup first).
func (l *Lab) Start(id string, force bool) ([]string, error) {
	return l.restub(id, force, false)
}

// Reset puts the stub back, saving the student's code in .lab/backup.
func (l *Lab) Reset(id string) ([]string, error) {
	return l.restub(id, true, true)
}

func (l *Lab) restub(id string, force, reset bool) ([]string, error) {
	files := l.Index.Files(map[string]bool{id: true})
	if len(files) == 0 {
		return nil, fmt.Errorf("exercise %s has no //lab: markers in this tree", id)
	}
	var msgs []string
	for _, f := range files {
		src, err := os.ReadFile(l.Tree.Abs(f))
		if err != nil {
			return nil, err
		}
		sites, err := ScanFile(f, src, l.zr)
		if err != nil {
			return nil, err
		}
		var orig map[string]string
		if l.Tree.HasGit() {
			orig, _, _ = l.originals(f, id)
		}
		repl := map[*Site]string{}
		ownWork := false
		for _, s := range sites {
			if s.ID != id {
				continue
			}
			text := string(src[s.Start:s.End])
			stub := siteText(s, l.st.stubLines(s, false))
			switch {
			case strings.Contains(text, todoCall(id)) && !reset:
				continue // started already
			case sameCode(text, stub):
				continue
			case orig != nil && sameCode(orig[s.Key()], text):
			default:
				ownWork = true
			}
			repl[s] = stub
		}
		if len(repl) == 0 {
			msgs = append(msgs, fmt.Sprintf("%s: already stubbed", f))
			continue
		}
		if ownWork {
			if !force {
				return msgs, fmt.Errorf("%s: %s holds code that is neither the original nor the stub (your work?); `dockerlab lab reset %s` saves it in .lab/backup and stubs it again", f, id, id)
			}
			b, err := l.backup(id, f, src)
			if err != nil {
				return msgs, err
			}
			msgs = append(msgs, fmt.Sprintf("%s: your code was saved in %s", f, b))
		}
		out, err := rewriteSites(src, repl, nil, l.zr)
		if err != nil {
			return msgs, fmt.Errorf("%s: %v", f, err)
		}
		if err := writeKeepingMode(l.Tree.Abs(f), out); err != nil {
			return msgs, err
		}
		msg := fmt.Sprintf("%s: stubbed %s", f, describeSites(sites, id))
		if gone := removedImports(src, out); len(gone) > 0 {
			msg += fmt.Sprintf(" (imports only the removed code used are gone: %s; import again what you use)", strings.Join(gone, ", "))
		}
		msgs = append(msgs, msg)
	}
	return msgs, nil
}

// RestoreSolution puts the original code (from git's HEAD) back into the
// exercise's sites, saving what was there in .lab/backup.
func (l *Lab) RestoreSolution(id string) ([]string, error) {
	files := l.Index.Files(map[string]bool{id: true})
	if len(files) == 0 {
		return nil, fmt.Errorf("exercise %s has no //lab: markers in this tree", id)
	}
	var msgs []string
	for _, f := range files {
		orig, head, err := l.originals(f, id)
		if err != nil {
			return msgs, err
		}
		src, err := os.ReadFile(l.Tree.Abs(f))
		if err != nil {
			return msgs, err
		}
		sites, err := ScanFile(f, src, l.zr)
		if err != nil {
			return msgs, err
		}
		repl := map[*Site]string{}
		own := false
		for _, s := range sites {
			if s.ID != id {
				continue
			}
			o, ok := orig[s.Key()]
			if !ok {
				return msgs, fmt.Errorf("%s: HEAD has no %s in %s", f, s.Key(), f)
			}
			text := string(src[s.Start:s.End])
			if sameCode(text, o) {
				continue
			}
			if !sameCode(text, siteText(s, l.st.stubLines(s, false))) {
				own = true
			}
			repl[s] = o
		}
		if len(repl) == 0 {
			msgs = append(msgs, fmt.Sprintf("%s: already the original", f))
			continue
		}
		if own {
			b, err := l.backup(id, f, src)
			if err != nil {
				return msgs, err
			}
			msgs = append(msgs, fmt.Sprintf("%s: your code was saved in %s", f, b))
		}
		out, err := rewriteSites(src, repl, head, l.zr)
		if err != nil {
			return msgs, fmt.Errorf("%s: %v", f, err)
		}
		if err := writeKeepingMode(l.Tree.Abs(f), out); err != nil {
			return msgs, err
		}
		msgs = append(msgs, fmt.Sprintf("%s: restored the original %s", f, describeSites(sites, id)))
	}
	return msgs, nil
}

// Solution returns the original code of an exercise's sites, as a
// reader wants it: each function whole, each region with its function's
// name.
func (l *Lab) Solution(id string) (string, error) {
	var b strings.Builder
	for _, f := range l.Index.Files(map[string]bool{id: true}) {
		head, err := l.gitShow(f)
		if err != nil {
			return "", err
		}
		sites, err := ScanFile(f, head, nil)
		if err != nil {
			return "", err
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, head, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		tf := fset.File(file.Pos())
		for _, s := range sites {
			if s.ID != id {
				continue
			}
			if strings.Contains(string(head[s.Start:s.End]), todoCall(id)) {
				return "", fmt.Errorf("HEAD's %s holds the stub of %s, not the original", f, id)
			}
			fmt.Fprintf(&b, "// %s:%d — %s\n", f, s.FirstStmtLine, s.Func)
			if s.Kind == RegionSite {
				b.WriteString(string(head[s.Start:s.End]))
				b.WriteString("\n")
				continue
			}
			// The whole declaration, from "func" to its closing brace.
			for _, d := range file.Decls {
				if d.Pos() <= token.Pos(tf.Base()+s.Start) && token.Pos(tf.Base()+s.End) < d.End() {
					b.WriteString(string(head[tf.Offset(d.Pos()):tf.Offset(d.End())]))
					b.WriteString("\n\n")
				}
			}
		}
	}
	return b.String(), nil
}

// describeSites is "setupIPTables" or "IPAllocator.populate (region), …".
func describeSites(sites []*Site, id string) string {
	var parts []string
	for _, s := range sites {
		if s.ID != id {
			continue
		}
		if s.Kind == RegionSite {
			parts = append(parts, s.Func+" (region)")
		} else {
			parts = append(parts, s.Func)
		}
	}
	return strings.Join(parts, ", ")
}

// backup saves a file's current content under .lab/backup/<id>/<time>/.
func (l *Lab) backup(id, rel string, data []byte) (string, error) {
	dir := filepath.Join(labDir, "backup", id, time.Now().Format("20060102-150405.000"))
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := writeFileAtomic(l.Tree.Abs(filepath.ToSlash(p)), data, 0o644); err != nil {
		return "", err
	}
	return filepath.ToSlash(p), nil
}

// writeKeepingMode replaces a file atomically, keeping its permissions.
func writeKeepingMode(p string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(p); err == nil {
		mode = fi.Mode().Perm()
	}
	return writeFileAtomic(p, data, mode)
}

// sameCode compares two pieces of code line by line, ignoring
// indentation and blank lines (gofmt may have re-indented one).
func sameCode(a, b string) bool {
	norm := func(s string) []string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if t := strings.TrimSpace(l); t != "" {
				out = append(out, t)
			}
		}
		return out
	}
	x, y := norm(a), norm(b)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// removedImports lists the import paths of before that after lacks.
func removedImports(before, after []byte) []string {
	paths := func(src []byte) map[string]bool {
		m := map[string]bool{}
		if f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly); err == nil {
			for _, is := range f.Imports {
				m[strings.Trim(is.Path.Value, `"`)] = true
			}
		}
		return m
	}
	b, a := paths(before), paths(after)
	var gone []string
	for p := range b {
		if !a[p] {
			gone = append(gone, p)
		}
	}
	sort.Strings(gone)
	return gone
}
