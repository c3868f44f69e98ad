package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// ExitError fails a command with a status and nothing more to print (the
// command already printed why).
type ExitError struct{ Code int }

func (e ExitError) Error() string   { return "" }
func (e ExitError) ExitStatus() int { return e.Code }

const labLong = `Classroom exercises made from dockerlab's own code (docs/teaching.md).

An exercise removes a function body (or a few statements) of v0_1/ or v1_2/
and puts a stub in its place that compiles; its tests, named after it
(ch06.setup-iptables → TestCh06SetupIptables…), say when your code is right.
Everything runs offline, without root, on the fake kernel.

Study alone (in a clone of the repository):
  dockerlab lab list                       the exercises, your progress, the next one
  dockerlab lab start ch06.setup-iptables  replace the body with a stub
  dockerlab lab hint ch06.setup-iptables   the next hint (中文 and English)
  dockerlab lab check ch06.setup-iptables  vet and test it; repeat until PASS
  dockerlab lab watch ch06.setup-iptables  check again whenever a file changes
  dockerlab lab reset ch06.setup-iptables  start over (your code goes to .lab/backup)
  dockerlab lab solution ch06.setup-iptables   the original, once you passed

Teach a class:
  dockerlab lab gen --exercises 'ch06.*' --out ../class-ch06 --solutions
  dockerlab lab check --all --json         (in a student tree) a grade report`

// NewCmd is the `lab` command. registry builds the exercise registry (the
// chapter manifests compiled in).
func NewCmd(registry func() (*Registry, error)) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "lab",
		Short: "classroom exercises: list, start, hint, check, watch, reset, solution, gen, verify",
		Long:  labLong,
	}
	cmd.PersistentFlags().StringVarP(&dir, "dir", "C", ".", "the dockerlab tree to work in (a clone or a student tree)")
	open := func() (*Lab, error) {
		reg, err := registry()
		if err != nil {
			return nil, err
		}
		return Open(dir, reg)
	}
	cmd.AddCommand(
		newListCmd(open),
		newStartCmd(open),
		newResetCmd(open),
		newSolutionCmd(open),
		newHintCmd(open),
		newCheckCmd(open),
		newWatchCmd(open),
		newGenCmd(open),
		newVerifyCmd(open),
	)
	return cmd
}

type opener func() (*Lab, error)

// onExercise makes the RunE of a command about one exercise: it opens the
// tree and resolves args[0] first.
func onExercise(open opener, run func(cmd *cobra.Command, l *Lab, e *Entry) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		l, err := open()
		if err != nil {
			return err
		}
		e, err := l.one(args[0])
		if err != nil {
			return err
		}
		return run(cmd, l, e)
	}
}

// one resolves the single exercise a command names.
func (l *Lab) one(id string) (*Entry, error) {
	es, err := l.Select(id)
	if err != nil {
		return nil, err
	}
	if len(es) != 1 {
		return nil, fmt.Errorf("%q names %d exercises; give one ID", id, len(es))
	}
	return es[0], nil
}

// status is what `lab list` shows for an exercise: not started while its
// lab.TODO is in the code, else the last check's result.
func (l *Lab) status(e *Entry, p *Progress) string {
	if len(l.todoSites(e.ID, nil)) > 0 {
		return StatusNotStarted
	}
	if pe, ok := p.Exercises[e.ID]; ok && pe.Status != "" {
		return pe.Status
	}
	return StatusNotStarted
}

// ListItem is one exercise in `lab list --json`.
type ListItem struct {
	ID         string   `json:"id"`
	Chapter    string   `json:"chapter"`
	Title      string   `json:"title"`
	TitleZh    string   `json:"title_zh"`
	Book       string   `json:"book"`
	Notes      string   `json:"notes,omitempty"`
	Difficulty int      `json:"difficulty"`
	Backend    string   `json:"backend"`
	Status     string   `json:"status"`
	Sites      []string `json:"sites"`
	Tests      []string `json:"tests"`
}

