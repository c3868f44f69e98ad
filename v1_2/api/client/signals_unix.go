//go:build unix

// Passing the client's signals on to the container (docker run without a
// tty, docker attach --sig-proxy): each signal becomes POST
// /containers/ID/kill?signal=NAME.
//
// Upstream: api/client/commands.go at v1.2.0 (forwardAllSignals),
// pkg/signal at v1.2.0 (CatchAll, StopCatch, SignalMap).
// Book: ch.2 §2.3.
package client

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// notForwarded are signals that are about this process, not requests to
// pass on: a child ended, the terminal resized, a broken pipe, and SIGURG,
// which Go's runtime uses to preempt goroutines.
var notForwarded = map[syscall.Signal]bool{
	syscall.SIGCHLD: true, syscall.SIGWINCH: true, syscall.SIGPIPE: true, syscall.SIGURG: true,
}

// forwardAllSignals catches every signal until the returned func is
// called, and sends each to container cid.
func (cli *DockerCli) forwardAllSignals(cid string) func() {
	sigc := make(chan os.Signal, 128)
	signal.Notify(sigc)
	go func() {
		for s := range sigc {
			sig, ok := s.(syscall.Signal)
			if !ok || notForwarded[sig] {
				continue
			}
			name := strings.TrimPrefix(unix.SignalName(sig), "SIG")
			if name == "" {
				fmt.Fprintf(cli.err, "Unsupported signal: %d. Discarding.\n", sig)
				continue
			}
			cli.post(fmt.Sprintf("/containers/%s/kill?signal=%s", cid, name))
		}
	}()
	return func() { signal.Stop(sigc); close(sigc) }
}
