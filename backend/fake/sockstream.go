// A TCP connection inside the fake kernel: two byte queues, one per
// direction, with the parts of TCP a program notices — a send buffer of
// limited size (a writer waits while the peer does not read), half-close
// (shutdown(SHUT_WR): the peer reads EOF but can still answer, which
// docker-proxy and `nc` rely on), and deadlines (wget -T). Nothing is
// lost or reordered: the fake has no wire. Reference: docs/design.md "The
// backend"; note 000 (bridge mode: a connection's path, see packetpath.go).
package fake

import (
	"bytes"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// sockBufSize is how much one direction holds before the writer waits
// (a socket's send plus receive buffer, roughly).
const sockBufSize = 256 << 10

// streamHalf is one direction of a connection.
type streamHalf struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	finished bool          // the writer shut down its side: EOF after the data
	gone     bool          // the reader closed: writes fail with EPIPE
	changed  chan struct{} // closed and replaced on every change
}

func newStreamHalf() *streamHalf { return &streamHalf{changed: make(chan struct{})} }

// wake tells waiters something changed. Called with h.mu held.
func (h *streamHalf) wake() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// wait blocks until ch is closed or the deadline passes.
func waitChange(ch chan struct{}, deadline time.Time) error {
	if deadline.IsZero() {
		<-ch
		return nil
	}
	d := time.Until(deadline)
	if d <= 0 {
		return os.ErrDeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
		return nil
	case <-t.C:
		return os.ErrDeadlineExceeded
	}
}

func (h *streamHalf) read(b []byte, deadline func() time.Time) (int, error) {
	for {
		h.mu.Lock()
		switch {
		case h.buf.Len() > 0:
			n, _ := h.buf.Read(b)
			h.wake()
			h.mu.Unlock()
			return n, nil
		case h.gone:
			h.mu.Unlock()
			return 0, net.ErrClosed
		case h.finished:
			h.mu.Unlock()
			return 0, io.EOF
		}
		ch := h.changed
		h.mu.Unlock()
		if err := waitChange(ch, deadline()); err != nil {
			return 0, err
		}
	}
}

func (h *streamHalf) write(b []byte, deadline func() time.Time) (int, error) {
	written := 0
	for written < len(b) {
		h.mu.Lock()
		switch {
		case h.gone:
			h.mu.Unlock()
			return written, syscall.EPIPE
		case h.finished:
			h.mu.Unlock()
			return written, net.ErrClosed
		}
		if room := sockBufSize - h.buf.Len(); room > 0 {
			n := min(room, len(b)-written)
			h.buf.Write(b[written : written+n])
			written += n
			h.wake()
			h.mu.Unlock()
			continue
		}
		ch := h.changed
		h.mu.Unlock()
		if err := waitChange(ch, deadline()); err != nil {
			return written, err
		}
	}
	return len(b), nil
}

// finish is the writer's shutdown: the reader gets the data, then EOF.
func (h *streamHalf) finish() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.finished {
		h.finished = true
		h.wake()
	}
}

// drop is the reader's close: unread data is thrown away, the writer gets
// EPIPE (a real peer would send a reset).
func (h *streamHalf) drop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.gone {
		h.gone = true
		h.buf.Reset()
		h.wake()
	}
}

// sockConn is one end of a connection; it satisfies net.Conn and has
// CloseRead/CloseWrite like *net.TCPConn.
type sockConn struct {
	in, out       *streamHalf
	local, remote *net.TCPAddr
	onClose       func(*sockConn) // forget it in the socket table

	mu              sync.Mutex
	readDL, writeDL time.Time
	closeOnce       sync.Once
}

// newConnPair makes both ends: a is the dialer's, b the listener's.
func newConnPair(aAddr, bAddr *net.TCPAddr) (a, b *sockConn) {
	ab, ba := newStreamHalf(), newStreamHalf()
	a = &sockConn{in: ba, out: ab, local: aAddr, remote: bAddr}
	b = &sockConn{in: ab, out: ba, local: bAddr, remote: aAddr}
	return a, b
}

func (c *sockConn) Read(b []byte) (int, error) {
	n, err := c.in.read(b, func() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.readDL })
	return n, c.opErr("read", err)
}

func (c *sockConn) Write(b []byte) (int, error) {
	n, err := c.out.write(b, func() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.writeDL })
	return n, c.opErr("write", err)
}

// opErr wraps errors as the net package does, so that callers' checks
// (errors.Is(err, net.ErrClosed), os.ErrDeadlineExceeded, io.EOF) work.
func (c *sockConn) opErr(op string, err error) error {
	if err == nil || err == io.EOF {
		return err // EOF stays bare, as io.Reader callers expect
	}
	return &net.OpError{Op: op, Net: "tcp", Source: c.local, Addr: c.remote, Err: err}
}

func (c *sockConn) Close() error {
	c.closeOnce.Do(func() {
		c.out.finish()
		c.in.drop()
		if c.onClose != nil {
			c.onClose(c)
		}
	})
	return nil
}

// CloseWrite is shutdown(SHUT_WR): the peer reads EOF.
func (c *sockConn) CloseWrite() error { c.out.finish(); return nil }

// CloseRead is shutdown(SHUT_RD).
func (c *sockConn) CloseRead() error { c.in.drop(); return nil }

func (c *sockConn) LocalAddr() net.Addr  { return c.local }
func (c *sockConn) RemoteAddr() net.Addr { return c.remote }

func (c *sockConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDL, c.writeDL = t, t
	c.mu.Unlock()
	c.in.poke()
	c.out.poke()
	return nil
}

func (c *sockConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.readDL = t
	c.mu.Unlock()
	c.in.poke()
	return nil
}

func (c *sockConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeDL = t
	c.mu.Unlock()
	c.out.poke()
	return nil
}

// poke wakes waiters so that they look at a new deadline.
func (h *streamHalf) poke() {
	h.mu.Lock()
	h.wake()
	h.mu.Unlock()
}
