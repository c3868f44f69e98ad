// Tests for State and HumanDuration (state.go and utils.go of Docker
// v0.1.0; reference docs/upstream/v0.1.0.md §6, §9.11, §9.12).
package docker

import (
	"encoding/json"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHumanDurationSteps(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "Less than a second"},
		{999 * time.Millisecond, "Less than a second"},
		{time.Second, "1 seconds"}, // 0.1.0 did not singularise
		{59 * time.Second, "59 seconds"},
		{60 * time.Second, "About a minute"},
		{119 * time.Second, "About a minute"},
		{2 * time.Minute, "2 minutes"},
		{59 * time.Minute, "59 minutes"},
		{time.Hour, "About an hour"},
		{2 * time.Hour, "2 hours"},
		{47 * time.Hour, "47 hours"},
		{48 * time.Hour, "2 days"},
		{13 * day, "13 days"},
		{14 * day, "2 weeks"},
		{89 * day, "12 weeks"},
		{90 * day, "3 months"},
		{729 * day, "24 months"},
		{730 * day, "2 years"}, // 0.1.0 printed "%!d(float64=2) years"
		{3650 * day, "10 years"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, HumanDuration(c.d), c.d.String())
	}
}

func TestStateString(t *testing.T) {
	var s State
	assert.Equal(t, "Exit 0", s.String())

	s.setRunning(1234)
	assert.True(t, s.Running)
	assert.Equal(t, 1234, s.Pid)
	assert.Equal(t, "Up Less than a second", s.String())

	s.StartedAt = time.Now().Add(-3 * time.Minute)
	assert.Equal(t, "Up 3 minutes", s.String())

	s.setStopped(137)
	assert.False(t, s.Running)
	assert.Equal(t, 0, s.Pid)
	assert.Equal(t, "Exit 137", s.String())

	s.setRunning(99)
	assert.Equal(t, 0, s.ExitCode, "a new start clears the old exit code")
}

func TestStateJSONHasOnlyExportedFields(t *testing.T) {
	s := State{Running: true, Pid: 1234, StartedAt: time.Date(2013, 3, 23, 17, 0, 1, 0, time.UTC)}
	s.setStopped(0) // makes the lock
	s.Running, s.Pid = true, 1234
	data, err := json.Marshal(&s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Running":true,"Pid":1234,"ExitCode":0,"StartedAt":"2013-03-23T17:00:01Z"}`, string(data))
}

func TestWaitWakesOnAChange(t *testing.T) {
	var s State
	s.setRunning(1)
	woke := make(chan struct{})
	go func() {
		s.wait()
		close(woke)
	}()
	// wait() may not be asleep yet when a change happens (that is its
	// lost-wakeup race), so keep changing the state until it wakes.
	for done := false; !done; {
		select {
		case <-woke:
			done = true
		default:
			s.setStopped(3)
			runtime.Gosched()
		}
	}
	assert.Equal(t, 3, s.ExitCode)
}

func TestWaitStoppedNeverMissesTheStop(t *testing.T) {
	// Many waiters racing one stop: each must return 42, none may hang.
	var s State
	s.setRunning(7)
	var wg sync.WaitGroup
	codes := make(chan int, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- s.waitStopped()
		}()
	}
	s.setStopped(42)
	wg.Wait()
	close(codes)
	for code := range codes {
		assert.Equal(t, 42, code)
	}
	assert.Equal(t, 42, s.waitStopped(), "already stopped: returns at once")
}
