// Signals in the simulated machine: default actions, stop/continue, and
// the PID-namespace init quirk (docs/design.md "Fidelity": reproduce quirks that
// teach something; book ch.14 namespaces; note 003 PID namespace).
//
// The quirk: the init (pid 1) of a PID namespace gets no signal whose
// default action applies unless it installed a handler; only SIGKILL and
// SIGSTOP sent from an ancestor namespace always land. That is why
// `docker stop` on a container whose pid 1 is a plain `sh` or `sleep` waits
// out its 10 s grace period: the SIGTERM is dropped and only the SIGKILL
// that follows ends it. The fake copies this. A simulated program declares
// a handler through the optional System method HandleSignal (see
// system.go); the shell's `trap` is meant to call it.
package fake

import (
	"context"
	"sync"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

type sigAction int

const (
	actTerminate sigAction = iota
	actStop
	actContinue
	actIgnore
)

// defaultAction is signal(7)'s table (core dumps count as terminate).
func defaultAction(sig syscall.Signal) sigAction {
	switch sig {
	case sigSTOP, sigTSTP, sigTTIN, sigTTOU:
		return actStop
	case sigCONT:
		return actContinue
	case sigCHLD, sigURG, sigWINCH:
		return actIgnore
	}
	return actTerminate
}

// signalCause is the cancel cause of a killed process's context: the
// userland's shell finds the signal in it (errors.As on a Signal method)
// to run its trap.
type signalCause struct{ sig syscall.Signal }

func (c signalCause) Error() string          { return "killed by signal " + c.sig.String() }
func (c signalCause) Signal() syscall.Signal { return c.sig }

// liveProc is the part of a simulated process that exists only in the OS
// process running it: its context, its end, whether it is paused.
type liveProc struct {
	pid    int
	ctx    context.Context
	cancel context.CancelCauseFunc
	done   chan struct{}
	status backend.ExitStatus

	mu      sync.Mutex
	killSig syscall.Signal
	stopped bool          // SIGSTOP
	frozen  bool          // its cgroup is frozen
	wake    chan struct{} // closed when it runs again
	handled map[syscall.Signal]bool
	ignored map[syscall.Signal]bool // SIG_IGN (system.go IgnoreSignal)
}

func newLiveProc() *liveProc {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &liveProc{ctx: ctx, cancel: cancel, done: make(chan struct{}), handled: map[syscall.Signal]bool{},
		ignored: map[syscall.Signal]bool{}}
}

// kill ends the process with sig: its context is cancelled and, whatever
// the program returns, its status is 128+sig.
func (lp *liveProc) kill(sig syscall.Signal) {
	lp.mu.Lock()
	if lp.killSig == 0 {
		lp.killSig = sig
	}
	lp.mu.Unlock()
	lp.cancel(signalCause{sig})
}

func (lp *liveProc) handles(sig syscall.Signal) bool {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	return lp.handled[sig]
}

// setPaused records SIGSTOP and freezer state and wakes the program when
// neither holds any more.
func (lp *liveProc) setPaused(stopped, frozen bool) {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	was := lp.stopped || lp.frozen
	lp.stopped, lp.frozen = stopped, frozen
	now := stopped || frozen
	switch {
	case now && !was:
		lp.wake = make(chan struct{})
	case !now && was && lp.wake != nil:
		close(lp.wake)
		lp.wake = nil
	}
}

// waitRunning blocks while the process is paused.
func (lp *liveProc) waitRunning(ctx context.Context) error {
	for {
		lp.mu.Lock()
		wake := lp.wake
		lp.mu.Unlock()
		if wake == nil {
			return ctx.Err()
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		case <-lp.ctx.Done():
			return lp.ctx.Err()
		}
	}
}

// signalRec sends sig to a process in the table. A process run by another
// Kernel (another dockerlab command) gets it through the pending list.
// Called inside a machine update.
func (k *Kernel) signalRec(m *machine, rec *procRec, sig syscall.Signal, fromParent bool) error {
	if sig == 0 {
		return nil
	}
	if sig < 0 || sig > 64 {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "kill", "", "invalid signal %d", int(sig))
	}
	if rec.Owner.Instance != k.me.Instance {
		m.Pending = append(m.Pending, pendingSignal{Pid: rec.Pid, Signal: int(sig), FromParent: fromParent, Owner: rec.Owner})
		return nil
	}
	lp, ok := k.live[rec.Pid]
	if !ok {
		return backend.ErrnoError(syscall.ESRCH, "kill", "")
	}
	k.deliver(m, rec, lp, sig, fromParent)
	return nil
}

// deliver applies a signal to a process this Kernel runs.
func (k *Kernel) deliver(m *machine, rec *procRec, lp *liveProc, sig syscall.Signal, fromParent bool) {
	act := defaultAction(sig)
	if lp.ignores(sig) && sig != syscall.SIGKILL && sig != sigSTOP {
		return // SIG_IGN: the kernel drops it
	}
	isInit := rec.PidNS == rec.Pid
	if isInit && !lp.handles(sig) && act != actContinue &&
		!(fromParent && (sig == syscall.SIGKILL || sig == sigSTOP)) {
		return // the PID-namespace init quirk (see the top of this file)
	}
	if lp.handles(sig) && act == actTerminate && sig != syscall.SIGKILL {
		// The program's handler runs (the shell's trap), and the
		// program ends with the status it chooses. (A handler for a
		// signal that would not terminate is not run: the simulated
		// shell cannot resume after a trap.)
		lp.cancel(signalCause{sig})
		return
	}
	switch act {
	case actTerminate:
		lp.kill(sig)
	case actStop:
		rec.Stopped = true
	case actContinue:
		rec.Stopped = false
	}
	k.syncLive(m)
}

// syncLive brings the paused state of this Kernel's processes in line
// with the table (SIGSTOP, frozen cgroups). Called with k.mu held.
func (k *Kernel) syncLive(m *machine) {
	for pid, lp := range k.live {
		if rec, ok := m.Procs[pid]; ok {
			lp.setPaused(rec.Stopped, m.frozen(rec.Cgroup))
		}
	}
}
