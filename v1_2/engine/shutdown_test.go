// Tests for shutdown.go: the behaviours upstream's engine/shutdown_test.go
// (v1.2.0) checks, written anew with channels instead of sleeps and timings.
package engine

import (
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShutdownEmpty(t *testing.T) {
	eng, _ := quietEngine()
	assert.False(t, eng.IsShutdown())
	eng.Shutdown()
	assert.True(t, eng.IsShutdown())
	eng.Shutdown() // a second call returns at once
}

func TestShutdownAfterRun(t *testing.T) {
	eng, _ := quietEngine()
	var calls int32
	require.NoError(t, eng.Register("foo", func(*Job) Status {
		atomic.AddInt32(&calls, 1)
		return StatusOK
	}))
	require.NoError(t, eng.Job("foo").Run())
	eng.Shutdown()
	require.EqualError(t, eng.Job("foo").Run(), "engine is shutdown")
	assert.Equal(t, int32(1), atomic.LoadInt32(&calls), "the refused job never ran")
}

// A job in flight holds Shutdown back; new jobs are refused meanwhile; the
// hooks run only after the job finished.
func TestShutdownWaitsForRunningJob(t *testing.T) {
	eng, _ := quietEngine()
	started := make(chan struct{})
	release := make(chan struct{})
	require.NoError(t, eng.Register("slow", func(*Job) Status {
		close(started)
		<-release
		return StatusOK
	}))
	require.NoError(t, eng.Register("fast", func(*Job) Status { return StatusOK }))

	jobErr := make(chan error, 1)
	go func() { jobErr <- eng.Job("slow").Run() }()
	<-started

	var jobFinished atomic.Bool
	hookSawFinishedJob := make(chan bool, 1)
	eng.OnShutdown(func() { hookSawFinishedJob <- jobFinished.Load() })

	shutdownDone := make(chan struct{})
	go func() {
		eng.Shutdown()
		close(shutdownDone)
	}()

	// Wait until Shutdown has begun (the flag is set before it waits).
	for !eng.IsShutdown() {
		runtime.Gosched()
	}
	require.EqualError(t, eng.Job("fast").Run(), "engine is shutdown")
	select {
	case <-shutdownDone:
		t.Fatal("Shutdown returned while a job was still running")
	default:
	}

	jobFinished.Store(true)
	close(release)
	require.NoError(t, <-jobErr)
	<-shutdownDone
	assert.True(t, <-hookSawFinishedJob, "hooks run after in-flight jobs")
}

func TestShutdownRunsAllHooks(t *testing.T) {
	eng, _ := quietEngine()
	var ran int32
	for i := 0; i < 3; i++ {
		eng.OnShutdown(func() { atomic.AddInt32(&ran, 1) })
	}
	eng.Shutdown()
	assert.Equal(t, int32(3), atomic.LoadInt32(&ran))
}

// "serveapi" is not counted, so Shutdown does not wait for it.
func TestShutdownDoesNotWaitForServeapi(t *testing.T) {
	eng, _ := quietEngine()
	started := make(chan struct{})
	release := make(chan struct{})
	require.NoError(t, eng.Register("serveapi", func(*Job) Status {
		close(started)
		<-release
		return StatusOK
	}))
	done := make(chan error, 1)
	go func() { done <- eng.Job("serveapi").Run() }()
	<-started
	eng.Shutdown() // returns without waiting for serveapi
	close(release)
	require.NoError(t, <-done)
}
