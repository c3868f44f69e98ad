// State: is a container running, since when, and how did its last run
// end. `docker ps` prints String(); `docker wait` and `docker stop` wait
// on it.
//
// Upstream: daemon/state.go at v1.2.0 (State, NewState, String, WaitRunning,
// WaitStop, SetRunning, SetStopped, SetRestarting, the Paused setters),
// pkg/units/duration.go at v1.2.0 (HumanDuration).
// Book: ch.12 §12.4 (waitForStart waits for SetRunning; the monitor calls
// SetStopped).
//
// How the waiting works (the idea worth reading): a State holds one open
// channel. Every waiter takes the current channel under the lock and
// blocks on it; every change of running-ness closes it (waking them all)
// and puts a fresh one in its place. No waiter list, no missed wake-up.
package daemon

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/pkg/units"
)

// State is a container's run state. The exported fields are the JSON of
// config.json's "State" and of `docker inspect`.
type State struct {
	sync.RWMutex
	Running    bool
	Paused     bool
	Restarting bool
	Pid        int
	ExitCode   int
	StartedAt  time.Time
	FinishedAt time.Time
	// Error is dockerlab's: why the daemon marked the container exited
	// without seeing it exit (restore after a daemon restart; see
	// docs/divergences.md). Empty otherwise, and then not written.
	Error string `json:",omitempty"`

	waitChan chan struct{}
}

// NewState is a never-started state.
func NewState() *State {
	return &State{waitChan: make(chan struct{})}
}

// String is what `docker ps` shows in STATUS, in 1.2's words:
// "Up 3 seconds", "Up 2 minutes (Paused)", "Exited (0) 5 seconds ago",
// and "" for a container that never ran.
func (s *State) String() string {
	s.RLock()
	defer s.RUnlock()
	now := time.Now().UTC()
	if s.Running {
		if s.Paused {
			return fmt.Sprintf("Up %s (Paused)", units.HumanDuration(now.Sub(s.StartedAt)))
		}
		if s.Restarting {
			return fmt.Sprintf("Restarting (%d) %s ago", s.ExitCode, units.HumanDuration(now.Sub(s.FinishedAt)))
		}
		return fmt.Sprintf("Up %s", units.HumanDuration(now.Sub(s.StartedAt)))
	}
	if s.FinishedAt.IsZero() {
		return ""
	}
	return fmt.Sprintf("Exited (%d) %s ago", s.ExitCode, units.HumanDuration(now.Sub(s.FinishedAt)))
}

// stateJSON is State without its methods, so that encoding it does not
// call MarshalJSON again.
type stateJSON State

// MarshalJSON reads the fields under the read lock: inspect and ToDisk
// run while the monitor may be changing them.
func (s *State) MarshalJSON() ([]byte, error) {
	s.RLock()
	defer s.RUnlock()
	return json.Marshal((*stateJSON)(s))
}

// UnmarshalJSON fills the fields and makes sure a loaded State can be
// waited on (the channel is not in the JSON).
func (s *State) UnmarshalJSON(data []byte) error {
	s.Lock()
	defer s.Unlock()
	if err := json.Unmarshal(data, (*stateJSON)(s)); err != nil {
		return err
	}
	if s.waitChan == nil {
		s.waitChan = make(chan struct{})
	}
	return nil
}

// waitOn blocks until ch is closed, or timeout passes (a negative
// timeout waits for ever).
func waitOn(ch <-chan struct{}, timeout time.Duration) error {
	if timeout < 0 {
		<-ch
		return nil
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ch:
		return nil
	case <-t.C:
		return fmt.Errorf("Timed out: %v", timeout)
	}
}

// WaitRunning returns the pid once the container runs (at once if it
// does already), or an error after timeout.
func (s *State) WaitRunning(timeout time.Duration) (int, error) {
	s.RLock()
	if s.Running {
		pid := s.Pid
		s.RUnlock()
		return pid, nil
	}
	ch := s.waitChan
	s.RUnlock()
	if err := waitOn(ch, timeout); err != nil {
		return -1, err
	}
	return s.GetPid(), nil
}

// WaitStop returns the exit code once the container is stopped (at once
// if it is), or -1 and an error after timeout.
func (s *State) WaitStop(timeout time.Duration) (int, error) {
	s.RLock()
	if !s.Running {
		code := s.ExitCode
		s.RUnlock()
		return code, nil
	}
	ch := s.waitChan
	s.RUnlock()
	if err := waitOn(ch, timeout); err != nil {
		return -1, err
	}
	return s.GetExitCode(), nil
}

// IsRunning says whether the container runs (or is restarting).
func (s *State) IsRunning() bool {
	s.RLock()
	defer s.RUnlock()
	return s.Running
}

// IsPaused says whether the container's processes are frozen.
func (s *State) IsPaused() bool {
	s.RLock()
	defer s.RUnlock()
	return s.Paused
}

// IsRestarting says whether a restart policy is bringing it back.
func (s *State) IsRestarting() bool {
	s.RLock()
	defer s.RUnlock()
	return s.Restarting
}

// GetPid is the container's first process, 0 when stopped.
func (s *State) GetPid() int {
	s.RLock()
	defer s.RUnlock()
	return s.Pid
}

// GetExitCode is the last run's exit code.
func (s *State) GetExitCode() int {
	s.RLock()
	defer s.RUnlock()
	return s.ExitCode
}

// wake closes the current channel (every waiter returns) and opens the
// next one. Called with the write lock held.
func (s *State) wake() {
	if s.waitChan != nil {
		close(s.waitChan)
	}
	s.waitChan = make(chan struct{})
}

// SetRunning records a started process.
func (s *State) SetRunning(pid int) {
	s.Lock()
	defer s.Unlock()
	s.Running, s.Paused, s.Restarting = true, false, false
	s.ExitCode = 0
	s.Error = ""
	s.Pid = pid
	s.StartedAt = time.Now().UTC()
	s.wake()
}

// SetStopped records how the process ended.
func (s *State) SetStopped(exitCode int) {
	s.Lock()
	defer s.Unlock()
	s.Running, s.Paused, s.Restarting = false, false, false
	s.Pid = 0
	s.ExitCode = exitCode
	s.FinishedAt = time.Now().UTC()
	s.wake()
}

// SetRestarting records an exit that the restart policy answers with a
// new run: the container still counts as running (stop, rm and start
// treat it so) but has no process.
func (s *State) SetRestarting(exitCode int) {
	s.Lock()
	defer s.Unlock()
	s.Running, s.Restarting = true, true
	s.Pid = 0
	s.ExitCode = exitCode
	s.FinishedAt = time.Now().UTC()
	s.wake()
}

// SetStoppedWithError is SetStopped for a run the daemon did not see
// end: why says what happened (dockerlab's, for restore).
func (s *State) SetStoppedWithError(exitCode int, why string) {
	s.SetStopped(exitCode)
	s.Lock()
	s.Error = why
	s.Unlock()
}

// SetPaused and SetUnpaused follow the freezer.
func (s *State) SetPaused() {
	s.Lock()
	s.Paused = true
	s.Unlock()
}

func (s *State) SetUnpaused() {
	s.Lock()
	s.Paused = false
	s.Unlock()
}
