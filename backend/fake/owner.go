// Simulated processes on the shared machine (docs/design.md "The backend": the
// fake is one simulated machine shared by every command).
//
// A simulated process is goroutines inside the OS process that started it,
// its owner. The state file records the owner (OS pid, start time, and an
// instance id per Kernel value). When another command loads the state and
// the owner is gone, its processes are gone too — as if the machine lost
// them — and their namespaces are destroyed. A signal for a process of
// another owner is written to the pending list; the owner looks for
// pending signals every 100 ms while it runs processes and delivers them.
package fake

import (
	"os"
	"syscall"
	"time"
)

// pollEvery is how often an owner looks for pending signals.
const pollEvery = 100 * time.Millisecond

// ownerGone says whether the OS process that owns o has ended.
func ownerGone(o owner) bool {
	if o.OSPid == os.Getpid() {
		return false // another Kernel of this process: alive while we are
	}
	if !processAlive(o.OSPid) {
		return true
	}
	return o.Start != "" && processStart(o.OSPid) != o.Start
}

// reapOrphans ends the processes whose owner is gone. Called by update on
// a freshly loaded shared machine, with k.mu held.
func (k *Kernel) reapOrphans(m *machine) {
	for pid, rec := range m.Procs {
		if rec.Owner.Instance != k.me.Instance && ownerGone(rec.Owner) {
			k.reap(m, pid)
		}
	}
	keep := m.Pending[:0]
	for _, p := range m.Pending {
		if _, ok := m.Procs[p.Pid]; ok {
			keep = append(keep, p)
		}
	}
	m.Pending = keep
	if k.pollOn || len(k.live) > 0 {
		k.takePending(m)
	}
}

// takePending delivers the pending signals addressed to this Kernel, and
// kills its processes that vanished from the table (a Reset elsewhere).
func (k *Kernel) takePending(m *machine) {
	keep := m.Pending[:0]
	for _, p := range m.Pending {
		if p.Owner.Instance != k.me.Instance {
			keep = append(keep, p)
			continue
		}
		if rec, ok := m.Procs[p.Pid]; ok {
			if lp, ok := k.live[p.Pid]; ok {
				k.deliver(m, rec, lp, syscall.Signal(p.Signal), p.FromParent)
			}
		}
	}
	m.Pending = keep
	for pid, lp := range k.live {
		if _, ok := m.Procs[pid]; !ok {
			lp.kill(syscall.SIGKILL)
		}
	}
	k.syncLive(m)
}

// ensurePoller starts the pending-signal poller of a shared Kernel.
// Called with k.mu held.
func (k *Kernel) ensurePoller() {
	if k.path == "" || k.pollOn {
		return
	}
	k.pollOn = true
	k.poll = make(chan struct{})
	go k.pollLoop(k.poll)
}

func (k *Kernel) pollLoop(stop chan struct{}) {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		k.mu.Lock()
		idle := len(k.live) == 0
		if idle && k.poll == stop {
			k.pollOn = false
		}
		k.mu.Unlock()
		if idle {
			return
		}
		_ = k.update("poll", func(m *machine) error { return nil }) // reapOrphans takes the pending signals
	}
}
