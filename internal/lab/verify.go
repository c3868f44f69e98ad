package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// VerifyOptions are `lab verify`'s flags.
type VerifyOptions struct {
	Patterns string // which exercises get the per-exercise checks
	Jobs     int
	Keep     bool
}

var errVerifyFailed = errors.New("lab verify failed")

// exerciseTestName: a test named like an exercise's (TestCh06…).
var exerciseTestName = regexp.MustCompile(`^TestCh[0-9][0-9][A-Z]`)

// verifier collects what verify found.
type verifier struct {
	mu       sync.Mutex
	w        io.Writer
	problems []string
}

func (v *verifier) ok(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	fmt.Fprintf(v.w, "[ok]   "+format+"\n", args...)
}

// skip says what verify could not check here, and why; it is not a
// problem.
func (v *verifier) skip(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	fmt.Fprintf(v.w, "[skip] "+format+"\n", args...)
}

func (v *verifier) fail(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	msg := fmt.Sprintf(format, args...)
	v.problems = append(v.problems, msg)
	fmt.Fprintf(v.w, "[FAIL] %s\n", msg)
}

// Verify checks the checker (see the verify command's help).
func (l *Lab) Verify(ctx context.Context, opts VerifyOptions, w io.Writer) error {
	start := time.Now()
	if l.Tree.Student != nil {
		return fmt.Errorf("%s is a student tree: lab verify runs in a full clone", l.Tree.Root)
	}
	if opts.Patterns == "" {
		opts.Patterns = "all"
	}
	entries, err := l.Select(opts.Patterns)
	if err != nil {
		return err
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	tmp, err := os.MkdirTemp("", "dockerlab-lab-verify-")
	if err != nil {
		return err
	}
	if opts.Keep {
		fmt.Fprintf(w, "temporary files kept in %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	v := &verifier{w: w}
	fmt.Fprintf(w, "lab verify: %d of %d exercises, %d chapters, %d jobs\n", len(entries), len(l.Reg.Entries), len(l.Reg.Chapters), opts.Jobs)

	// 1. Manifests, markers, tests, hints, wrong solutions, docs.
	wrongs := l.verifyStatic(v, entries)

	// 2. The full tree passes every selected exercise's check, with the
	// output the READMEs quote.
	t0 := time.Now()
	rep := l.Check(ctx, entries, CheckOptions{NoProgress: true})
	bad := 0
	var linuxOnly []*Entry
	for _, er := range rep.Exercises {
		if er.entry.Backend == "linux" {
			// On the fake every test of it skips: "skipped" is its pass
			// here, and the README shows it; the real kernel is below.
			linuxOnly = append(linuxOnly, er.entry)
		}
		if er.Status != StatusPassed && !(er.entry.Backend == "linux" && er.Status == StatusSkipped) {
			var b bytes.Buffer
			l.renderOne(&b, er, false)
			v.fail("%s does not pass on the full tree (%s):\n%s", er.ID, er.Status, indent(b.String()))
			bad++
			continue
		}
		for _, t := range er.Tests {
			if t.Result == "skip" && t.Reason != linuxOnlyReason {
				v.fail("%s: %s skipped on the fake (%s); only …_Linux tests may skip there", er.ID, t.Name, t.Reason)
				bad++
			}
		}
		var b bytes.Buffer
		l.renderOne(&b, er, false)
		if got, want := b.String(), l.ExpectedOutput(er.entry); got != want {
			v.fail("%s: lab check printed\n%s\nbut the README expects (ExpectedOutput)\n%s", er.ID, indent(got), indent(want))
			bad++
		}
	}
	if bad == 0 {
		v.ok("the full tree passes all %d checks, printing what the chapter READMEs show (%s)", len(entries), time.Since(t0).Round(time.Second))
	}
	realWhy := noRealKernel()
	if len(linuxOnly) > 0 {
		var ids []string
		for _, e := range linuxOnly {
			ids = append(ids, e.ID)
		}
		if realWhy != "" {
			v.skip("%d linux-only exercise(s) (%s) are checked on the fake only: %s. As root on Linux, verify also runs them on the real kernel: the full tree passes, the stub and every wrong answer fail",
				len(linuxOnly), strings.Join(ids, ", "), realWhy)
		} else {
			t0 := time.Now()
			lrep := l.Check(ctx, linuxOnly, CheckOptions{Backend: "linux", NoProgress: true})
			lbad := 0
			for _, er := range lrep.Exercises {
				if er.Status != StatusPassed {
					var b bytes.Buffer
					l.renderOne(&b, er, false)
					v.fail("%s does not pass on the full tree on the real kernel (%s):\n%s", er.ID, er.Status, indent(b.String()))
					lbad++
				}
			}
			if lbad == 0 {
				v.ok("the full tree passes the %d linux-only checks on the real kernel (%s): %s", len(linuxOnly), time.Since(t0).Round(time.Second), strings.Join(ids, ", "))
			}
		}
	}

	// 3. Each exercise: its stub, its lazy answer, its near misses.
	jobs := make(chan *Entry)
	var wg sync.WaitGroup
	for range opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range jobs {
				l.verifyExercise(ctx, v, e, wrongs[e.ID], filepath.Join(tmp, e.ID), realWhy)
			}
		}()
	}
	for _, e := range entries {
		jobs <- e
	}
	close(jobs)
	wg.Wait()

	// 4. gen is exact.
	l.verifyGen(ctx, v, tmp)

	fmt.Fprintln(w)
	if len(v.problems) > 0 {
		fmt.Fprintf(w, "lab verify: FAILED, %d problem(s), %s\n", len(v.problems), time.Since(start).Round(time.Second))
		return errVerifyFailed
	}
	fmt.Fprintf(w, "lab verify: ok, %d exercises, %s\n", len(entries), time.Since(start).Round(time.Second))
	return nil
}

func indent(s string) string {
	return "         " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n         ")
}

// verifyStatic checks what needs no build. It returns the parsed wrong
// solutions.
func (l *Lab) verifyStatic(v *verifier, entries []*Entry) map[string][]*WrongSolution {
	n := len(v.problems)
	// Markers name known exercises; known exercises have markers.
	for _, id := range l.Index.IDs() {
		if _, ok := l.Reg.Get(id); !ok {
			for _, s := range l.Index.ByID[id] {
				v.fail("%s: marker for %s, which no chapter manifest declares (add it to chapters/…/lab.go)", s.Where(), id)
			}
		}
	}
	// Tests named like an exercise that does not exist (a typo hides a
	// test from every check).
	for _, tf := range l.Tests {
		if !exerciseTestName.MatchString(tf.Name) {
			continue
		}
		owned := false
		for _, e := range l.Reg.Entries {
			if len(testsFor([]TestFunc{tf}, e.ID)) > 0 {
				owned = true
			}
		}
		if !owned {
			v.fail("%s: %s looks like an exercise test but belongs to no exercise (names are TestChNNName or TestChNNName_Suffix)", tf.File, tf.Name)
		}
	}
	wrongs := map[string][]*WrongSolution{}
	for _, e := range entries {
		sites := l.Index.ByID[e.ID]
		if len(sites) == 0 {
			v.fail("%s has no //lab:exercise or //lab:begin marker in the code", e.ID)
		}
		for _, s := range sites {
			if !strings.Contains(strings.Join(l.st.stubLines(s, false), "\n"), todoCall(e.ID)) {
				v.fail("%s: the stub of %s does not call %s (a //lab:stub must, so that lab check can tell \"not started\")", s.Where(), e.ID, todoCall(e.ID))
			}
		}
		tests := l.testsOf(e.ID)
		fakeTests := 0
		for _, t := range tests {
			if !t.Linux {
				fakeTests++
			}
		}
		switch {
		case len(tests) == 0:
			v.fail("%s has no test: write %s (or %s_Something) in a _test.go file", e.ID, TestName(e.ID), TestName(e.ID))
		case fakeTests == 0 && e.Backend != "linux":
			v.fail("%s: every test is _Linux, but its Backend is %s: give it a test for the fake kernel, or make it lab.Linux", e.ID, e.Backend)
		case fakeTests > 0 && e.Backend == "linux":
			v.fail("%s: Backend lab.Linux, but %d of its tests run on the fake; name them …_Linux…", e.ID, fakeTests)
		}
		if h, err := l.Reg.Hints(e); err != nil {
			v.fail("%v", err)
		} else if n := utf8.RuneCountInString(foldLines(h.En[0])) + utf8.RuneCountInString(foldLines(h.Zh[0])); n > 600 {
			v.fail("%s: hint 1 is %d characters in both languages; keep it under 600, it goes into the stub's comment", e.ID, n)
		}
		for _, w := range e.Walkthroughs {
			if _, err := os.Stat(l.Tree.Abs("walkthroughs/" + w)); err != nil {
				v.fail("%s: walkthrough %s: %v", e.ID, w, err)
			}
		}
		ws, err := l.WrongSolutions(e)
		if err != nil {
			v.fail("%v", err)
		}
		wrongs[e.ID] = ws
	}
	for _, d := range l.Docs(nil) {
		switch {
		case d.Err != nil:
			v.fail("%v", d.Err)
		case d.Have != d.Want:
			v.fail("%s is out of date (exercise table or expected output): go test ./internal/lab -run TestDocs -update", d.Path)
		}
	}
	if len(v.problems) == n {
		v.ok("markers, manifests, tests, hints, wrong solutions and docs of %d exercises (%d sites)", len(entries), len(l.Index.Sites))
	}
	return wrongs
}

// overlay writes files (slash path → content) under dir and a go
// -overlay file mapping the tree's paths to them.
func (l *Lab) overlay(dir string, files map[string][]byte) (string, error) {
	repl := map[string]string{}
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return "", err
		}
		repl[l.Tree.Abs(rel)] = p
	}
	data, err := json.Marshal(map[string]any{"Replace": repl})
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "overlay.json")
	return p, os.WriteFile(p, data, 0o644)
}

