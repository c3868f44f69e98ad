package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"
)

// The statuses of an exercise in a grade report.
const (
	StatusPassed     = "passed"
	StatusFailed     = "failed"
	StatusNotStarted = "not started"
	StatusSkipped    = "skipped"
)

// CheckOptions say how to check.
type CheckOptions struct {
	Backend  string        // "fake" (default) or "linux"
	Verbose  bool          // print every test's output
	Timeout  time.Duration // for each go test run
	Overlay  string        // lab verify: a go -overlay file
	Override map[string][]byte
	// NoProgress: do not record results in .lab/progress.json.
	NoProgress bool
}

// Report is the grade report of one `lab check` (the --json output).
type Report struct {
	Tool          string            `json:"tool"`
	Backend       string            `json:"backend"`
	Exercises     []*ExerciseReport `json:"exercises"`
	Summary       Summary           `json:"summary"`
	ModifiedTests []string          `json:"modified_tests"`
	Note          string            `json:"note,omitempty"`
}

// Summary counts the exercises by status.
type Summary struct {
	Passed     int `json:"passed"`
	Failed     int `json:"failed"`
	NotStarted int `json:"not_started"`
	Skipped    int `json:"skipped"`
	Total      int `json:"total"`
}

// ExerciseReport is one exercise's result.
type ExerciseReport struct {
	ID          string       `json:"id"`
	Chapter     string       `json:"chapter"`
	Title       string       `json:"title"`
	TitleZh     string       `json:"title_zh"`
	Book        string       `json:"book"`
	Backend     string       `json:"backend"`
	Status      string       `json:"status"`
	Todo        []string     `json:"todo,omitempty"`
	Tests       []TestReport `json:"tests"`
	FailedTests []string     `json:"failed_tests"`
	Message     string       `json:"message,omitempty"`

	entry  *Entry
	vetOK  bool
	vetOut string
	vetRun bool
	vetPkg []string
}

// TestReport is one top-level test of an exercise.
type TestReport struct {
	Name    string `json:"name"`
	Package string `json:"package"`
	Result  string `json:"result"` // pass, fail, skip, not run
	Reason  string `json:"reason,omitempty"`

	output []string
}

// Check checks the exercises: the static stage (is lab.TODO still
// there?), go vet, then the exercises' tests, on the chosen backend.
func (l *Lab) Check(ctx context.Context, entries []*Entry, opts CheckOptions) *Report {
	if opts.Backend == "" {
		opts.Backend = "fake"
	}
	if opts.Timeout == 0 {
		opts.Timeout = time.Minute
	}
	rep := &Report{Tool: ToolVersion, Backend: opts.Backend}
	linux := false
	if opts.Backend == "linux" {
		if why := noRealKernel(); why != "" {
			rep.Note = why + ": the tests ran on the fake kernel and the linux-only ones were skipped"
			if os.Geteuid() != 0 && runtime.GOOS == "linux" {
				rep.Note += "; run it again with sudo"
			}
			rep.Backend = "fake"
		} else {
			linux = true
		}
	}
	modified := l.Tree.ModifiedTests()
	rep.ModifiedTests = append([]string{}, modified...)
	g := &goTool{root: l.Tree.Root, backend: "fake", timeout: opts.Timeout}
	if linux {
		g.backend = "linux"
	}

	// Static stage.
	var started []*ExerciseReport
	for _, e := range entries {
		er := &ExerciseReport{
			ID: e.ID, Chapter: e.Chapter.ID, Title: e.Title.En, TitleZh: e.Title.Zh, Book: e.Book,
			Backend: string(e.Backend), entry: e, Tests: []TestReport{}, FailedTests: []string{},
		}
		rep.Exercises = append(rep.Exercises, er)
		if todo := l.todoSites(e.ID, opts.Override); len(todo) > 0 {
			er.Status = StatusNotStarted
			er.Todo = todo
			continue
		}
		if bad := modifiedIn(modified, l, e.ID); len(bad) > 0 {
			er.Status = StatusFailed
			er.Message = "graded files were edited: " + strings.Join(bad, ", ") +
				" — restore them (the grade counts the original tests only)"
			continue
		}
		if len(l.testsOf(e.ID)) == 0 {
			er.Status = StatusFailed
			er.Message = fmt.Sprintf("no tests found: the exercise's tests are named %s or %s_…", TestName(e.ID), TestName(e.ID))
			continue
		}
		started = append(started, er)
	}

	// go vet: all packages at once, and one exercise at a time only if
	// that fails, to know whose code does not build.
	if len(started) > 0 {
		all := map[string]bool{}
		for _, er := range started {
			v, _ := l.dirsOf(er.ID)
			er.vetPkg = v
			for _, d := range v {
				all[d] = true
			}
		}
		ok, out := g.vet(ctx, opts.Overlay, sortedKeys(all))
		for _, er := range started {
			er.vetRun, er.vetOK = true, ok
		}
		if !ok {
			if len(started) == 1 {
				started[0].vetOut = out
			} else {
				for _, er := range started {
					er.vetOK, er.vetOut = g.vet(ctx, opts.Overlay, er.vetPkg)
				}
			}
		}
	}
	var toTest []*ExerciseReport
	for _, er := range started {
		if !er.vetOK {
			er.Status = StatusFailed
			er.Message = "go vet failed (the code does not build or vet finds a mistake)"
			continue
		}
		toTest = append(toTest, er)
	}

	// Tests: one go test for every exercise, then again alone for an
	// exercise whose tests did not all report (another one's panic can
	// end a shared test binary).
	if len(toTest) > 0 {
		run := l.runTests(ctx, g, linux, toTest, opts)
		for _, er := range toTest {
			l.grade(er, run, linux, rep.Backend)
		}
		if len(toTest) > 1 {
			for _, er := range toTest {
				if hasNotRun(er) {
					l.grade(er, l.runTests(ctx, g, linux, []*ExerciseReport{er}, opts), linux, rep.Backend)
				}
			}
		}
	}

	for _, er := range rep.Exercises {
		switch er.Status {
		case StatusPassed:
			rep.Summary.Passed++
		case StatusFailed:
			rep.Summary.Failed++
		case StatusNotStarted:
			rep.Summary.NotStarted++
		case StatusSkipped:
			rep.Summary.Skipped++
		}
	}
	rep.Summary.Total = len(rep.Exercises)
	if !opts.NoProgress {
		l.record(rep)
	}
	return rep
}

