// The monitor: the goroutine that waits on a container's process, and
// what happens when it ends.
//
// Upstream: daemon/monitor.go at v1.2.0 (containerMonitor, Start/wait,
// callback, Close; restart policies). Book ch.12 §12.4 (waitForStart and
// the goroutine that waits in daemon.Run).
package daemon

// containerMonitor watches one run of a container.
type containerMonitor struct {
	container *Container
}
