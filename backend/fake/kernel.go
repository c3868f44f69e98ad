// Package fake is dockerlab's in-memory kernel: a backend.Host that needs no
// root and runs on any OS (docs/design.md "The backend"; reference
// docs/kernels.md §6 "A good fake backend").
//
// It copies the real kernel's answers — the same errors, wrapping the same
// errnos, for the same mistakes — so that code tested on the fake behaves
// the same on Linux. When the two disagree, the fake is wrong.
//
// A Kernel is either in memory (New, NewBare: one test, one machine) or
// shared (Open: its state lives in a JSON file guarded by a lock, so every
// `dockerlab --backend fake` command sees the same simulated machine).
package fake

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

// Kernel is one simulated machine.
type Kernel struct {
	mu   sync.Mutex
	path string   // state file; "" for an in-memory machine
	m    *machine // the machine; for a shared kernel, the copy loaded by the current operation

	me     owner             // who runs this Kernel's simulated processes
	live   map[int]*liveProc // processes whose goroutines run in this OS process
	faults map[string]error  // FailNext
	poll   chan struct{}     // closed to stop the pending-signal poller
	pollOn bool
	socks  *sockTable // TCP sockets of the running programs (sockets.go)
}

var _ backend.Host = (*Kernel)(nil)

// New returns a fresh in-memory machine: lo up with 127.0.0.1/8, eth0 up
// with 10.0.2.15/24 and a default route via 10.0.2.2 (QEMU's user-mode
// network), empty nat and filter tables, ip_forward 0.
func New() *Kernel { return newKernel(newMachine(false)) }

// NewBare returns an in-memory machine whose root namespace looks like a
// namespace fresh from `ip netns add`: only lo, down, no addresses. The
// contract suite uses it to compare with a throwaway real namespace.
func NewBare() *Kernel { return newKernel(newMachine(true)) }

func newKernel(m *machine) *Kernel {
	return &Kernel{m: m, me: thisOwner(), live: map[int]*liveProc{}, faults: map[string]error{}}
}

// thisOwner names the current OS process plus a random instance id, so two
// Kernels in one OS process can tell their processes apart.
func thisOwner() owner {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	pid := os.Getpid()
	return owner{OSPid: pid, Start: processStart(pid), Instance: hex.EncodeToString(b)}
}

// Name is "fake".
func (k *Kernel) Name() string { return "fake" }

// Close stops the pending-signal poller: a closed shared Kernel no longer
// picks up signals other commands send to its processes. Like a real
// machine, state stays.
func (k *Kernel) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.pollOn {
		close(k.poll)
		k.pollOn = false
	}
	return nil
}

// Reset turns the machine back into a fresh New() machine. Simulated
// processes this Kernel runs are killed first.
func (k *Kernel) Reset() error {
	k.mu.Lock()
	for _, lp := range k.live {
		lp.kill(9)
	}
	k.mu.Unlock()
	return k.update("reset", func(m *machine) error {
		next := m.NextPid // pids stay unique while killed processes wind down
		*m = *newMachine(false)
		m.NextPid = next
		return nil
	})
}

// FailNext makes the next operation named op fail with err, once (fault
// injection for error-path tests). Op names are the Net, IPTables and Host
// method names ("AddBridge", "LinkSetNs", "RouteAdd", "Append", "NewChain",
// "Start", "Mount") and, for cgroups, the operation as errors name it
// ("cgroup create", "cgroup add", "cgroup freeze", ...).
func (k *Kernel) FailNext(op string, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.faults[op] = err
}

// update runs fn on the machine under the lock and, for a shared machine,
// between loading and atomically saving the state file.
func (k *Kernel) update(op string, fn func(m *machine) error) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err, ok := k.faults[op]; ok {
		delete(k.faults, op)
		return err
	}
	if k.path == "" {
		return fn(k.m)
	}
	unlock, err := lockState(k.path)
	if err != nil {
		return err
	}
	defer unlock()
	m, old, err := loadMachine(k.path)
	if err != nil {
		return err
	}
	k.m = m
	k.reapOrphans(m)
	err = fn(m)
	if serr := saveMachine(k.path, m, old); serr != nil && err == nil {
		err = serr
	}
	return err
}

// view runs fn on the machine for reading. A shared machine goes through
// update, which writes only if something changed (processes of a vanished
// owner reaped, pending signals taken).
func (k *Kernel) view(op string, fn func(m *machine) error) error {
	if k.path == "" {
		k.mu.Lock()
		defer k.mu.Unlock()
		if err, ok := k.faults[op]; ok {
			delete(k.faults, op)
			return err
		}
		return fn(k.m)
	}
	return k.update(op, fn)
}