// noRealKernel says why --backend linux cannot run here ("" when it can:
// Linux, as root).
func noRealKernel() string {
	switch {
	case runtime.GOOS != "linux":
		return "--backend linux needs Linux; this is " + runtime.GOOS
	case os.Geteuid() != 0:
		return fmt.Sprintf("--backend linux needs root (you are uid %d)", os.Geteuid())
	}
	return ""
}

// modifiedIn lists the edited graded files that matter to an exercise:
// those in its test packages, and its walkthroughs.
func modifiedIn(modified []string, l *Lab, id string) []string {
	if len(modified) == 0 {
		return nil
	}
	// The packages of the exercise's code and of its tests (the tests may
	// be the thing that was edited away).
	vetDirs, testDirs := l.dirsOf(id)
	testDirs = append(testDirs, vetDirs...)
	var out []string
	for _, m := range modified {
		p := strings.Fields(m)[0]
		for _, d := range testDirs {
			if path.Dir(p) == d || strings.HasPrefix(p, d+"/testdata/") {
				out = append(out, m)
				break
			}
		}
		if strings.HasPrefix(p, "walkthroughs/") {
			if e, ok := l.Reg.Get(id); ok && len(e.Walkthroughs) > 0 {
				out = append(out, m)
			}
		}
	}
	return out
}

// runTests runs the tests of the exercises in one go test.
func (l *Lab) runTests(ctx context.Context, g *goTool, linux bool, ers []*ExerciseReport, opts CheckOptions) *testRun {
	var ids []string
	dirs := map[string]bool{}
	var walks []string
	for _, er := range ers {
		ids = append(ids, er.ID)
		_, td := l.dirsOf(er.ID)
		for _, d := range td {
			dirs[d] = true
		}
		walks = append(walks, er.entry.Walkthroughs...)
	}
	run := runPattern(ids, "")
	var r *testRun
	if linux {
		r = g.testLinux(ctx, opts.Overlay, sortedKeys(dirs), run)
	} else {
		r = g.test(ctx, opts.Overlay, sortedKeys(dirs), run, runPattern(ids, "_Linux"))
	}
	if len(walks) > 0 {
		sort.Strings(walks)
		var names []string
		for _, w := range walks {
			names = append(names, "^"+regexp.QuoteMeta(strings.TrimSuffix(w, ".txtar"))+"$")
		}
		wrun := "^TestWalkthroughs$/" + strings.Join(names, "|")
		if linux {
			wrun = "^TestWalkthroughsLinux$/" + strings.Join(names, "|")
		}
		wr := g.test(ctx, opts.Overlay, []string{"walkthroughs"}, wrun, "")
		for k, v := range wr.results {
			r.results[k] = v
		}
		for k, v := range wr.pkgOut {
			r.pkgOut[k] = append(r.pkgOut[k], v...)
		}
		for k := range wr.pkgFail {
			r.pkgFail[k] = true
		}
	}
	return r
}

