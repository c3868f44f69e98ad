// A terminal for a simulated process: what `docker run -t` gives the
// container (ProcSpec.Tty). The linux backend opens a real pseudo-terminal
// (backend/linux/tty_linux.go); the fake simulates the kernel's tty layer
// between the two ends. Upstream: daemon/execdriver/native/term.go
// (TtyConsole) at Docker v1.2.0; book ch.13 §13.3 (the console of
// dockerinit); reference docs/kernels.md §5 (Setsid,
// Setctty).
//
// The master side is the ProcSpec's Stdin (what the user types) and
// Stdout (what the user sees). The slave side is the process's fd 0, 1
// and 2 — one object, so stdout and stderr arrive merged on one stream,
// exactly as on a real pty. Between the two sits the line discipline with
// the default termios of a fresh pty (`stty -a` on Linux):
//
//	ICRNL   input "\r" becomes "\n" (a real terminal's Enter sends "\r")
//	ICANON  input is edited a line at a time and handed over per line:
//	        ^? or ^H erases a character, ^U the line, ^D at the start of
//	        a line is end-of-file, ^D elsewhere hands over the line so far
//	ECHO    what is typed is written back to the master ("^C" for ^C)
//	ISIG    ^C sends SIGINT and ^\ SIGQUIT to the foreground processes
//	        and throws away the input not yet read
//	ONLCR   output "\n" becomes "\r\n"
//
// Simplifications (see docs/divergences.md): there are no process groups,
// so "the foreground processes" are every process of the session (the
// started process and its descendants) — a shell's `&` job gets ^C too;
// no raw mode (busybox ash edits its line itself in raw mode, the fake
// shell relies on canonical mode, which looks the same); ^Z and SIGWINCH
// are not sent.
package fake

import (
	"bytes"
	"io"
	"sync"
	"syscall"
	"unicode/utf8"

	"github.com/dockerlab/dockerlab/backend"
)

// Control characters of the default termios (c_cc).
const (
	ttyIntr  = 0x03 // ^C  VINTR
	ttyEOF   = 0x04 // ^D  VEOF
	ttyBS    = 0x08 // ^H  erases too (most terminals send ^? instead)
	ttyKill  = 0x15 // ^U  VKILL
	ttyQuit  = 0x1c // ^\  VQUIT
	ttyErase = 0x7f // ^?  VERASE
)

// tty is one simulated terminal.
type tty struct {
	k   *Kernel
	out io.Writer // the master's read side: the terminal's screen

	outMu sync.Mutex // one write at a time to out (echo and program output)

	mu     sync.Mutex
	cond   *sync.Cond
	line   []byte   // the line being typed (canonical mode)
	ready  [][]byte // lines handed over, not yet read; an empty one is an EOF (^D)
	intr   int      // bumped by ^C: blocked reads return EINTR
	closed bool     // the process has ended
	leader int      // host pid of the session leader (the started process)
	rows   int
	cols   int
}

func newTTY(k *Kernel, in io.Reader, out io.Writer) *tty {
	if out == nil {
		out = io.Discard
	}
	t := &tty{k: k, out: out}
	t.cond = sync.NewCond(&t.mu)
	if in != nil {
		go t.input(in)
	}
	return t
}

// input is the master's write side: it feeds what the user types through
// the line discipline until the typist goes away or the process ends.
func (t *tty) input(in io.Reader) {
	buf := make([]byte, 512)
	for {
		n, err := in.Read(buf)
		for _, c := range buf[:n] {
			if !t.typed(c) {
				return
			}
		}
		if err != nil {
			// A pty's master closing its input is not an EOF for
			// the slave: the program keeps waiting, as on Linux.
			return
		}
	}
}

// typed handles one input byte; false once the terminal is closed.
func (t *tty) typed(c byte) bool {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return false
	}
	var echo []byte
	var sig syscall.Signal
	switch c {
	case '\r':
		c = '\n' // ICRNL
		fallthrough
	case '\n':
		t.line = append(t.line, '\n')
		t.handOver()
		echo = []byte("\r\n")
	case ttyIntr, ttyQuit:
		sig = syscall.SIGINT
		if c == ttyQuit {
			sig = syscall.SIGQUIT
		}
		t.line, t.ready = nil, nil // ISIG flushes the input queue
		t.intr++
		t.cond.Broadcast()
		echo = []byte{'^', c + 0x40}
	case ttyEOF:
		t.handOver() // empty line: an EOF for one read
	case ttyErase, ttyBS:
		if len(t.line) > 0 {
			_, size := utf8.DecodeLastRune(t.line)
			t.line = t.line[:len(t.line)-size]
			echo = []byte("\b \b")
		}
	case ttyKill:
		for len(t.line) > 0 {
			_, size := utf8.DecodeLastRune(t.line)
			t.line = t.line[:len(t.line)-size]
			echo = append(echo, "\b \b"...)
		}
	default:
		t.line = append(t.line, c)
		echo = []byte{c}
		if c < 0x20 && c != '\t' { // ECHOCTL shows a control character as ^X
			echo = []byte{'^', c + 0x40}
		}
	}
	leader := t.leader
	t.mu.Unlock()
	if len(echo) > 0 {
		t.outMu.Lock()
		_, _ = t.out.Write(echo)
		t.outMu.Unlock()
	}
	if sig != 0 {
		t.k.signalSession(leader, sig)
	}
	return true
}

