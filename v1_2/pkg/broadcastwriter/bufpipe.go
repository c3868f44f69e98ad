// A pipe whose writer never waits: what a BroadcastWriter's readers are
// made of.
//
// Upstream: utils/utils.go at v1.2.0 (NewBufReader, which StdoutPipe,
// StderrPipe and the log pipes of daemon/container.go wrapped around an
// io.Pipe).
//
// Why: the BroadcastWriter writes to every reader while holding its lock,
// inside the copy from the container's stdout. With a plain io.Pipe, one
// attached client that stops reading (a terminal paused with ^S, a slow
// network) would stop the container's output for everyone, and in the
// end the container itself once the kernel pipe fills. Here Write only
// appends to a buffer; the reader drains it at its own pace.
package broadcastwriter

import (
	"bytes"
	"io"
	"sync"
)

// BufferedPipe is an in-memory pipe with an unbounded buffer.
type BufferedPipe struct {
	mu      sync.Mutex
	cond    *sync.Cond
	buf     bytes.Buffer
	wClosed bool // no more data will come: reads give EOF once buf is empty
	rClosed bool // nobody reads any more: writes fail
}

// NewBufferedPipe returns an empty pipe. The BroadcastWriter gets
// p (as the io.WriteCloser) and the client reads p.Reader().
func NewBufferedPipe() *BufferedPipe {
	p := &BufferedPipe{}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Write appends to the buffer; it fails only once the reader is gone.
func (p *BufferedPipe) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rClosed || p.wClosed {
		return 0, io.ErrClosedPipe
	}
	p.buf.Write(b)
	p.cond.Signal()
	return len(b), nil
}

// Close ends the data: the reader gets what is buffered, then io.EOF.
func (p *BufferedPipe) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.wClosed = true
	p.cond.Broadcast()
	return nil
}

// Reader is the reading end.
func (p *BufferedPipe) Reader() io.ReadCloser { return pipeReader{p} }

type pipeReader struct{ p *BufferedPipe }

// Read blocks until there is data or the writer closed.
func (r pipeReader) Read(b []byte) (int, error) {
	p := r.p
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.buf.Len() == 0 && !p.wClosed && !p.rClosed {
		p.cond.Wait()
	}
	if p.rClosed {
		return 0, io.ErrClosedPipe
	}
	if p.buf.Len() == 0 {
		return 0, io.EOF
	}
	return p.buf.Read(b)
}

// Close says the reader is done: later writes fail (and the broadcast
// writer drops this reader) and the buffer is freed.
func (r pipeReader) Close() error {
	p := r.p
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rClosed = true
	p.buf.Reset()
	p.cond.Broadcast()
	return nil
}
