//go:build linux

// Host.Kill: signal a process by pid, but only one dockerlab started.
//
// Docker 1.2's native driver could "kill it with fire" (Terminate) a
// container whose daemon had died, after checking the process's start
// time against the one it had saved, so that a reused pid was never hit
// (reference docs/upstream/v1.2.0.md §5.2). The pid registry (pidfile_linux.go)
// keeps that start time for every process this backend starts.

package linux

import (
	"strconv"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// Kill signals pid if this Host started it, or if the registry says an
// earlier dockerlab run on the same RunDir did and the pid has not been
// reused since. Anything else is ErrNotFound.
func (h *Host) Kill(pid int, sig syscall.Signal) error {
	h.mu.Lock()
	var mine *process
	for _, p := range h.procs {
		if p.pid == pid && !p.exited() {
			mine = p
		}
	}
	h.mu.Unlock()
	if mine != nil {
		return mine.Signal(sig)
	}
	if !registered(h.opts.RunDir, pid) {
		return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "kill", strconv.Itoa(pid),
			"no process with this pid was started by dockerlab on this machine")
	}
	return kernelErr("kill -"+strconv.Itoa(int(sig)), strconv.Itoa(pid), syscall.Kill(pid, sig))
}
