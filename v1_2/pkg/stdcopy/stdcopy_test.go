package stdcopy

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFrameFormat(t *testing.T) {
	var b bytes.Buffer
	n, err := NewStdWriter(&b, Stderr).Write([]byte("hi"))
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, []byte{2, 0, 0, 0, 0, 0, 0, 2, 'h', 'i'}, b.Bytes())
}

func TestRoundTrip(t *testing.T) {
	var mux bytes.Buffer
	out, errw := NewStdWriter(&mux, Stdout), NewStdWriter(&mux, Stderr)
	out.Write([]byte("one\n"))
	errw.Write([]byte("two\n"))
	out.Write(bytes.Repeat([]byte("x"), 100000)) // larger than the copy buffer
	var o, e bytes.Buffer
	n, err := StdCopy(&o, &e, &mux)
	require.NoError(t, err)
	assert.EqualValues(t, 4+4+100000, n)
	assert.Equal(t, "one\n"+string(bytes.Repeat([]byte("x"), 100000)), o.String())
	assert.Equal(t, "two\n", e.String())
}

func TestBadInput(t *testing.T) {
	_, err := StdCopy(io.Discard, io.Discard, bytes.NewReader([]byte{9, 0, 0, 0, 0, 0, 0, 1, 'x'}))
	assert.ErrorIs(t, err, ErrInvalidStdHeader)
	_, err = StdCopy(io.Discard, io.Discard, bytes.NewReader([]byte{1, 0, 0, 0, 0, 0, 0, 5, 'x'}))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	_, err = StdCopy(io.Discard, io.Discard, bytes.NewReader([]byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}))
	assert.ErrorContains(t, err, "larger than")
}

// FuzzStdCopy: any input either decodes or fails cleanly, and what a
// StdWriter framed always decodes back to itself.
func FuzzStdCopy(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 2, 'h', 'i'}, []byte("payload"))
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 0}, []byte{})
	f.Add([]byte{7}, []byte("x"))
	f.Fuzz(func(t *testing.T, raw, payload []byte) {
		StdCopy(io.Discard, io.Discard, bytes.NewReader(raw))
		var mux, o bytes.Buffer
		NewStdWriter(&mux, Stdout).Write(payload)
		_, err := StdCopy(&o, io.Discard, &mux)
		if err != nil || !bytes.Equal(o.Bytes(), payload) {
			t.Fatalf("round trip of %q: got %q, %v", payload, o.Bytes(), err)
		}
	})
}
