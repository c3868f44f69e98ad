// Upstream: engine/streams.go at v1.2.0 (Output and Tail).
// Book: ch.5 §5.2 and ch.9 §9.4 — the API server adds the HTTP response
// writer to job.Stdout, so whatever a handler prints reaches the client.
//
// Output is a job's stdout or stderr: a tee that copies every write to all of
// its destinations (a buffer, the engine's stderr, an HTTP response, a pipe).
package engine

import (
	"bytes"
	"io"
	"sync"
)

// Output copies writes to every destination added to it.
type Output struct {
	sync.Mutex
	dests []io.Writer
	tasks sync.WaitGroup // background readers started by AddPipe users
	used  bool
}

// NewOutput returns an Output with no destination; writes are discarded.
func NewOutput() *Output {
	return &Output{}
}

// Used reports whether anything has been written.
func (o *Output) Used() bool {
	o.Lock()
	defer o.Unlock()
	return o.used
}

// Add attaches one more destination.
func (o *Output) Add(dst io.Writer) {
	o.Lock()
	defer o.Unlock()
	o.dests = append(o.dests, dst)
}

// Set closes the current destinations and makes dst the only one.
func (o *Output) Set(dst io.Writer) {
	o.Close()
	o.Lock()
	defer o.Unlock()
	o.dests = []io.Writer{dst}
}

// AddPipe attaches the writing end of an in-memory pipe and returns its
// reading end, like exec.Cmd.StdoutPipe.
func (o *Output) AddPipe() (io.Reader, error) {
	r, w := io.Pipe()
	o.Add(w)
	return r, nil
}

// Write writes p to every destination, even after one fails. It always
// reports len(p) and returns the first error it met.
func (o *Output) Write(p []byte) (n int, err error) {
	o.Lock()
	defer o.Unlock()
	o.used = true
	var firstErr error
	for _, dst := range o.dests {
		if _, err := dst.Write(p); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return len(p), firstErr
}

// Close closes every destination that can be closed and waits for the
// background readers to finish. The destinations stay attached (as upstream):
// a later Write still reaches the ones that accept writes.
func (o *Output) Close() error {
	o.Lock()
	defer o.Unlock()
	var firstErr error
	for _, dst := range o.dests {
		if closer, ok := dst.(io.Closer); ok {
			if err := closer.Close(); err != nil && firstErr == nil {
				firstErr = err
			}
		}
	}
	o.tasks.Wait()
	return firstErr
}

// Tail returns the last n lines of buffer, without the final newline.
// n <= 0 gives "". This is how Run turns stderr into an error message.
func Tail(buffer *bytes.Buffer, n int) string {
	if n <= 0 {
		return ""
	}
	text := bytes.TrimSuffix(buffer.Bytes(), []byte{'\n'})
	for i := len(text) - 1; i >= 0; i-- {
		if text[i] == '\n' {
			n--
			if n == 0 {
				return string(text[i+1:])
			}
		}
	}
	return string(text)
}
