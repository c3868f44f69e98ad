// 信号捕获: what SIGINT, SIGTERM and SIGQUIT do to the daemon.
//
// Upstream: pkg/signal/trap.go at v1.2.0 (Trap). See docs/upstream/v1.2.0.md
// §2.2 step 2.
// Book: ch.3 §3.3.4 设置信号捕获.
//
// SIGINT or SIGTERM: clean up (eng.Shutdown runs the hooks NewDaemon
// added) and stop. A third one while cleaning up: stop at once, without
// cleanup. SIGQUIT (not in debug mode): stop at once.
//
// Divergence: upstream's handler called os.Exit(0) itself. Here the
// first signal only asks MainDaemon to stop (through stop), so that a
// test running MainDaemon in-process survives and the command returns
// normally.
package docker

import (
	"os"
	"os/signal"
	"syscall"
)

// trap starts listening; stop receives the first INT or TERM. The
// returned function stops listening.
func trap(stop chan<- os.Signal, debug bool) func() {
	c := make(chan os.Signal, 3)
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !debug {
		sigs = append(sigs, syscall.SIGQUIT)
	}
	signal.Notify(c, sigs...)
	done := make(chan struct{})
	go func() {
		count := 0
		for {
			select {
			case <-done:
				return
			case sig := <-c:
				if sig == syscall.SIGQUIT {
					os.Exit(128 + int(syscall.SIGQUIT))
				}
				count++
				if count == 1 {
					stop <- sig
				}
				if count >= 3 {
					os.Exit(128 + int(sig.(syscall.Signal)))
				}
			}
		}
	}()
	return func() {
		signal.Stop(c)
		close(done)
	}
}
