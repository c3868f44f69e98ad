// Package broadcastwriter reproduces Docker 1.2.0's fan-out writer behind a
// container's stdout and stderr.
//
// Upstream: pkg/broadcastwriter/broadcastwriter.go at v1.2.0.
// Book: ch.12 §12.4 — newContainer/register give each container `stdout,
// stderr = broadcastwriter.New()`; the exec driver's Pipes write into them,
// and every `docker attach` and the log file are readers added with
// AddWriter.
//
// Two kinds of reader listen on one writer:
//   - stream "" (attach): gets the bytes exactly as written, at once;
//   - stream "stdout"/"stderr" (the json-file log): gets whole lines only, each
//     wrapped as a jsonlog.JSONLog object. A half line waits in buf until its
//     "\n" arrives, so a log entry is never split in two.
//
// A reader whose Write fails (a client hung up) is dropped; the container
// never blocks or fails because one reader went away.
package broadcastwriter

import (
	"bytes"
	"io"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/pkg/jsonlog"
)

// BroadcastWriter copies every Write to all its readers. Safe for concurrent use.
type BroadcastWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer                           // the unfinished last line, for line readers
	streams map[string]map[io.WriteCloser]struct{} // stream name -> its readers
	now     func() time.Time                       // the clock; tests replace it
}

// New returns an empty BroadcastWriter.
func New() *BroadcastWriter {
	return &BroadcastWriter{
		streams: make(map[string]map[io.WriteCloser]struct{}),
		now:     time.Now,
	}
}

// AddWriter adds a reader. With stream == "" it receives raw bytes; with a
// stream name it receives one JSON log line per complete line written.
func (w *BroadcastWriter) AddWriter(writer io.WriteCloser, stream string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.streams[stream] == nil {
		w.streams[stream] = make(map[io.WriteCloser]struct{})
	}
	w.streams[stream][writer] = struct{}{}
}

// AddWriterAt is AddWriter, then mark() while the writer's lock is still
// held: nothing is written between the two. A reader that must join a
// stream exactly where something else left off uses it (docker logs -f
// notes the log file's size there: every earlier line is in the file,
// every later one comes to the new reader).
func (w *BroadcastWriter) AddWriterAt(writer io.WriteCloser, stream string, mark func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.streams[stream] == nil {
		w.streams[stream] = make(map[io.WriteCloser]struct{})
	}
	w.streams[stream][writer] = struct{}{}
	mark()
}

// Write hands p to every reader. It always reports len(p): a reader's
// failure is the reader's problem (it is evicted), not the container's.
func (w *BroadcastWriter) Write(p []byte) (int, error) {
	created := w.now().UTC()
	w.mu.Lock()
	defer w.mu.Unlock()

	for sw := range w.streams[""] {
		if n, err := sw.Write(p); err != nil || n != len(p) {
			delete(w.streams[""], sw)
		}
	}

	// Lines are cut even when no line reader listens: buf then only ever
	// holds the unfinished tail, so it cannot grow without bound.
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil { // no "\n" yet: keep the half line for the next Write
			w.buf.WriteString(line)
			break
		}
		for stream, writers := range w.streams {
			if stream == "" {
				continue
			}
			b, err := jsonlog.Marshal(line, stream, created)
			if err != nil {
				continue // a string and a time always marshal; be safe anyway
			}
			for sw := range writers {
				if _, err := sw.Write(b); err != nil {
					delete(writers, sw)
				}
			}
		}
	}
	return len(p), nil
}

// Clean closes and forgets every reader (the container stopped). A half line
// still in buf stays there and is logged once its end is written.
func (w *BroadcastWriter) Clean() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, writers := range w.streams {
		for sw := range writers {
			sw.Close()
		}
	}
	w.streams = make(map[string]map[io.WriteCloser]struct{})
	return nil
}

// Close is Clean, so a BroadcastWriter is itself an io.WriteCloser.
func (w *BroadcastWriter) Close() error { return w.Clean() }
