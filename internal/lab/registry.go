package lab

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/dockerlab/dockerlab/lab"
)

// Entry is one exercise of the registry, with its chapter.
type Entry struct {
	lab.Exercise
	Chapter *lab.Chapter
}

// Registry is every chapter manifest compiled into this binary.
type Registry struct {
	Chapters []*lab.Chapter
	Entries  []*Entry // chapter order, then manifest order
	byID     map[string]*Entry
}

// NewRegistry checks the manifests and indexes them. The manifests'
// own mistakes (a bad ID, a missing title, a chapter listed twice) are
// errors here, so every command reports them.
func NewRegistry(chapters []*lab.Chapter) (*Registry, error) {
	r := &Registry{byID: map[string]*Entry{}}
	sorted := append([]*lab.Chapter(nil), chapters...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	var errs []string
	seenCh := map[string]bool{}
	for _, ch := range sorted {
		if !regexp.MustCompile(`^ch[0-9][0-9]$`).MatchString(ch.ID) {
			errs = append(errs, fmt.Sprintf("chapter manifest %q: ID must be chNN", ch.ID))
		}
		if seenCh[ch.ID] {
			errs = append(errs, fmt.Sprintf("chapter %s is listed twice", ch.ID))
		}
		seenCh[ch.ID] = true
		if !strings.HasPrefix(ch.Dir, "chapters/") || ch.Files == nil {
			errs = append(errs, fmt.Sprintf("chapter %s: Dir must be chapters/… and Files the embedded lab/hints", ch.ID))
		}
		r.Chapters = append(r.Chapters, ch)
		for i := range ch.Exercises {
			e := &Entry{Exercise: ch.Exercises[i], Chapter: ch}
			switch {
			case !idPattern.MatchString(e.ID):
				errs = append(errs, fmt.Sprintf("exercise %q: an ID is chNN.kebab-name", e.ID))
			case !strings.HasPrefix(e.ID, ch.ID+"."):
				errs = append(errs, fmt.Sprintf("exercise %s is in chapter %s's manifest: its ID must start with %s.", e.ID, ch.ID, ch.ID))
			case r.byID[e.ID] != nil:
				errs = append(errs, fmt.Sprintf("exercise %s is declared twice", e.ID))
			}
			if e.Title.Zh == "" || e.Title.En == "" || e.Book == "" {
				errs = append(errs, fmt.Sprintf("exercise %s: Title (Zh and En) and Book are required", e.ID))
			}
			if e.Difficulty < 1 || e.Difficulty > 3 {
				errs = append(errs, fmt.Sprintf("exercise %s: Difficulty is 1, 2 or 3", e.ID))
			}
			switch e.Backend {
			case lab.Fake, lab.Both, lab.Linux:
			default:
				errs = append(errs, fmt.Sprintf("exercise %s: Backend is lab.Fake, lab.Both or lab.Linux", e.ID))
			}
			r.byID[e.ID] = e
			r.Entries = append(r.Entries, e)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("exercise manifests:\n  %s", strings.Join(errs, "\n  "))
	}
	return r, nil
}

// Get finds an exercise by ID.
func (r *Registry) Get(id string) (*Entry, bool) {
	e, ok := r.byID[id]
	return e, ok
}

// Chapter finds a chapter by ID.
func (r *Registry) Chapter(id string) *lab.Chapter {
	for _, ch := range r.Chapters {
		if ch.ID == id {
			return ch
		}
	}
	return nil
}

// Select resolves a comma-separated list of patterns — an ID
// (ch06.setup-iptables), a chapter (ch06), a glob (ch06.*, *.request-*),
// or "all" — to exercises, in registry order. Only exercises in scope
// (nil: all) can be selected. A pattern that selects nothing is an error.
func (r *Registry) Select(patterns string, scope map[string]bool) ([]*Entry, error) {
	chosen := map[string]bool{}
	for _, p := range strings.Split(patterns, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n := 0
		for _, e := range r.Entries {
			if scope != nil && !scope[e.ID] {
				continue
			}
			if matchPattern(p, e) {
				chosen[e.ID] = true
				n++
			}
		}
		if n == 0 {
			hint := "dockerlab lab list shows the exercises"
			if scope != nil {
				hint = "this student tree has only: " + strings.Join(sortedKeys(scope), ", ")
			}
			return nil, fmt.Errorf("no exercise matches %q (%s)", p, hint)
		}
	}
	var out []*Entry
	for _, e := range r.Entries {
		if chosen[e.ID] {
			out = append(out, e)
		}
	}
	return out, nil
}

func matchPattern(p string, e *Entry) bool {
	switch {
	case p == "all" || p == "*":
		return true
	case p == e.Chapter.ID:
		return true
	case strings.ContainsAny(p, "*?["):
		ok, _ := path.Match(p, e.ID)
		return ok
	}
	return p == e.ID
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestName is the test-name prefix derived from an exercise ID:
// ch06.setup-iptables → TestCh06SetupIptables. The exercise's tests are
// that name, or that name followed by "_" and anything
// (TestCh06SetupIptables_Icc); those whose suffix starts with "_Linux"
// need the real kernel.
func TestName(id string) string {
	var b strings.Builder
	b.WriteString("Test")
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '.' || r == '-' }) {
		rs := []rune(part)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}

// Hints are an exercise's progressive hints, one string per level.
type Hints struct {
	Zh, En []string
}

var (
	zhHintHeading = regexp.MustCompile(`^##\s*提示\s*([0-9]+)\s*$`)
	enHintHeading = regexp.MustCompile(`^##\s*Hint\s*([0-9]+)\s*$`)
)

// Hints reads an exercise's hint files from its chapter's embedded files.
func (r *Registry) Hints(e *Entry) (Hints, error) {
	var h Hints
	var err error
	if h.Zh, err = readHints(e.Chapter.Files, e.ID, "zh", zhHintHeading); err != nil {
		return h, err
	}
	if h.En, err = readHints(e.Chapter.Files, e.ID, "en", enHintHeading); err != nil {
		return h, err
	}
	if len(h.Zh) != len(h.En) {
		return h, fmt.Errorf("hints of %s: %d in 中文 but %d in English; give both the same levels", e.ID, len(h.Zh), len(h.En))
	}
	return h, nil
}

// hintFile is where a chapter keeps a hint file.
func hintFile(id, lang string) string { return "lab/hints/" + id + "." + lang + ".md" }

func readHints(files fs.FS, id, lang string, heading *regexp.Regexp) ([]string, error) {
	name := hintFile(id, lang)
	data, err := fs.ReadFile(files, name)
	if err != nil {
		return nil, fmt.Errorf("hints of %s: %v (each exercise has %s and its other language)", id, err, name)
	}
	var hints []string
	var cur []string
	in := false
	flush := func() {
		if in {
			hints = append(hints, strings.TrimSpace(strings.Join(cur, "\n")))
		}
		cur = nil
	}
	for _, line := range strings.Split(string(data), "\n") {
		if m := heading.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			flush()
			in = true
			if m[1] != fmt.Sprint(len(hints)+1) {
				return nil, fmt.Errorf("%s: hint %s where hint %d was expected (number them 1, 2, 3…)", name, m[1], len(hints)+1)
			}
			continue
		}
		if in {
			cur = append(cur, line)
		}
	}
	flush()
	for i, h := range hints {
		if h == "" {
			return nil, fmt.Errorf("%s: hint %d is empty", name, i+1)
		}
	}
	if len(hints) < 3 {
		return nil, fmt.Errorf("%s: %d hints; an exercise has at least 3 (concept and book section, the APIs to use, pseudo-code)", name, len(hints))
	}
	return hints, nil
}

// oneParagraph folds a hint into one line of text, for the stub comment
// and the not-started message.
func oneParagraph(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// bookRef is how messages cite an exercise's place in the book: "《Docker源码分析》§6.5",
// or the Book text as it is when it is not a section (the prologue).
func bookRef(book string) string {
	if strings.HasPrefix(book, "§") {
		return "《Docker源码分析》" + book
	}
	return book
}
