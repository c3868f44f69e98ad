package broadcastwriter

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buffer is an io.WriteCloser that remembers what it got and whether it was closed.
type buffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	closed bool
}

func (b *buffer) Write(p []byte) (int, error) { b.mu.Lock(); defer b.mu.Unlock(); return b.b.Write(p) }
func (b *buffer) Close() error                { b.mu.Lock(); defer b.mu.Unlock(); b.closed = true; return nil }
func (b *buffer) String() string              { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// broken fails every Write, as a hung-up attach client does.
type broken struct{ writes int }

func (b *broken) Write(p []byte) (int, error) { b.writes++; return 0, errors.New("client gone") }
func (b *broken) Close() error                { return nil }

var when = time.Date(2014, 8, 21, 10, 0, 0, 0, time.UTC)

func newAt() *BroadcastWriter {
	w := New()
	w.now = func() time.Time { return when }
	return w
}

func TestRawReadersGetBytesAsWritten(t *testing.T) {
	w := newAt()
	a, b := &buffer{}, &buffer{}
	w.AddWriter(a, "")
	w.AddWriter(b, "")
	n, err := w.Write([]byte("no newline yet"))
	require.NoError(t, err)
	assert.Equal(t, 14, n)
	assert.Equal(t, "no newline yet", a.String())
	assert.Equal(t, "no newline yet", b.String())
}

func TestLineReadersGetWholeLinesAsJSON(t *testing.T) {
	w := newAt()
	log := &buffer{}
	w.AddWriter(log, "stdout")
	w.Write([]byte("hel"))
	assert.Equal(t, "", log.String(), "half a line waits for its end")
	w.Write([]byte("lo\nwor"))
	w.Write([]byte("ld\n"))
	assert.Equal(t,
		`{"log":"hello\n","stream":"stdout","time":"2014-08-21T10:00:00Z"}`+"\n"+
			`{"log":"world\n","stream":"stdout","time":"2014-08-21T10:00:00Z"}`+"\n",
		log.String())
}

func TestFailedReaderIsEvicted(t *testing.T) {
	w := newAt()
	bad, good := &broken{}, &buffer{}
	w.AddWriter(bad, "")
	w.AddWriter(good, "")
	_, err := w.Write([]byte("a"))
	require.NoError(t, err, "one reader failing is not the writer's error")
	w.Write([]byte("b"))
	assert.Equal(t, 1, bad.writes, "evicted after the first failure")
	assert.Equal(t, "ab", good.String())
}

func TestCleanClosesReaders(t *testing.T) {
	w := newAt()
	a, l := &buffer{}, &buffer{}
	w.AddWriter(a, "")
	w.AddWriter(l, "stderr")
	require.NoError(t, w.Clean())
	assert.True(t, a.closed)
	assert.True(t, l.closed)
	w.Write([]byte("after\n"))
	assert.Equal(t, "", a.String())
	assert.Equal(t, "", l.String())
}

func TestConcurrentWritesAndAdds(t *testing.T) {
	w := New()
	log := &buffer{}
	w.AddWriter(log, "stdout")
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); fmt.Fprintf(w, "line %d\n", i) }()
		go func() { defer wg.Done(); w.AddWriter(&buffer{}, "") }()
	}
	wg.Wait()
	assert.Equal(t, 20, bytes.Count([]byte(log.String()), []byte("\n")))
}

func TestBufferedPipeNeverBlocksTheWriter(t *testing.T) {
	w := New()
	p := NewBufferedPipe()
	w.AddWriter(p, "")
	for i := 0; i < 1000; i++ { // nobody reads yet: must not block
		fmt.Fprintf(w, "line %d\n", i)
	}
	require.NoError(t, w.Clean()) // the container stopped
	data, err := io.ReadAll(p.Reader())
	require.NoError(t, err)
	assert.Equal(t, 1000, bytes.Count(data, []byte("\n")))
}

func TestBufferedPipeReaderCloseEvicts(t *testing.T) {
	w := New()
	p := NewBufferedPipe()
	w.AddWriter(p, "")
	r := p.Reader()
	w.Write([]byte("a"))
	require.NoError(t, r.Close())
	_, err := p.Write([]byte("b"))
	assert.ErrorIs(t, err, io.ErrClosedPipe)
	_, err = r.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.ErrClosedPipe)
}

func TestBufferedPipeReadWaitsForData(t *testing.T) {
	p := NewBufferedPipe()
	got := make(chan string)
	go func() {
		b := make([]byte, 10)
		n, _ := p.Reader().Read(b)
		got <- string(b[:n])
	}()
	p.Write([]byte("hi"))
	assert.Equal(t, "hi", <-got)
}

func TestAddWriterAtMarksTheCut(t *testing.T) {
	w := newAt()
	file := &buffer{}
	w.AddWriter(file, "stdout")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 200; i++ {
			fmt.Fprintf(w, "line %d\n", i)
		}
	}()
	late := &buffer{}
	var cut int
	w.AddWriterAt(late, "stdout", func() { cut = len(file.String()) })
	wg.Wait()
	// What the file had at the cut plus what the late reader got is the
	// whole file: nothing lost, nothing twice.
	assert.Equal(t, file.String(), file.String()[:cut]+late.String())
}
