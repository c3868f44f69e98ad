//go:build !unix

// No signals to forward where there is no kill(2) (see signals_unix.go).
//
// Not upstream: Docker 1.2's client built for Unix only.
package client

func (cli *DockerCli) forwardAllSignals(cid string) func() { return func() {} }
