// A System for a program run without a kernel: Run called with a nil Sys
// (a tool or a test that only wants the shell on a directory). It is one
// process, pid 1, alone in its namespaces, with no network; children run
// in the caller's goroutine under the same pid. Programs never panic for
// lack of a kernel (docs/design.md "Testing": no panic reaches a user).
package userland

import (
	"context"
	"sync"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

type standalone struct {
	mu       sync.Mutex
	hostname string
	args     []string
}

func newStandalone(args []string) *standalone {
	return &standalone{hostname: "localhost", args: append([]string(nil), args...)}
}

func (s *standalone) Pid() int { return 1 }

func (s *standalone) Hostname() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hostname
}

func (s *standalone) SetHostname(name string) error {
	if name == "" || len(name) > 64 {
		return backend.ErrnoError(syscall.EINVAL, "sethostname", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hostname = name
	return nil
}

func (s *standalone) Procs() []backend.ProcInfo {
	return []backend.ProcInfo{{Pid: 1, Args: s.args, State: "running"}}
}

func (s *standalone) Kill(pid int, sig syscall.Signal) error {
	if pid != 1 {
		return backend.ErrnoError(syscall.ESRCH, "kill", "")
	}
	if sig == 0 {
		return nil
	}
	// No kernel to end us: refuse rather than pretend.
	return backend.ErrnoError(syscall.EPERM, "kill", "1")
}

func (s *standalone) Net() backend.Net { return nil }

func (s *standalone) Spawn(p *Process) (int, error) {
	q := *p
	q.Sys = s
	return Run(&q), nil
}

func (s *standalone) Stopped(ctx context.Context) error { return ctx.Err() }
