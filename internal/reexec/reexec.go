// Package reexec lets one binary be several programs: the dockerlab CLI, and
// the little init that runs inside a new container's namespaces. It is the
// idea of Docker 1.2.0's top-level reexec/ package (book ch.13 "dockerinit启动"): the parent
// starts /proc/self/exe with argv[0] set to a registered name, and the child,
// first thing in main(), notices that name and runs the registered function
// instead of the normal program.
//
// Every binary (and every test binary) that may be re-executed must start
// with
//
//	if reexec.Init() {
//		return
//	}
package reexec

import (
	"fmt"
	"os"
	"os/exec"
)

// initializers maps an argv[0] name to the function the child runs.
var initializers = map[string]func(){}

// Register makes name a re-exec entry point. Registering a name twice is a
// programming error, reported on stderr and ignored: nothing here panics.
func Register(name string, fn func()) {
	if _, taken := initializers[name]; taken {
		fmt.Fprintf(os.Stderr, "reexec: %q registered twice; keeping the first\n", name)
		return
	}
	initializers[name] = fn
}

// Init runs the function registered for os.Args[0], if any, and reports
// whether it did. The registered function normally never returns (it execs
// or exits); if it does, the caller should return from main.
func Init() bool {
	initCalled = true
	fn, ok := initializers[os.Args[0]]
	if !ok {
		return false
	}
	fn()
	return true
}

// initCalled records that Init ran, see Initialized.
var initCalled bool

// Initialized says whether this binary called Init. A parent checks it
// before re-executing itself: a binary that never calls Init would, as the
// child, simply run its main (or its whole test suite) again.
func Initialized() bool { return initCalled }

// Self is the path of the running binary as the kernel knows it. Using
// /proc/self/exe rather than os.Args[0] means the child is the very same
// program even if the file on disk was replaced meanwhile.
const Self = "/proc/self/exe"

// Command returns a command that re-executes this binary with argv
// args; args[0] must be a registered name. Unlike Docker's version it does
// not set Pdeathsig: the caller decides, because Pdeathsig fires when the
// creating OS thread exits, which is wrong for children forked from a
// throwaway locked goroutine.
func Command(args ...string) *exec.Cmd {
	return &exec.Cmd{Path: Self, Args: args}
}
