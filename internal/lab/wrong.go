package lab

import (
	"fmt"
	"os"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// A wrong solution is a near miss of the real code that the exercise's
// tests must reject: chapters/<dir>/lab/wrong/<id>.txtar holds them. The
// archive's comment says, for each, what it gets wrong; each file section
// is named "NAME: SITE" and holds the code that replaces that site's body
// (or region) — SITE is the function as `dockerlab lab list --json` shows
// it in "sites" (IPAllocator.Acquire), with "#2" for a function's second
// region of the exercise. Several sections with one NAME make one wrong
// solution that changes several sites; sites not named keep the original.
// These files are never copied into a student tree.

// WrongSolution is one near miss: the code of some sites.
type WrongSolution struct {
	Name  string
	Sites map[*Site]string // replacement text (already in siteText form)
}

// wrongFile is where a chapter keeps an exercise's wrong solutions.
func wrongFile(e *Entry) string { return e.Chapter.Dir + "/lab/wrong/" + e.ID + ".txtar" }

// WrongSolutions reads an exercise's hand-written wrong solutions.
func (l *Lab) WrongSolutions(e *Entry) ([]*WrongSolution, error) {
	rel := wrongFile(e)
	data, err := os.ReadFile(l.Tree.Abs(rel))
	if err != nil {
		return nil, fmt.Errorf("%s: %v (every exercise has at least one hand-written wrong solution there)", rel, err)
	}
	ar := txtar.Parse(data)
	if strings.TrimSpace(string(ar.Comment)) == "" {
		return nil, fmt.Errorf("%s: say, above the first section, what each wrong solution gets wrong", rel)
	}
	byName := map[string]*WrongSolution{}
	var order []*WrongSolution
	for _, f := range ar.Files {
		name, siteName, ok := strings.Cut(f.Name, ":")
		name, siteName = strings.TrimSpace(name), strings.TrimSpace(siteName)
		if !ok || name == "" || siteName == "" {
			return nil, fmt.Errorf("%s: section %q: name sections \"NAME: SITE\" (e.g. \"blocking-acquire: IPAllocator.Acquire\")", rel, f.Name)
		}
		site, err := l.findSite(e.ID, siteName)
		if err != nil {
			return nil, fmt.Errorf("%s: section %q: %v", rel, f.Name, err)
		}
		ws := byName[name]
		if ws == nil {
			ws = &WrongSolution{Name: name, Sites: map[*Site]string{}}
			byName[name] = ws
			order = append(order, ws)
		}
		if _, dup := ws.Sites[site]; dup {
			return nil, fmt.Errorf("%s: %s changes %s twice", rel, name, siteName)
		}
		lines := strings.Split(strings.TrimRight(string(f.Data), "\n"), "\n")
		ws.Sites[site] = siteText(site, lines)
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("%s holds no wrong solution (sections \"NAME: SITE\")", rel)
	}
	return order, nil
}

// findSite resolves "Func" or "Func#N" among an exercise's sites.
func (l *Lab) findSite(id, name string) (*Site, error) {
	fn, nth, _ := strings.Cut(name, "#")
	ord := 0
	if nth != "" {
		if _, err := fmt.Sscanf(nth, "%d", &ord); err != nil || ord < 1 {
			return nil, fmt.Errorf("%q: #N counts from 1", name)
		}
		ord--
	}
	var found []*Site
	var names []string
	for _, s := range l.Index.ByID[id] {
		names = append(names, s.Func)
		if s.Func == fn && (s.Kind == FuncSite || s.Ordinal == ord) {
			found = append(found, s)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("%s has no site %q (its sites: %s)", id, name, strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("%q is ambiguous in %s (two packages have it)", name, id)
}

// wrongFiles applies a wrong solution to the original files.
func (l *Lab) wrongFiles(ws *WrongSolution) (map[string][]byte, error) {
	byFile := map[string]map[*Site]string{}
	for s, text := range ws.Sites {
		if byFile[s.File] == nil {
			byFile[s.File] = map[*Site]string{}
		}
		byFile[s.File][s] = text
	}
	out := map[string][]byte{}
	for f, repl := range byFile {
		src, err := os.ReadFile(l.Tree.Abs(f))
		if err != nil {
			return nil, err
		}
		// The sites were found in this same source (the index), so their
		// offsets hold.
		data, err := rewriteSites(src, repl, src, l.zr)
		if err != nil {
			return nil, fmt.Errorf("wrong solution %s: %s: %v", ws.Name, f, err)
		}
		out[f] = data
	}
	return out, nil
}
