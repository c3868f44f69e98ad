//go:build !unix

// No SIGWINCH here: the size is sent once, when the container starts.
package client

import "os"

var winchSignals []os.Signal
