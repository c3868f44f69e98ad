// Pipes: the three standard streams the daemon gives a container.
//
// Upstream: daemon/execdriver/pipes.go at v1.2.0.
// Book: ch.12 §12.4 (daemon.Run passes the container's stdio to the driver).
package execdriver

import "io"

// Pipes carries a container's stdio. Stdin is nil unless the container
// was created with -i (OpenStdin).
type Pipes struct {
	Stdin          io.ReadCloser
	Stdout, Stderr io.Writer
}

// NewPipes keeps stdin only when useStdin is set, as upstream did.
func NewPipes(stdin io.ReadCloser, stdout, stderr io.Writer, useStdin bool) *Pipes {
	p := &Pipes{Stdout: stdout, Stderr: stderr}
	if useStdin {
		p.Stdin = stdin
	}
	return p
}
