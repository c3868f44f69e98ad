// Pipes between a container's process and its clients: a writer that
// copies everything to every attached writer, and a reader with an
// unbounded buffer so the process never waits for a slow client.
//
// Upstream: utils.go at v0.1.0 (writeBroadcaster, bufReader). See
// docs/upstream/v0.1.0.md §6 "Pipes" and §9.12.
// Notes: 002 "恢复容器" (it mentions the broadcasters Register makes for each
// container's stdout and stderr; the note does not cover the pipes).
//
// Divergence: both types take a lock. 0.1.0's had none (writeBroadcaster)
// or checked their condition outside it (bufReader, a lost wakeup, §9.12).
package docker

import (
	"bytes"
	"io"
	"sync"
)

// writeBroadcaster copies every Write to all its writers. A writer that
// fails or takes less than offered is dropped; Write itself never fails,
// so the container's process never sees an error on its stdout.
type writeBroadcaster struct {
	mu      sync.Mutex
	writers map[io.WriteCloser]struct{}
}

func newWriteBroadcaster() *writeBroadcaster {
	return &writeBroadcaster{writers: map[io.WriteCloser]struct{}{}}
}

// AddWriter attaches w until it fails or CloseWriters runs.
func (w *writeBroadcaster) AddWriter(writer io.WriteCloser) {
	w.mu.Lock()
	w.writers[writer] = struct{}{}
	w.mu.Unlock()
}

func (w *writeBroadcaster) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for writer := range w.writers {
		if n, err := writer.Write(p); err != nil || n != len(p) {
			delete(w.writers, writer)
		}
	}
	return len(p), nil
}

// CloseWriters closes every attached writer (their readers see EOF) and
// forgets them: the next run of the container starts with none.
func (w *writeBroadcaster) CloseWriters() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for writer := range w.writers {
		writer.Close()
	}
	w.writers = map[io.WriteCloser]struct{}{}
}

// bufReader reads from r as fast as r gives, into a buffer that grows as
// needed, and hands the bytes out to Read. Close (not in 0.1.0, whose
// pipes were closed only by the container's exit) ends it early: Read
// returns what is buffered, then EOF, and r is closed, so the writer
// feeding it fails and the broadcaster drops it.
type bufReader struct {
	mu   sync.Mutex
	cond *sync.Cond
	buf  bytes.Buffer
	err  error
	src  io.ReadCloser
}

func newBufReader(r io.ReadCloser) *bufReader {
	reader := &bufReader{src: r}
	reader.cond = sync.NewCond(&reader.mu)
	go reader.drain(r)
	return reader
}

// Close ends the reader (a client that went away).
func (r *bufReader) Close() error {
	r.mu.Lock()
	if r.err == nil {
		r.err = io.EOF
	}
	r.cond.Broadcast()
	r.mu.Unlock()
	return r.src.Close()
}

func (r *bufReader) drain(src io.Reader) {
	chunk := make([]byte, 1024)
	for {
		n, err := src.Read(chunk)
		r.mu.Lock()
		r.buf.Write(chunk[:n])
		if err != nil {
			r.err = err
		}
		r.cond.Broadcast()
		r.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (r *bufReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.buf.Len() == 0 && r.err == nil {
		r.cond.Wait()
	}
	if r.buf.Len() > 0 {
		return r.buf.Read(p)
	}
	return 0, r.err
}
