// The simulated userland's view of the fake kernel (docs/design.md "The
// backend": the fake runs a simulated userland, never a host binary).
//
// A program in a fake container is Go code in this package: a shell
// (mvdan.cc/sh/v3) and busybox-like applets. Everything it does to files
// goes through Process.Root, an *os.Root opened on the container's rootfs,
// so it cannot reach outside it; everything it asks of the kernel (its
// hostname, the process table, its network namespace, signals, starting a
// child) goes through System, which backend/fake implements. It opens no
// host sockets and sees no host processes.
package userland

import (
	"context"
	"io"
	"os"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// Process is what a simulated program runs with: the equivalent of argv,
// envp, the cwd, fds 0-2 and the root directory of a real process.
type Process struct {
	Args []string
	Env  []string
	Dir  string   // absolute path inside Root
	Root *os.Root // the container's rootfs; nothing outside it is reachable

	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	Uid, Gid int

	// Ctx is cancelled when the process is killed (SIGKILL, or a signal
	// whose default action is to terminate). Programs return promptly.
	Ctx context.Context

	Sys System
}

// System is the kernel as a simulated program sees it.
type System interface {
	// Pid is the caller's pid as seen inside its PID namespace (1 for a
	// container's first process).
	Pid() int
	Hostname() string
	SetHostname(name string) error
	// Procs lists the processes visible in the caller's PID namespace,
	// with pids as seen inside it.
	Procs() []backend.ProcInfo
	// Kill sends sig to a pid of the caller's PID namespace.
	Kill(pid int, sig syscall.Signal) error
	// Net is the caller's network namespace.
	Net() backend.Net
	// Spawn starts a child process (the shell's fork+exec): it gets a pid
	// of its own in the process table, runs p, and returns its exit code
	// when it ends. The kernel resolves and runs p.Args[0] with Run.
	Spawn(p *Process) (int, error)
	// Stopped blocks while the process is stopped by SIGSTOP or a frozen
	// cgroup, and returns ctx.Err() if it is killed meanwhile. Programs
	// call it wherever they wait or loop, so that stop/freeze is visible.
	Stopped(ctx context.Context) error
}
