//go:build unix

// Signal numbers the fake kernel acts on (see signals.go). On unix they are
// the platform's own, so a caller's syscall.SIGSTOP means SIGSTOP.
package fake

import "syscall"

const (
	sigSTOP  = syscall.SIGSTOP
	sigTSTP  = syscall.SIGTSTP
	sigTTIN  = syscall.SIGTTIN
	sigTTOU  = syscall.SIGTTOU
	sigCONT  = syscall.SIGCONT
	sigCHLD  = syscall.SIGCHLD
	sigURG   = syscall.SIGURG
	sigWINCH = syscall.SIGWINCH
)