// handOver makes the line typed so far readable. Called with t.mu held.
func (t *tty) handOver() {
	t.ready = append(t.ready, t.line)
	t.line = nil
	t.cond.Broadcast()
}

// read is the slave's read(2): it blocks until a line is handed over and
// returns at most one line. An empty line (^D) reads as io.EOF once; a ^C
// while blocked gives EINTR, as a signal interrupts a real read; after the
// process's end, io.EOF.
func (t *tty) read(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	gen := t.intr
	for len(t.ready) == 0 && !t.closed && t.intr == gen {
		t.cond.Wait()
	}
	switch {
	case t.intr != gen:
		return 0, syscall.EINTR
	case len(t.ready) == 0:
		return 0, io.EOF
	}
	first := t.ready[0]
	if len(first) == 0 {
		t.ready = t.ready[1:]
		return 0, io.EOF
	}
	n := copy(b, first)
	if n == len(first) {
		t.ready = t.ready[1:]
	} else {
		t.ready[0] = first[n:]
	}
	return n, nil
}

// write is the slave's write(2): ONLCR, then the master's screen.
func (t *tty) write(b []byte) (int, error) {
	t.mu.Lock()
	closed := t.closed
	t.mu.Unlock()
	if closed {
		return 0, syscall.EIO
	}
	out := bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
	t.outMu.Lock()
	defer t.outMu.Unlock()
	if _, err := t.out.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}

// close ends the terminal with its process: blocked reads return, later
// input is thrown away.
func (t *tty) close() {
	t.mu.Lock()
	t.closed = true
	t.cond.Broadcast()
	t.mu.Unlock()
}

func (t *tty) setLeader(pid int) {
	t.mu.Lock()
	t.leader = pid
	t.mu.Unlock()
}

// resize is TIOCSWINSZ: what `docker run -t` sends on start and whenever
// the client's window changes (POST /containers/ID/resize).
func (t *tty) resize(rows, cols int) error {
	if rows < 0 || cols < 0 || rows > 0xffff || cols > 0xffff {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "resize", "tty", "bad terminal size %dx%d", rows, cols)
	}
	t.mu.Lock()
	t.rows, t.cols = rows, cols
	t.mu.Unlock()
	return nil
}

func (t *tty) size() (rows, cols int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rows, t.cols
}

// ttySlave is the slave end as the simulated program holds it: fd 0, 1
// and 2. It is a userland.Terminal, so the program can tell it runs on
// a terminal (isatty) and ask for the window size.
type ttySlave struct{ t *tty }

func (s ttySlave) Read(b []byte) (int, error)  { return s.t.read(b) }
func (s ttySlave) Write(b []byte) (int, error) { return s.t.write(b) }
func (s ttySlave) TerminalSize() (rows, cols int) {
	return s.t.size()
}

// Resize sets the terminal size of a process started with a tty (the
// execdriver's Terminal.Resize finds it through an interface); a process
// without one has no size to set.
func (p *proc) Resize(rows, cols int) error {
	if p.tty == nil {
		return nil
	}
	return p.tty.resize(rows, cols)
}

// signalSession sends sig to the session's processes: the leader and
// every descendant this kernel knows (ISIG's "foreground process group",
// see the top of this file). Signals from the terminal come from the
// kernel, not from a parent: a PID namespace's init without a handler
// ignores them (signals.go).
func (k *Kernel) signalSession(leader int, sig syscall.Signal) {
	_ = k.update("tty signal", func(m *machine) error {
		for _, rec := range m.Procs {
			if inSession(m, rec, leader) {
				_ = k.signalRec(m, rec, sig, false)
			}
		}
		return nil
	})
}

// inSession says whether rec is leader or descends from it.
func inSession(m *machine, rec *procRec, leader int) bool {
	for hops := 0; rec != nil && hops < 1000; hops++ {
		if rec.Pid == leader {
			return true
		}
		rec = m.Procs[rec.Parent]
	}
	return false
}
