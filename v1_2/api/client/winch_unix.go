//go:build unix

// SIGWINCH: the terminal changed size (monitorTtySize in utils.go).
//
// Upstream: api/client/utils.go at v1.2.0 (monitorTtySize's signal part).
package client

import (
	"os"
	"syscall"
)

var winchSignals = []os.Signal{syscall.SIGWINCH}
