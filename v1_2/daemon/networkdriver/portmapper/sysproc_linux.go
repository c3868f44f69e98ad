//go:build linux

// Upstream: daemon/networkdriver/portmapper/proxy.go at v1.2.0 (Pdeathsig, so
// that a docker-proxy does not outlive a daemon that dies).
package portmapper

import "syscall"

// proxySysProcAttr asks the kernel to send SIGTERM to the proxy when the
// thread that forked it dies. Start forks from a thread that never ends
// (forkthread.go), so in practice that is when the daemon dies.
func proxySysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