// linuxOnlyReason is what a skipped linux-only test says on the fake.
const linuxOnlyReason = "needs the real kernel: dockerlab lab check --backend linux, as root on Linux"

// grade fills an exercise's test list and status from a run.
func (l *Lab) grade(er *ExerciseReport, run *testRun, linux bool, backend string) {
	er.Tests = []TestReport{}
	er.FailedTests = []string{}
	passed, failed, skipped := 0, 0, 0
	var tests []TestFunc
	tests = append(tests, l.testsOf(er.ID)...)
	for _, w := range er.entry.Walkthroughs {
		name := "TestWalkthroughs/" + strings.TrimSuffix(w, ".txtar")
		if linux {
			name = "TestWalkthroughsLinux/" + strings.TrimSuffix(w, ".txtar")
		}
		tests = append(tests, TestFunc{Name: name, Dir: "walkthroughs"})
	}
	for _, tf := range tests {
		pkg := importPath(tf.Dir)
		tr := TestReport{Name: tf.Name, Package: pkg}
		res := run.result(pkg, tf.Name)
		switch {
		case tf.Linux && !linux:
			tr.Result, tr.Reason = "skip", linuxOnlyReason
		case res == nil || res.Action == "":
			tr.Result = "not run"
			if run.pkgFail[pkg] {
				tr.output = run.pkgOut[pkg]
			}
			if res != nil {
				tr.output = append(res.Output, tr.output...)
			}
		default:
			tr.Result = res.Action
			tr.output = l.outputOf(run, pkg, tf.Name)
			if tr.Result == "skip" {
				tr.Reason = skipReason(tr.output)
			}
			if tr.Result == "fail" && len(tr.output) == 0 {
				tr.output = run.pkgOut[pkg]
			}
		}
		switch tr.Result {
		case "pass":
			passed++
		case "skip":
			skipped++
		default:
			failed++
			er.FailedTests = append(er.FailedTests, tr.Name)
		}
		er.Tests = append(er.Tests, tr)
	}
	switch {
	case failed > 0:
		er.Status = StatusFailed
		er.Message = fmt.Sprintf("%d of %d tests failed", failed, len(er.Tests))
	case passed == 0:
		er.Status = StatusSkipped
		er.Message = "every test was skipped"
		if er.Backend == "linux" && backend == "fake" {
			er.Message = "a linux-only exercise: " + linuxOnlyReason
		}
	default:
		er.Status = StatusPassed
		er.Message = ""
	}
}

// hasNotRun: some test of the exercise never reported.
func hasNotRun(er *ExerciseReport) bool {
	for _, t := range er.Tests {
		if t.Result == "not run" {
			return true
		}
	}
	return false
}

// outputOf gathers a test's output and its subtests', in order, without
// the lines go test adds around them.
func (l *Lab) outputOf(run *testRun, pkg, name string) []string {
	var keys []string
	for k, r := range run.results {
		if r.Package == pkg && (r.Name == name || strings.HasPrefix(r.Name, name+"/")) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		for _, line := range run.results[k].Output {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- PASS") || strings.HasPrefix(t, "--- FAIL") ||
				strings.HasPrefix(t, "--- SKIP") || t == "" {
				continue
			}
			out = append(out, line)
		}
	}
	return out
}

var fileLinePrefix = regexp.MustCompile(`^\s*[A-Za-z0-9_./-]+\.go:[0-9]+: `)

// skipReason is the message a skipped test gave, without its file:line.
func skipReason(output []string) string {
	for _, line := range output {
		if fileLinePrefix.MatchString(line) {
			return strings.TrimSpace(fileLinePrefix.ReplaceAllString(line, ""))
		}
	}
	return ""
}

// record keeps the results in .lab/progress.json.
func (l *Lab) record(rep *Report) {
	p := l.Tree.LoadProgress()
	now := time.Now().UTC()
	for _, er := range rep.Exercises {
		e := p.Entry(er.ID)
		e.Status, e.Checked = er.Status, now
		if er.Status == StatusPassed {
			e.EverPass = true
		}
	}
	l.Tree.SaveProgress(p)
}

// OK: every exercise passed.
func (rep *Report) OK() bool { return rep.Summary.Passed == rep.Summary.Total }

