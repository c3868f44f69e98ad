//go:build unix

// SIGWINCH: the terminal changed size (monitorTtySize in utils.go).
package client

import (
	"os"
	"syscall"
)

var winchSignals = []os.Signal{syscall.SIGWINCH}
