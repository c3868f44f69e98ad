// The thread docker-proxies are forked from.
//
// Upstream: daemon/networkdriver/portmapper/proxy.go at v1.2.0 (Pdeathsig in
// NewProxyCommand).
//
// Upstream started the proxy with Pdeathsig, so that it would not outlive
// its daemon. The kernel
// sends that signal when the *thread* that forked the child ends, not the
// process — harmless in 2014's Go, a trap today: the linux backend lets an OS
// thread end every time it starts a process inside another namespace (a
// goroutine locks the thread, switches namespace and exits without unlocking,
// so the tainted thread is thrown away), and a proxy forked earlier from that
// same thread would get its signal then. Forking every proxy from one thread
// that lives as long as the program gives Pdeathsig back its meaning: the
// proxy dies with the daemon.
package portmapper

import (
	"runtime"
	"sync"
)

var (
	forkThreadOnce sync.Once
	forkThread     chan func()
)

// onForkThread runs fn on the long-lived fork thread and returns its error.
func onForkThread(fn func() error) error {
	forkThreadOnce.Do(func() {
		forkThread = make(chan func())
		go func() {
			runtime.LockOSThread() // never unlocked: the thread must not end
			for f := range forkThread {
				f()
			}
		}()
	})
	done := make(chan error, 1)
	forkThread <- func() { done <- fn() }
	return <-done
}