// WriteJSON prints the grade report.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// Render prints the report the way a student reads it (6.5840 style:
// "Test … Passed"). It prints no time or duration, so the output of a
// passing check is the same on every run; the chapter READMEs quote it.
func (l *Lab) Render(w io.Writer, rep *Report, verbose bool) {
	if rep.Note != "" {
		fmt.Fprintf(w, "注意 / note: %s\n", rep.Note)
	}
	if len(rep.ModifiedTests) > 0 {
		fmt.Fprintf(w, "警告 / warning: graded files differ from %s:\n", manifestFile)
		for _, m := range rep.ModifiedTests {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
	for i, er := range rep.Exercises {
		if i > 0 {
			fmt.Fprintln(w)
		}
		l.renderOne(w, er, verbose)
	}
	if len(rep.Exercises) > 1 {
		s := rep.Summary
		fmt.Fprintf(w, "\nlab check: %d passed, %d failed, %d not started, %d skipped (%d exercises)\n",
			s.Passed, s.Failed, s.NotStarted, s.Skipped, s.Total)
	}
}

func (l *Lab) renderOne(w io.Writer, er *ExerciseReport, verbose bool) {
	fmt.Fprintf(w, "=== %s  %s / %s (%s)\n", er.ID, er.TitleZh, er.Title, bookRef(er.Book))
	switch er.Status {
	case StatusNotStarted:
		if len(er.Todo) < len(l.Index.ByID[er.ID]) {
			fmt.Fprintf(w, "未完成 / not finished: %s is still in\n", todoCall(er.ID))
		} else {
			fmt.Fprintf(w, "未开始 / not started: %s is still in\n", todoCall(er.ID))
		}
		for _, t := range er.Todo {
			fmt.Fprintf(w, "  %s\n", t)
		}
		if h, err := l.Reg.Hints(er.entry); err == nil {
			for _, line := range wrapComment("提示 1："+foldLines(h.Zh[0]), 76) {
				fmt.Fprintf(w, "  %s\n", strings.TrimPrefix(line, "// "))
			}
			for _, line := range wrapComment("Hint 1: "+foldLines(h.En[0]), 76) {
				fmt.Fprintf(w, "  %s\n", strings.TrimPrefix(line, "// "))
			}
		}
		fmt.Fprintf(w, "Write the code there, then run dockerlab lab check %s again; more hints: dockerlab lab hint %s\n", er.ID, er.ID)
		fmt.Fprintf(w, "NOT STARTED %s\n", er.ID)
		return
	}
	if er.vetRun {
		var pkgs []string
		for _, d := range er.vetPkg {
			pkgs = append(pkgs, pkgArg(d))
		}
		if er.vetOK {
			fmt.Fprintf(w, "go vet %s: ok\n", strings.Join(pkgs, " "))
		} else {
			fmt.Fprintf(w, "go vet %s: FAILED\n", strings.Join(pkgs, " "))
			printIndented(w, strings.Split(strings.TrimRight(er.vetOut, "\n"), "\n"), 60)
			if strings.Contains(er.vetOut, `"`+labImport+`" imported and not used`) {
				fmt.Fprintf(w, "      (the stub needed package lab; now that lab.TODO is gone, delete that import line)\n")
			}
			if strings.Contains(er.vetOut, "undefined: ") {
				fmt.Fprintf(w, "      (the stub's file imports only what the stub needs: a package your code uses may have to be imported again)\n")
			}
		}
	}
	for _, t := range er.Tests {
		switch t.Result {
		case "pass":
			fmt.Fprintf(w, "Test %s ... Passed\n", t.Name)
		case "skip":
			fmt.Fprintf(w, "Test %s ... Skipped (%s)\n", t.Name, t.Reason)
		case "fail":
			fmt.Fprintf(w, "Test %s ... FAILED\n", t.Name)
		default:
			fmt.Fprintf(w, "Test %s ... did not run (its package failed to build, or another test crashed it)\n", t.Name)
		}
		switch {
		case verbose:
			printIndented(w, t.output, 0)
		case t.Result == "fail" || t.Result == "not run":
			printIndented(w, t.output, 60)
		}
	}
	switch er.Status {
	case StatusPassed:
		fmt.Fprintf(w, "PASS %s\n", er.ID)
	case StatusSkipped:
		fmt.Fprintf(w, "SKIPPED %s: %s\n", er.ID, er.Message)
	default:
		fmt.Fprintf(w, "FAIL %s: %s\n", er.ID, er.Message)
	}
}

// printIndented prints lines indented under a test's line, at most max
// of them (0: all). go test already indents a test's output by four
// spaces; that much is taken off.
func printIndented(w io.Writer, lines []string, max int) {
	for i, line := range lines {
		if max > 0 && i == max {
			fmt.Fprintf(w, "      … %d more lines (-v shows everything)\n", len(lines)-max)
			return
		}
		fmt.Fprintf(w, "      %s\n", strings.TrimPrefix(line, "    "))
	}
}
