// Running a program: the fake kernel's execve (docs/design.md "The backend";
// book ch.13 dockerinit, which ends by exec'ing the container's command).
//
// Run resolves argv[0] in the rootfs, builds the argv the kernel would
// (a "#!" script becomes interpreter + script + args), and calls the
// simulated busybox applet the argv names, exactly as busybox picks its
// applet from the name it was invoked by.
package userland

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// applet is one simulated busybox command. p.Args[0] is its name.
type applet func(p *Process) int

// applets is the registry, filled by the init functions of the files that
// define them (one file per group: fileutils.go, textutils.go, ...).
var applets = map[string]applet{}

func register(fn applet, names ...string) {
	for _, n := range names {
		applets[n] = fn
	}
}

// Applets returns the sorted names of the simulated applets.
func Applets() []string {
	names := make([]string, 0, len(applets))
	for n := range applets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Exit codes a shell reports for a command it could not start.
const (
	exitNotRunnable = 126
	exitNotFound    = 127
)

// Run resolves p.Args[0] (Lookup with p.Env, relative names against
// p.Dir), runs it and returns its exit code: 127 when it is not found, 126
// when it is found but cannot run, with a busybox-style message on
// p.Stderr.
func Run(p *Process) int {
	p = withDefaults(p)
	if len(p.Args) == 0 {
		fmt.Fprintln(p.Stderr, "sh: : not found")
		return exitNotFound
	}
	if p.Root == nil {
		fmt.Fprintf(p.Stderr, "sh: %s: no root filesystem\n", p.Args[0])
		return exitNotFound
	}
	prog, err := findProgramIn(newFsys(p), p.Args[0], p.Env)
	if err != nil {
		return reportExecError(p, p.Args[0], err)
	}
	return runProgram(p, prog)
}

// reportExecError prints why name did not start, as ash does, and returns
// the matching exit code.
func reportExecError(p *Process, name string, err error) int {
	switch {
	case errors.Is(err, backend.ErrProgNotFound):
		fmt.Fprintf(p.Stderr, "sh: %s: not found\n", name)
		return exitNotFound
	case errors.Is(err, syscall.EACCES):
		fmt.Fprintf(p.Stderr, "sh: %s: Permission denied\n", name)
	default:
		fmt.Fprintf(p.Stderr, "sh: %s: %v\n", name, err)
	}
	return exitNotRunnable
}

// runProgram runs a resolved program with p's arguments.
func runProgram(p *Process, prog *program) int {
	argv := p.Args
	if prog.prefix != nil {
		argv = append(append([]string(nil), prog.prefix...), p.Args[1:]...)
	}
	q := *p
	q.Args = argv
	return runApplet(&q)
}

// runApplet is busybox's main: the applet is the basename of argv[0];
// invoked as "busybox", it is argv[1].
func runApplet(p *Process) int {
	name := path.Base(p.Args[0])
	if name == "busybox" {
		if len(p.Args) < 2 || p.Args[1] == "--help" {
			busyboxUsage(p)
			return 0
		}
		if p.Args[1] == "--list" {
			for _, n := range Applets() {
				fmt.Fprintln(p.Stdout, n)
			}
			return 0
		}
		q := *p
		q.Args = p.Args[1:]
		p = &q
		name = path.Base(p.Args[0])
	}
	fn, ok := applets[name]
	if !ok {
		fmt.Fprintf(p.Stderr, "%s: applet not found\n", name)
		return exitNotFound
	}
	if err := p.Sys.Stopped(p.Ctx); err != nil {
		return killedStatus
	}
	return fn(p)
}

// killedStatus is what an applet returns when its context is cancelled
// (it was killed); the kernel reports the real signal status anyway.
const killedStatus = 128 + int(syscall.SIGTERM)

func busyboxUsage(p *Process) {
	fmt.Fprintln(p.Stdout, "BusyBox (dockerlab fake userland) multi-call binary.")
	fmt.Fprintln(p.Stdout, "Usage: busybox [function [arguments]...]")
	fmt.Fprintln(p.Stdout, "\nCurrently defined functions:")
	for _, n := range Applets() {
		fmt.Fprintf(p.Stdout, "\t%s\n", n)
	}
}

// withDefaults fills what a caller left zero, so applets need no nil
// checks: discard output, empty input, cwd "/", a background context.
func withDefaults(p *Process) *Process {
	q := *p
	if q.Stdout == nil {
		q.Stdout = discard{}
	}
	if q.Stderr == nil {
		q.Stderr = discard{}
	}
	if q.Stdin == nil {
		q.Stdin = emptyReader{}
	}
	if q.Dir == "" {
		q.Dir = "/"
	}
	q.Dir = absPath("/", q.Dir)
	if q.Ctx == nil {
		q.Ctx = context.Background()
	}
	if q.Sys == nil {
		q.Sys = newStandalone(q.Args)
	}
	return &q
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, io.EOF }