func newListCmd(open opener) *cobra.Command {
	var chapter string
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "the exercises by chapter, with ✓ passed, ✗ failing, · not started, and the next one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := open()
			if err != nil {
				return err
			}
			p := l.Tree.LoadProgress()
			var items []ListItem
			for _, e := range l.InScope() {
				if chapter != "" && e.Chapter.ID != chapter {
					continue
				}
				it := ListItem{ID: e.ID, Chapter: e.Chapter.ID, Title: e.Title.En, TitleZh: e.Title.Zh, Book: e.Book,
					Notes: e.Notes, Difficulty: e.Difficulty, Backend: string(e.Backend), Status: l.status(e, p),
					Sites: []string{}, Tests: []string{}}
				for _, s := range l.Index.ByID[e.ID] {
					it.Sites = append(it.Sites, s.Where())
				}
				for _, t := range l.testsOf(e.ID) {
					it.Tests = append(it.Tests, t.Name)
				}
				items = append(items, it)
			}
			if chapter != "" && len(items) == 0 {
				return fmt.Errorf("chapter %q has no exercises here (chapters are ch00, ch03, …; see dockerlab lab list)", chapter)
			}
			out := cmd.OutOrStdout()
			if asJSON {
				if items == nil {
					items = []ListItem{}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(items)
			}
			l.printList(out, items)
			return nil
		},
	}
	c.Flags().StringVar(&chapter, "chapter", "", "only this chapter (ch06)")
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON array (id, chapter, title, backend, status, …)")
	return c
}

func (l *Lab) printList(w io.Writer, items []ListItem) {
	fmt.Fprintln(w, "dockerlab lab — ✓ passed  ✗ failing  · not started")
	cur := ""
	next := ""
	done := 0
	for _, it := range items {
		if it.Chapter != cur {
			cur = it.Chapter
			ch := l.Reg.Chapter(cur)
			fmt.Fprintf(w, "\n%s  %s / %s\n", cur, ch.Title.Zh, ch.Title.En)
		}
		mark := "·"
		switch it.Status {
		case StatusPassed:
			mark = "✓"
			done++
		case StatusFailed:
			mark = "✗"
		case StatusSkipped:
			mark = "-"
		}
		if next == "" && it.Status != StatusPassed {
			next = it.ID
		}
		fmt.Fprintf(w, "  %s %-22s %-3s %-5s %s / %s (%s)\n", mark, it.ID, strings.Repeat("★", it.Difficulty), it.Backend, it.TitleZh, it.Title, it.Book)
	}
	fmt.Fprintf(w, "\n%d of %d passed.", done, len(items))
	switch {
	case next == "":
		fmt.Fprintln(w, " 全部完成 / all done!")
	case l.Tree.Student != nil || len(l.todoSites(next, nil)) > 0:
		fmt.Fprintf(w, " 下一个 / next: %s — dockerlab lab hint %s, then dockerlab lab check %s\n", next, next, next)
	default:
		fmt.Fprintf(w, " 下一个 / next: dockerlab lab start %s\n", next)
	}
}

func newStartCmd(open opener) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "start ID",
		Short: "replace the exercise's code in this working tree with a stub that compiles",
		Args:  cobra.ExactArgs(1),
		RunE: onExercise(open, func(cmd *cobra.Command, l *Lab, e *Entry) error {
			msgs, err := l.Start(e.ID, force)
			printLines(cmd.OutOrStdout(), msgs)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Read the comment at the stub, then: dockerlab lab hint %s · dockerlab lab check %s\n", e.ID, e.ID)
			return nil
		}),
	}
	c.Flags().BoolVar(&force, "force", false, "stub even over code of your own (it is saved in .lab/backup)")
	return c
}

func newResetCmd(open opener) *cobra.Command {
	var solution bool
	c := &cobra.Command{
		Use:   "reset ID",
		Short: "put the stub back (your code is saved in .lab/backup); --solution puts the original back",
		Args:  cobra.ExactArgs(1),
		RunE: onExercise(open, func(cmd *cobra.Command, l *Lab, e *Entry) error {
			var msgs []string
			var err error
			if solution {
				msgs, err = l.RestoreSolution(e.ID)
			} else {
				msgs, err = l.Reset(e.ID)
			}
			printLines(cmd.OutOrStdout(), msgs)
			return err
		}),
	}
	c.Flags().BoolVar(&solution, "solution", false, "restore the original code from git's HEAD instead")
	return c
}