// verifyExercise checks one exercise's stub, lazy answer and near misses.
// A linux-only exercise's tests all skip on the fake: its stub and wrong
// answers run on the real kernel when realWhy is "" (Linux, root);
// otherwise verify proves only that they build and vet, and says so.
func (l *Lab) verifyExercise(ctx context.Context, v *verifier, e *Entry, wrongs []*WrongSolution, dir, realWhy string) {
	if len(l.Index.ByID[e.ID]) == 0 || len(l.testsOf(e.ID)) == 0 {
		return // verifyStatic said why
	}
	start := time.Now()
	id := map[string]bool{e.ID: true}
	g := &goTool{root: l.Tree.Root, backend: "fake", timeout: time.Minute}
	vetDirs, testDirs := l.dirsOf(e.ID)
	var notes []string
	okSoFar := true

	// The stub: builds, vets, is "not started", and its tests fail
	// because they reach lab.TODO.
	stubbed, err := l.stubbedFiles(id, false)
	if err != nil {
		v.fail("%s: stubbing: %v", e.ID, err)
		return
	}
	ov, err := l.overlay(filepath.Join(dir, "stub"), stubbed)
	if err != nil {
		v.fail("%s: %v", e.ID, err)
		return
	}
	if ok, out := g.vet(ctx, ov, vetDirs); !ok {
		v.fail("%s: with only it stubbed the tree does not build or vet (an unused variable left by a region? widen it or add //lab:stub _ = x):\n%s", e.ID, indent(out))
		okSoFar = false
	}
	if todo := l.todoSites(e.ID, stubbed); len(todo) != len(l.Index.ByID[e.ID]) {
		v.fail("%s: lab check would not say \"not started\" on the stub (lab.TODO found at %v)", e.ID, todo)
		okSoFar = false
	}
	linuxOnly := e.Backend == "linux"
	real := linuxOnly && realWhy == ""
	var run *testRun
	if real {
		run = g.testLinux(ctx, ov, testDirs, runPattern([]string{e.ID}, ""))
	} else {
		run = g.test(ctx, ov, testDirs, runPattern([]string{e.ID}, ""), runPattern([]string{e.ID}, "_Linux"))
	}
	failed, reached, passedNames := 0, false, []string{}
	for _, tf := range l.testsOf(e.ID) {
		if tf.Linux && !real {
			continue
		}
		res := run.result(importPath(tf.Dir), tf.Name)
		if res != nil && res.Action == "pass" {
			passedNames = append(passedNames, tf.Name)
			continue
		}
		failed++
		if res != nil && strings.Contains(strings.Join(res.Output, "\n"), "exercise "+e.ID+" is not done yet") {
			reached = true
		}
	}
	for _, o := range run.pkgOut {
		if strings.Contains(strings.Join(o, "\n"), "exercise "+e.ID+" is not done yet") {
			reached = true
		}
	}
	switch {
	case linuxOnly && !real:
		notes = append(notes, "its tests are linux-only: the stub and the wrong answers were not run ("+realWhy+")")
	case failed == 0:
		v.fail("%s: every test passes on the stub: the tests do not check the exercise", e.ID)
		okSoFar = false
	case !reached:
		v.fail("%s: the tests fail on the stub, but none of them reports lab.TODO's message (do they call the stubbed code?)", e.ID)
		okSoFar = false
	}
	if len(passedNames) > 0 {
		notes = append(notes, fmt.Sprintf("%d test(s) pass on the stub too (%s)", len(passedNames), strings.Join(passedNames, ", ")))
	}

	// The lazy answer and the near misses must fail the check.
	type variant struct {
		name  string
		files map[string][]byte
		hand  bool
	}
	lazy, err := l.stubbedFiles(id, true)
	if err != nil {
		v.fail("%s: lazy answer: %v", e.ID, err)
		return
	}
	variants := []variant{{"lazy (the stub's zero values, no lab.TODO)", lazy, false}}
	for _, ws := range wrongs {
		files, err := l.wrongFiles(ws)
		if err != nil {
			v.fail("%s: %v", e.ID, err)
			okSoFar = false
			continue
		}
		variants = append(variants, variant{ws.Name, files, true})
	}
	for i, vr := range variants {
		ov, err := l.overlay(filepath.Join(dir, fmt.Sprintf("wrong%d", i)), vr.files)
		if err != nil {
			v.fail("%s: %v", e.ID, err)
			return
		}
		if linuxOnly && !real {
			// What the fake can prove: a near miss builds and vets (so
			// that, on the real kernel, its tests are what reject it).
			if ok, out := g.vet(ctx, ov, vetDirs); !ok && vr.hand {
				v.fail("%s: the wrong solution %q does not build or vet; a near miss must build, so that the tests reject it:\n%s", e.ID, vr.name, indent(out))
				okSoFar = false
			} else if ok {
				notes = append(notes, vr.name+" builds and vets")
			} else {
				notes = append(notes, "lazy answer fails go vet")
			}
			continue
		}
		opts := CheckOptions{Overlay: ov, Override: vr.files, NoProgress: true}
		if real {
			opts.Backend = "linux"
		}
		rep := l.Check(ctx, []*Entry{e}, opts)
		er := rep.Exercises[0]
		switch {
		case er.Status == StatusPassed:
			v.fail("%s: the wrong solution %q PASSES the check: the tests must reject it", e.ID, vr.name)
			okSoFar = false
		case er.Status == StatusNotStarted:
			v.fail("%s: the wrong solution %q still holds lab.TODO", e.ID, vr.name)
			okSoFar = false
		case vr.hand && !er.vetOK:
			v.fail("%s: the wrong solution %q does not build or vet; a near miss must build, so that the tests reject it:\n%s", e.ID, vr.name, indent(er.vetOut))
			okSoFar = false
		case !er.vetOK:
			notes = append(notes, "lazy answer fails go vet")
		default:
			sort.Strings(er.FailedTests)
			notes = append(notes, fmt.Sprintf("%s fails %s", vr.name, strings.Join(er.FailedTests, ", ")))
		}
	}
	switch {
	case !okSoFar:
	case linuxOnly && !real:
		v.ok("%s (%s, linux-only, on the fake): the stub builds, vets and is not started; %d wrong answers build:\n%s",
			e.ID, time.Since(start).Round(time.Second), len(variants), indent(strings.Join(notes, "\n")))
	case real:
		v.ok("%s (%s, on the real kernel): the stub builds, vets and is not started (%d tests fail with lab.TODO); %d wrong answers fail:\n%s",
			e.ID, time.Since(start).Round(time.Second), failed, len(variants), indent(strings.Join(notes, "\n")))
	default:
		v.ok("%s (%s): the stub builds, vets and is not started (%d tests fail with lab.TODO); %d wrong answers fail:\n%s",
			e.ID, time.Since(start).Round(time.Second), failed, len(variants), indent(strings.Join(notes, "\n")))
	}
}

