// Command benchtable prints dockerlab's speed targets as a table (docs/design.md
// "Testing": speed and memory targets live in benchmarks, never in timed
// tests). Each row is measured several times; the table shows the median
// and the ratio to a reference row measured in the same run, on the same
// machine, so the numbers mean something on any hardware.
//
//	make bench                       # builds the image, then runs this
//	benchtable -rootfs build/images/busybox-rootfs -n 7
//
// Rows that need root print why they were skipped. Adding a row is adding
// an entry to rows() (see rows_*.go).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"regexp"
	"sync"
	"syscall"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

func main() {
	// The linux backend starts containers by re-executing this binary as
	// their init (book ch.13 dockerinit启动), so this must come first.
	if reexec.Init() {
		return
	}
	rootfs := flag.String("rootfs", "build/images/busybox-rootfs", "busybox root filesystem for the container rows (make images)")
	image := flag.String("image", "build/images/busybox.tar", "the busybox image as a tar, for `import` into the daemons")
	dockerlab := flag.String("dockerlab", "build/bin/dockerlab", "the dockerlab binary whose `v1.2 daemon` the API rows start")
	tools := flag.String("tools", "build/bench-tools", "runc, dockerd and containerd extracted from Debian's packages (scripts/bench-tools.sh)")
	n := flag.Int("n", 7, "runs per row; the table shows the median")
	only := flag.String("run", "", "only the rows whose group or name matches this regular expression (references included only if they match too)")
	quiet := flag.Bool("q", false, "print only the table (no progress lines on stderr)")
	strict := flag.Bool("strict", false, "exit 1 when a row fails (by default a failed row is reported and the run still succeeds)")
	flag.Parse()
	if *n < 1 {
		fmt.Fprintln(os.Stderr, "benchtable: -n must be at least 1")
		os.Exit(2)
	}
	cfg := config{Rootfs: *rootfs, Image: *image, Dockerlab: *dockerlab, Tools: *tools, Runs: *n}
	selected, err := selectRows(rows(cfg), *only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable: -run:", err)
		os.Exit(2)
	}
	stopOnSignal()
	if !*quiet {
		progress = os.Stderr
	}
	results := measureAll(selected, cfg.Runs)
	runAtExit()
	printTable(os.Stdout, results)
	for _, r := range results {
		if r.Err != nil && *strict {
			os.Exit(1)
		}
	}
}

// benchTmp is where every row makes its temporary directories: TMPDIR as
// it was when the benchmark started. The in-process v1.2 daemon points
// TMPDIR into its own root (NewDaemon does, as upstream did), and a
// directory made there would outlive nothing but would give dockerd a
// unix socket path longer than the kernel allows.
var benchTmp = os.TempDir()

// config is what rows may need to know.
type config struct {
	Rootfs    string
	Image     string
	Dockerlab string
	Tools     string
	Runs      int
}

// rows lists every measurement, references before the rows compared with
// them.
func rows(cfg config) []row {
	var all []row
	all = append(all, contractRows()...)
	all = append(all, startRows(cfg)...)
	all = append(all, listRow(cfg))
	all = append(all, buildRows(cfg)...)
	all = append(all, cliRows(cfg)...)
	all = append(all, apiRows(cfg)...)
	all = append(all, memoryRows(cfg)...)
	all = append(all, engineRows()...)
	all = append(all, allocRows()...)
	all = append(all, indexRows()...)
	all = append(all, labRows(cfg)...)
	all = append(all, registryRows()...)
	return all
}

// selectRows keeps the rows whose group or name matches pattern ("" keeps
// all).
func selectRows(all []row, pattern string) ([]row, error) {
	if pattern == "" {
		return all, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	var out []row
	for _, r := range all {
		if re.MatchString(r.Group) || re.MatchString(r.Name) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Fixtures several rows share (a daemon started once, a real Docker
// engine) are stopped here, after the last row, rather than by one row's
// cleanup.
var (
	atExitMu sync.Mutex // guards atExit
	atExit   []func()
	// exitRun is held while the functions run: a second caller (main
	// after the last row, while Ctrl-C's handler is still stopping the
	// daemon) waits for the first to finish instead of exiting under it.
	exitRun sync.Mutex
)

// onExit registers f to run after the last row (or on Ctrl-C), last
// registered first.
func onExit(f func()) {
	atExitMu.Lock()
	defer atExitMu.Unlock()
	atExit = append(atExit, f)
}

// runAtExit runs and forgets the registered functions.
func runAtExit() {
	exitRun.Lock()
	defer exitRun.Unlock()
	atExitMu.Lock()
	fs := atExit
	atExit = nil
	atExitMu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// stopOnSignal makes Ctrl-C (or SIGTERM) stop the daemons and engines the
// benchmark started before it exits, so none is left running.
func stopOnSignal() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		fmt.Fprintf(os.Stderr, "benchtable: %v: stopping what the benchmark started\n", sig)
		runAtExit()
		os.Exit(130)
	}()
}
