//go:build windows

// Signal numbers the fake kernel acts on (see signals.go). Windows' syscall
// package lacks the job-control signals, so the simulated machine uses
// Linux's numbers.
package fake

import "syscall"

const (
	sigSTOP  = syscall.Signal(19)
	sigTSTP  = syscall.Signal(20)
	sigTTIN  = syscall.Signal(21)
	sigTTOU  = syscall.Signal(22)
	sigCONT  = syscall.Signal(18)
	sigCHLD  = syscall.Signal(17)
	sigURG   = syscall.Signal(23)
	sigWINCH = syscall.Signal(28)
)
