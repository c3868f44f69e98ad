//go:build !unix

// No SIGWINCH here: the size is sent once, when the container starts.
//
// Not upstream: Docker 1.2's client built for Unix only.
package client

import "os"

var winchSignals []os.Signal
