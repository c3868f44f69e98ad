// Upstream: engine/streams.go at v1.2.0 (Input).
// Book: ch.5 — "attach" and "import" give the job the request body as stdin.
package engine

import (
	"fmt"
	"io"
	"sync"
)

// Input is a job's stdin. It has at most one source.
type Input struct {
	src io.Reader
	sync.Mutex
}

// NewInput returns an Input with no source; reading it gives io.EOF.
func NewInput() *Input {
	return &Input{}
}

// Read reads from the source, or returns io.EOF if there is none.
func (i *Input) Read(p []byte) (n int, err error) {
	i.Lock()
	defer i.Unlock()
	if i.src == nil {
		return 0, io.EOF
	}
	return i.src.Read(p)
}

// Close closes the source if it can be closed.
func (i *Input) Close() error {
	if closer, ok := i.src.(io.Closer); ok {
		return closer.Close()
	}
	return nil
}

// Add sets the source. A second call fails: a stdin has one reader behind it.
func (i *Input) Add(src io.Reader) error {
	i.Lock()
	defer i.Unlock()
	if i.src != nil {
		return fmt.Errorf("Maximum number of sources reached: 1")
	}
	i.src = src
	return nil
}