func newSolutionCmd(open opener) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "solution ID",
		Short: "print the original code of an exercise (once you passed it, or with --force)",
		Args:  cobra.ExactArgs(1),
		RunE: onExercise(open, func(cmd *cobra.Command, l *Lab, e *Entry) error {
			if pe := l.Tree.LoadProgress().Exercises[e.ID]; !force && (pe == nil || !pe.EverPass) {
				return fmt.Errorf("%s has not passed yet: solve it first (dockerlab lab check %s), or look anyway with --force", e.ID, e.ID)
			}
			text, err := l.Solution(e.ID)
			if err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), text)
			return nil
		}),
	}
	c.Flags().BoolVar(&force, "force", false, "show it even if you have not passed")
	return c
}

func newHintCmd(open opener) *cobra.Command {
	var level int
	var lang string
	c := &cobra.Command{
		Use:   "hint ID",
		Short: "show the next hint of an exercise (-n N: hint N); in 中文 and English",
		Args:  cobra.ExactArgs(1),
		RunE: onExercise(open, func(cmd *cobra.Command, l *Lab, e *Entry) error {
			if lang != "" && lang != "zh" && lang != "en" {
				return fmt.Errorf("--lang %q: choose zh or en (default: both)", lang)
			}
			h, err := l.Reg.Hints(e)
			if err != nil {
				return err
			}
			p := l.Tree.LoadProgress()
			pe := p.Entry(e.ID)
			n := level
			if n == 0 {
				n = min(pe.HintsSeen+1, len(h.Zh))
			}
			if n < 1 || n > len(h.Zh) {
				return fmt.Errorf("%s has hints 1 to %d", e.ID, len(h.Zh))
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s — %s / %s (%s)\n", e.ID, e.Title.Zh, e.Title.En, bookRef(e.Book))
			if lang != "en" {
				fmt.Fprintf(out, "\n## 提示 %d / %d\n\n%s\n", n, len(h.Zh), h.Zh[n-1])
			}
			if lang != "zh" {
				fmt.Fprintf(out, "\n## Hint %d / %d\n\n%s\n", n, len(h.En), h.En[n-1])
			}
			if n < len(h.Zh) {
				fmt.Fprintf(out, "\n(dockerlab lab hint %s shows hint %d next)\n", e.ID, n+1)
			} else {
				fmt.Fprintf(out, "\n(that was the last hint; dockerlab lab solution %s shows the original once you pass)\n", e.ID)
			}
			if n > pe.HintsSeen {
				pe.HintsSeen = n
				l.Tree.SaveProgress(p)
			}
			return nil
		}),
	}
	c.Flags().IntVarP(&level, "n", "n", 0, "show hint N (default: the next one not yet shown)")
	c.Flags().StringVar(&lang, "lang", "", "zh or en (default: both)")
	return c
}

// checkFlags are shared by check and watch.
type checkFlags struct {
	all     bool
	asJSON  bool
	verbose bool
	timeout time.Duration
}

func (f *checkFlags) add(c *cobra.Command, withAll bool) {
	if withAll {
		c.Flags().BoolVar(&f.all, "all", false, "every exercise of this tree")
		c.Flags().BoolVar(&f.asJSON, "json", false, "print a JSON grade report instead (for autograders)")
	}
	c.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "print every test's output")
	c.Flags().DurationVar(&f.timeout, "timeout", time.Minute, "give up on a test run after this long (an endless loop in your code ends here)")
}

// backendOf is "fake" unless --backend was given on this command line
// (DOCKERLAB_BACKEND in the environment, which the demos use, does not
// move the checks to the real kernel).
func backendOf(cmd *cobra.Command) string {
	if f := cmd.Flags().Lookup("backend"); f != nil && f.Changed {
		return f.Value.String()
	}
	return "fake"
}

