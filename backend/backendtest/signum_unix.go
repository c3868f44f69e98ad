//go:build unix

// The job-control signals the contract sends (signals.go), by the
// platform's own numbers.
package backendtest

import "syscall"

const (
	sigSTOP = syscall.SIGSTOP
	sigCONT = syscall.SIGCONT
)
