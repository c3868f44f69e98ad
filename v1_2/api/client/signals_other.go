//go:build !unix

// No signals to forward where there is no kill(2) (see signals_unix.go).
package client

func (cli *DockerCli) forwardAllSignals(cid string) func() { return func() {} }