func newCheckCmd(open opener) *cobra.Command {
	var f checkFlags
	c := &cobra.Command{
		Use:   "check ID|chNN|PATTERN… | --all",
		Short: "check exercises: not started? go vet, then their tests; exit 0 only if all pass",
		Long: `check looks at each exercise in three steps: is its lab.TODO still in the
code (then it is "not started")? does go vet pass on its packages? do its
tests (TestChNNName…) pass? On the fake kernel by default; with
--backend linux (root, Linux) the tests run on the real kernel inside a
throwaway network namespace, and the linux-only ones (…_Linux…) run too.
--json prints a grade report; the exit status is 0 only when every
selected exercise passed.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := open()
			if err != nil {
				return err
			}
			pattern := strings.Join(args, ",")
			switch {
			case f.all && pattern != "":
				return errors.New("give exercises or --all, not both")
			case f.all:
				pattern = "all"
			case pattern == "":
				return errors.New("name an exercise (ch06.setup-iptables), a chapter (ch06), a pattern ('ch06.*') or --all")
			}
			entries, err := l.Select(pattern)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			rep := l.Check(ctx, entries, CheckOptions{Backend: backendOf(cmd), Verbose: f.verbose, Timeout: f.timeout})
			if f.asJSON {
				if err := rep.WriteJSON(cmd.OutOrStdout()); err != nil {
					return err
				}
			} else {
				l.Render(cmd.OutOrStdout(), rep, f.verbose)
			}
			if !rep.OK() {
				return ExitError{Code: 1}
			}
			return nil
		},
	}
	f.add(c, true)
	return c
}

func newWatchCmd(open opener) *cobra.Command {
	var f checkFlags
	var interval time.Duration
	var maxRuns int
	c := &cobra.Command{
		Use:   "watch ID",
		Short: "check an exercise, then again each time one of its files changes (Ctrl-C stops)",
		Args:  cobra.ExactArgs(1),
		RunE: onExercise(open, func(cmd *cobra.Command, l *Lab, e *Entry) error {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			out := cmd.OutOrStdout()
			files := l.watchedFiles(e.ID)
			last := snapshot(l.Tree, files)
			for run := 1; ; run++ {
				rep := l.Check(ctx, []*Entry{e}, CheckOptions{Backend: backendOf(cmd), Verbose: f.verbose, Timeout: f.timeout})
				l.Render(out, rep, f.verbose)
				if maxRuns > 0 && run >= maxRuns {
					return nil
				}
				fmt.Fprintf(out, "\n-- watching %d files of %s (Ctrl-C stops) --\n", len(files), e.ID)
				for {
					select {
					case <-ctx.Done():
						return nil
					case <-time.After(interval):
					}
					if now := snapshot(l.Tree, files); now != last {
						last = now
						fmt.Fprintf(out, "\n-- changed; checking again --\n")
						break
					}
				}
			}
		}),
	}
	f.add(c, false)
	c.Flags().DurationVar(&interval, "interval", time.Second, "how often to look at the files")
	c.Flags().IntVar(&maxRuns, "max-runs", 0, "stop after this many checks (0: never)")
	c.Flags().MarkHidden("max-runs")
	return c
}

// watchedFiles are the .go files of an exercise's packages (its code and
// its tests).
func (l *Lab) watchedFiles(id string) []string {
	vet, _ := l.dirsOf(id)
	dirs := map[string]bool{}
	for _, d := range vet {
		dirs[d] = true
	}
	var out []string
	for _, f := range l.Files {
		if strings.HasSuffix(f, ".go") && dirs[filepath.ToSlash(filepath.Dir(f))] {
			out = append(out, f)
		}
	}
	return out
}

// snapshot is the size and modification time of each file, as one string.
func snapshot(t *Tree, files []string) string {
	var b strings.Builder
	for _, f := range files {
		if fi, err := os.Stat(t.Abs(f)); err == nil {
			fmt.Fprintf(&b, "%s %d %d\n", f, fi.Size(), fi.ModTime().UnixNano())
		} else {
			fmt.Fprintf(&b, "%s gone\n", f)
		}
	}
	return b.String()
}

func newGenCmd(open opener) *cobra.Command {
	var opts GenOptions
	var solutions bool
	c := &cobra.Command{
		Use:   "gen --exercises PATTERNS --out DIR [--solutions [--solutions-dir DIR]]",
		Short: "write a student tree with the chosen exercises stubbed (and, apart, one solution diff each)",
		Long: `gen copies this clone's files (what git tracks and does not ignore; never
.git, whose history holds the solutions) to DIR, with the selected
exercises stubbed, and writes DIR/.lab/manifest.json (the exercises, and
the SHA-256 of every test file, so that lab check notices edited tests).
With --solutions, one <id>.diff per exercise goes to DIR-solutions (or
--solutions-dir), which must be outside DIR: publish them after the
deadline (patch -p1 < <id>.diff in a student tree). gen checks that the student
tree builds, vets, and holds no line of the removed code.

PATTERNS is a comma-separated list of IDs (ch06.setup-iptables), chapters
(ch06), globs ('ch06.*') or all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Patterns == "" || opts.Out == "" {
				return errors.New("--exercises and --out are required")
			}
			if solutions && opts.Solutions == "" {
				opts.Solutions = filepath.Clean(opts.Out) + "-solutions"
			}
			l, err := open()
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			res, err := l.Gen(cmd.Context(), opts, out)
			if res != nil {
				var ids []string
				for _, e := range res.Entries {
					ids = append(ids, e.ID)
				}
				fmt.Fprintf(out, "wrote %d files to %s; stubbed %s in %d file(s)\n", res.Files, opts.Out, strings.Join(ids, ", "), len(res.Stubbed))
				if len(res.Solutions) > 0 {
					fmt.Fprintf(out, "solutions (keep them until the deadline): %s\n", filepath.Dir(res.Solutions[0]))
				}
			}
			return err
		},
	}
	c.Flags().StringVar(&opts.Patterns, "exercises", "", "which exercises: IDs, chapters, globs, comma-separated ('ch06.*,ch04')")
	c.Flags().StringVar(&opts.Out, "out", "", "the new student tree's directory (must not exist, or be empty)")
	c.Flags().BoolVar(&solutions, "solutions", false, "also write one solution diff per exercise, into OUT-solutions (or --solutions-dir)")
	c.Flags().StringVar(&opts.Solutions, "solutions-dir", "", "where --solutions writes the diffs (outside --out)")
	c.Flags().BoolVar(&opts.NoVerify, "no-verify", false, "skip building and vetting the student tree")
	return c
}

