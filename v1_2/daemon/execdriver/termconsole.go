// Consoles: what Command.Terminal is. Without -t the container's streams
// are the daemon's pipes and there is nothing to resize; with -t the
// backend gives the process a pseudo-terminal and Resize reaches it.
//
// Upstream: daemon/execdriver/termconsole.go at v1.2.0 (StdConsole),
// daemon/execdriver/native/driver.go at v1.2.0 (TtyConsole). See
// docs/upstream/v1.2.0.md §5.1–5.2 (Run step 2).
// Book: ch.13 §13.3.
//
// Divergence of shape: upstream's StdConsole attached the pipes to the
// embedded exec.Cmd; here the driver hands the pipes to the backend in the
// ProcSpec, so StdConsole only remembers them.
package execdriver

import (
	"io"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

// StdConsole is the console of a container without a tty.
type StdConsole struct {
	Pipes *Pipes
}

// NewStdConsole returns the console for pipes (nil pipes: no streams).
func NewStdConsole(c *Command, pipes *Pipes) (*StdConsole, error) {
	if pipes == nil {
		pipes = &Pipes{}
	}
	return &StdConsole{Pipes: pipes}, nil
}

// Resize does nothing: pipes have no size.
func (s *StdConsole) Resize(h, w int) error { return nil }

// Close does nothing: the daemon owns the pipes.
func (s *StdConsole) Close() error { return nil }

// StdinReader is the stdin pipe as an io.Reader, nil when there is none (an
// io.ReadCloser holding nil would not compare equal to nil).
func (p *Pipes) StdinReader() io.Reader {
	if p == nil || p.Stdin == nil {
		return nil
	}
	return p.Stdin
}

// resizer is what a backend process with a pseudo-terminal may offer.
type resizer interface {
	Resize(height, width int) error
}

// TtyConsole is the console of a container started with -t: the backend
// owns the pty and copies between it and the pipes.
type TtyConsole struct {
	Pipes *Pipes

	mu      sync.Mutex // the daemon may resize while the driver starts the process
	process backend.Process
}

// NewTtyConsole returns the console for pipes; SetProcess attaches it to
// the started process.
func NewTtyConsole(c *Command, pipes *Pipes) (*TtyConsole, error) {
	if pipes == nil {
		pipes = &Pipes{}
	}
	return &TtyConsole{Pipes: pipes}, nil
}

// SetProcess tells the console which process's terminal to resize.
func (t *TtyConsole) SetProcess(p backend.Process) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.process = p
}

// Resize sets the terminal's rows and columns when the backend can
// (a process implementing Resize); otherwise it is a no-op, which is
// what a fake machine without terminals can honestly do.
func (t *TtyConsole) Resize(h, w int) error {
	t.mu.Lock()
	p := t.process
	t.mu.Unlock()
	if r, ok := p.(resizer); ok {
		return r.Resize(h, w)
	}
	return nil
}

// Close does nothing: the backend closes the pty when the process ends.
func (t *TtyConsole) Close() error { return nil }