// verifyGen checks that gen is exact, using the same writer as lab gen.
func (l *Lab) verifyGen(ctx context.Context, v *verifier, tmp string) {
	n := len(v.problems)
	start := time.Now()
	// Nothing selected: the input, byte for byte.
	none := filepath.Join(tmp, "gen-none")
	if err := l.writeTree(none, map[string][]byte{}, nil); err != nil {
		v.fail("gen with nothing selected: %v", err)
		return
	}
	if diffs := l.compareWithInput(none); len(diffs) > 0 {
		v.fail("gen with nothing selected differs from the input:\n%s", indent(strings.Join(diffs, "\n")))
	}
	// Everything selected, twice: the same tree.
	all := map[string]bool{}
	for _, e := range l.Reg.Entries {
		all[e.ID] = true
	}
	var trees [2]string
	var stubbed map[string][]byte
	for i := range trees {
		s, err := l.stubbedFiles(all, false)
		if err != nil {
			v.fail("gen of every exercise: %v", err)
			return
		}
		stubbed = s
		trees[i] = filepath.Join(tmp, fmt.Sprintf("gen-all-%d", i+1))
		if err := l.writeTree(trees[i], s, l.Reg.Entries); err != nil {
			v.fail("gen of every exercise: %v", err)
			return
		}
	}
	if diffs := compareTrees(trees[0], trees[1]); len(diffs) > 0 {
		v.fail("gen twice gives different trees:\n%s", indent(strings.Join(diffs, "\n")))
	}
	if leaks := l.leaks(stubbed, trees[0]); len(leaks) > 0 {
		v.fail("the generated tree still holds removed lines:\n%s", indent(strings.Join(leaks, "\n")))
	}
	if err := l.verifyGenerated(ctx, trees[0], stubbed, nil); err != nil {
		v.fail("gen of every exercise: %v", err)
	}
	if len(v.problems) == n {
		v.ok("gen (%s): nothing selected = the input (%d files); twice = the same tree; every exercise stubbed builds and vets, and no removed line is left",
			time.Since(start).Round(time.Second), len(l.Files))
	}
}

// compareWithInput lists the differences between a generated tree and
// the tree's files.
func (l *Lab) compareWithInput(out string) []string {
	var diffs []string
	want := map[string]bool{}
	for _, f := range l.Files {
		want[f] = true
		a, err1 := os.ReadFile(l.Tree.Abs(f))
		b, err2 := os.ReadFile(filepath.Join(out, filepath.FromSlash(f)))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			diffs = append(diffs, f+" differs")
		}
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		if !want[rel] && !strings.HasPrefix(rel, labDir+"/") {
			diffs = append(diffs, rel+" is extra")
		}
		return nil
	})
	return diffs
}

// compareTrees lists the files that differ between two directories.
func compareTrees(a, b string) []string {
	list := func(root string) map[string][]byte {
		m := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				m[filepath.ToSlash(rel)], _ = os.ReadFile(p)
			}
			return nil
		})
		return m
	}
	ma, mb := list(a), list(b)
	var diffs []string
	for f, da := range ma {
		if db, ok := mb[f]; !ok || !bytes.Equal(da, db) {
			diffs = append(diffs, f)
		}
	}
	for f := range mb {
		if _, ok := ma[f]; !ok {
			diffs = append(diffs, f)
		}
	}
	sort.Strings(diffs)
	return diffs
}
