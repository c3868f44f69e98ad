// Upstream: engine/engine.go at v1.2.0 (OnShutdown, Shutdown, IsShutdown).
// Book: ch.3 §3.3.4 设置信号捕获 — on SIGINT/SIGTERM the daemon calls
// eng.Shutdown(), which lets running jobs finish and then runs the cleanup
// hooks (close the graph, unmount, remove the pid file) that NewDaemon added.
package engine

import (
	"sync"
	"time"
)

// The two waits upstream bounds: in-flight jobs, then the shutdown hooks. A
// daemon that hangs on a stuck job must still exit.
var (
	shutdownTaskTimeout = 5 * time.Second
	shutdownHookTimeout = 10 * time.Second
)

// OnShutdown adds a function to run when the engine shuts down.
func (eng *Engine) OnShutdown(h func()) {
	eng.l.Lock()
	eng.onShutdown = append(eng.onShutdown, h)
	eng.l.Unlock()
}

// Shutdown refuses new jobs, waits up to 5 s for running jobs, then runs all
// hooks at the same time and waits up to 10 s for them. Calling it twice is
// harmless: the second call returns at once.
func (eng *Engine) Shutdown() {
	eng.l.Lock()
	if eng.shutdown {
		eng.l.Unlock()
		return
	}
	eng.shutdown = true
	hooks := append([]func(){}, eng.onShutdown...)
	eng.l.Unlock()

	jobsDone := make(chan struct{})
	go func() {
		eng.tasks.Wait()
		close(jobsDone)
	}()
	select {
	case <-jobsDone:
	case <-time.After(shutdownTaskTimeout):
	}

	var hooksRunning sync.WaitGroup
	for _, h := range hooks {
		hooksRunning.Add(1)
		go func() {
			defer hooksRunning.Done()
			h()
		}()
	}
	hooksDone := make(chan struct{})
	go func() {
		hooksRunning.Wait()
		close(hooksDone)
	}()
	select {
	case <-hooksDone:
	case <-time.After(shutdownHookTimeout):
	}
}

// IsShutdown reports whether Shutdown has been called.
func (eng *Engine) IsShutdown() bool {
	eng.l.RLock()
	defer eng.l.RUnlock()
	return eng.shutdown
}
