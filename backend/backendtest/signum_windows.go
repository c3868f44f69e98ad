//go:build windows

// The job-control signals the contract sends (signals.go). Windows'
// syscall package lacks them; the fake machine uses Linux's numbers.
package backendtest

import "syscall"

const (
	sigSTOP = syscall.Signal(19)
	sigCONT = syscall.Signal(18)
)
