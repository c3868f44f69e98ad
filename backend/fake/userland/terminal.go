// Terminals as a simulated program sees them: isatty(3) and the window
// size (TIOCGWINSZ). The fake kernel gives a process started with
// ProcSpec.Tty a terminal as fd 0, 1 and 2 (backend/fake/tty.go); `docker
// run -it busybox sh` is then an interactive shell with a prompt
// (shellinteractive.go). Book ch.13 §13.3; upstream
// daemon/execdriver/native/term.go at Docker v1.2.0.
package userland

import (
	"io"
	"syscall"
)

// Terminal is implemented by a stream that is a terminal's slave end.
type Terminal interface {
	io.Reader
	// TerminalSize is the window size in rows and columns (0 0 until
	// someone sets it, as on a fresh pty).
	TerminalSize() (rows, cols int)
}

// isTerminal is isatty(3) on one of a process's streams.
func isTerminal(s any) (Terminal, bool) {
	t, ok := s.(Terminal)
	return t, ok
}

// signalIgnorer is an optional System method: SIG_IGN for sig. An
// interactive shell ignores SIGINT so that ^C ends the command it runs,
// not the shell.
type signalIgnorer interface {
	IgnoreSignal(sig syscall.Signal, ignored bool)
}