func newVerifyCmd(open opener) *cobra.Command {
	var opts VerifyOptions
	c := &cobra.Command{
		Use:   "verify",
		Short: "check the checker: every exercise's stub builds and fails, its wrong answers fail, the original passes, gen is exact",
		Long: `verify proves, for every exercise (or those --exercises selects): its
markers are well formed and its manifest entry, tests and hints exist;
the full tree passes its check; with only that exercise stubbed the tree
builds and vets, and the check fails with "not started" (its tests reach
lab.TODO); each wrong answer — the stub's zero values without lab.TODO, and
the hand-written near misses in chapters/*/lab/wrong/<id>.txtar — fails
the check; and lab gen is exact (nothing selected gives the input back
byte for byte, twice gives the same tree, no removed line is left). A
linux-only exercise's tests skip on the fake: there verify proves that its
stub builds, vets and is not started and that its wrong answers build; as
root on Linux it also runs the full tree, the stub and the wrong answers on
the real kernel. It runs in a full clone; make test runs it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := open()
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			if err := l.Verify(ctx, opts, cmd.OutOrStdout()); err != nil {
				if errors.Is(err, errVerifyFailed) {
					return ExitError{Code: 1}
				}
				return err
			}
			return nil
		},
	}
	c.Flags().StringVar(&opts.Patterns, "exercises", "all", "verify only these exercises (the tree-wide checks still run)")
	c.Flags().IntVarP(&opts.Jobs, "jobs", "j", 0, "exercises verified at once (default: the number of CPUs)")
	c.Flags().BoolVar(&opts.Keep, "keep", false, "keep the temporary files (overlays, generated trees) and print where")
	return c
}

func printLines(w io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}
