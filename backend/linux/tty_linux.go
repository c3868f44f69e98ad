//go:build linux

// A pseudo-terminal for `docker run -t` (book ch.13: Docker 1.2.0's native
// driver gave the container a console pty whose master the daemon copied to
// the client). The child gets the pty's slave side as stdin, stdout and
// stderr, in a new session with it as controlling terminal; the parent
// copies between the master side and the spec's Stdin/Stdout.

package linux

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"

	"golang.org/x/sys/unix"
)

// openPty opens a new master (/dev/ptmx) and its slave (/dev/pts/N).
func openPty() (master, slave *os.File, err error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err == nil {
		err = unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0) // unlock the slave
	}
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, s, nil
}

// ttyAttach makes slave the child's stdio and controlling terminal.
func ttyAttach(attr *syscall.SysProcAttr) {
	attr.Setsid = true
	attr.Setctty = true
	attr.Ctty = 0 // the child's fd 0, which is the slave
}

// ttyCopy copies stdin to the master and the master to stdout; the
// returned channel closes when the output side ends (the kernel answers
// EIO once the last slave descriptor is closed).
func ttyCopy(master *os.File, stdin io.Reader, stdout io.Writer) <-chan struct{} {
	if stdin != nil {
		go io.Copy(master, stdin)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if stdout == nil {
			stdout = io.Discard
		}
		io.Copy(stdout, master)
	}()
	return done
}

// Resize sets the terminal's rows and columns (TIOCSWINSZ on the master;
// the kernel sends SIGWINCH to the foreground process group) — what
// `docker resize` and an attached client's window changes reach. A
// process without a terminal is ErrInvalid.
func (p *process) Resize(height, width int) error {
	if p.master == nil {
		return backend.Errorf(backend.ErrInvalid, syscall.ENOTTY, "resize", fmt.Sprint(p.pid), "the process has no terminal (ProcSpec.Tty was not set)")
	}
	if height <= 0 || width <= 0 || height > 0xffff || width > 0xffff {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "resize", fmt.Sprint(p.pid), "bad terminal size %dx%d", height, width)
	}
	if p.exited() {
		return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "resize", fmt.Sprint(p.pid), "process has exited")
	}
	ws := &unix.Winsize{Row: uint16(height), Col: uint16(width)}
	return kernelErr("resize", fmt.Sprint(p.pid), unix.IoctlSetWinsize(int(p.master.Fd()), unix.TIOCSWINSZ, ws))
}
