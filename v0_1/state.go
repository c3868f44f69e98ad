// State: whether a container runs, its pid, its exit code, and a way to
// wait for the next change.
//
// Upstream: state.go at v0.1.0 (State, setRunning, setStopped, wait),
// utils.go at v0.1.0 (HumanDuration). See docs/upstream/v0.1.0.md §6
// "State, monitor, Wait" and §9.11, §9.12.
//
// 0.1.0 kept HumanDuration in utils.go and used it for `docker ps`'s
// STATUS column ("Up 3 minutes") and `docker history`.
//
// In 0.1.0 the lock and condition variable were pointers created by
// Runtime.Register, so a State that had not been registered panicked on
// first use; here they are made on first use. Divergences:
//   - setRunning and setStopped change the fields under the lock, and
//     waitStopped checks Running under that same lock before sleeping.
//     0.1.0's Container.Wait read Running outside the lock and then
//     called wait(), so a stop landing in between was missed and the
//     waiter slept until the next change (§9.12, a lost wakeup);
//   - HumanDuration prints whole years; 0.1.0 printed a float64 with %d,
//     "%!d(float64=2.5) years" (§9.11).
package docker

import (
	"fmt"
	"sync"
	"time"
)

// State is saved inside config.json as
// {"Running":true,"Pid":1234,"ExitCode":0,"StartedAt":"…"}; the lock is
// not exported so it is not saved.
type State struct {
	Running   bool
	Pid       int
	ExitCode  int
	StartedAt time.Time

	changes *stateChanges
}

// stateChanges is the mutex and condition variable 0.1.0 called
// stateChangeLock and stateChangeCond.
type stateChanges struct {
	lock sync.Mutex
	cond *sync.Cond
}

// stateInit guards making a State's stateChanges on first use, so two
// goroutines touching a fresh State still share one lock.
var stateInit sync.Mutex

func (s *State) sync() *stateChanges {
	stateInit.Lock()
	defer stateInit.Unlock()
	if s.changes == nil {
		s.changes = &stateChanges{}
		s.changes.cond = sync.NewCond(&s.changes.lock)
	}
	return s.changes
}

// String is the STATUS column of `docker ps`: "Up <duration>" while
// running, "Exit <code>" after.
func (s *State) String() string {
	if s.Running {
		return fmt.Sprintf("Up %s", HumanDuration(time.Since(s.StartedAt)))
	}
	return fmt.Sprintf("Exit %d", s.ExitCode)
}

// setRunning records a started process (in 0.1.0 the pid of lxc-start)
// and wakes every waiter.
func (s *State) setRunning(pid int) {
	c := s.sync()
	c.lock.Lock()
	s.Running = true
	s.ExitCode = 0
	s.Pid = pid
	s.StartedAt = time.Now()
	c.cond.Broadcast()
	c.lock.Unlock()
}

// setStopped records the exit code and wakes every waiter.
func (s *State) setStopped(exitCode int) {
	c := s.sync()
	c.lock.Lock()
	s.Running = false
	s.Pid = 0
	s.ExitCode = exitCode
	c.cond.Broadcast()
	c.lock.Unlock()
}

// wait sleeps until the next setRunning or setStopped, as 0.1.0's did.
// It has the lost-wakeup race described above when used as
// `for s.Running { s.wait() }`; use waitStopped for that.
func (s *State) wait() {
	c := s.sync()
	c.lock.Lock()
	c.cond.Wait()
	c.lock.Unlock()
}

// waitStopped returns the exit code once the container is not running,
// at once if it already is not. It is Container.Wait's loop with the
// check moved under the lock.
func (s *State) waitStopped() int {
	c := s.sync()
	c.lock.Lock()
	defer c.lock.Unlock()
	for s.Running {
		c.cond.Wait()
	}
	return s.ExitCode
}

// HumanDuration says roughly how long d is, in 0.1.0's words and steps:
// "Less than a second", "N seconds", "About a minute", "N minutes",
// "About an hour", "N hours" (under 48), "N days" (under two weeks),
// "N weeks" (under about three months), "N months" (under two years),
// "N years".
func HumanDuration(d time.Duration) string {
	seconds := int(d.Seconds())
	minutes := int(d.Minutes())
	hours := int(d.Hours())
	switch {
	case seconds < 1:
		return "Less than a second"
	case seconds < 60:
		return fmt.Sprintf("%d seconds", seconds)
	case minutes == 1:
		return "About a minute"
	case minutes < 60:
		return fmt.Sprintf("%d minutes", minutes)
	case hours == 1:
		return "About an hour"
	case hours < 48:
		return fmt.Sprintf("%d hours", hours)
	case hours < 24*7*2:
		return fmt.Sprintf("%d days", hours/24)
	case hours < 24*30*3:
		return fmt.Sprintf("%d weeks", hours/24/7)
	case hours < 24*365*2:
		return fmt.Sprintf("%d months", hours/24/30)
	}
	return fmt.Sprintf("%d years", hours/24/365)
}
