// Small pure pieces of the container views: the COMMAND column, the
// rows of top, the detach keys of attach -t.
package daemon

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

func TestCommandColumn(t *testing.T) {
	assert.Equal(t, `true`, commandColumn("true", nil))
	assert.Equal(t, `sh -c 'echo hi' x`, commandColumn("sh", []string{"-c", "echo hi", "x"}))
}

func TestTopRows(t *testing.T) {
	started := time.Date(2014, 8, 21, 10, 5, 0, 0, time.Local)
	procs := []backend.ProcInfo{
		{Pid: 10, Args: []string{"sh", "-c", "sleep 9"}, State: "running", StartedAt: started},
		{Pid: 11, Args: []string{"old"}, State: "exited"},
		{Pid: 99, Args: []string{"not", "ours"}, State: "running"},
	}
	assert.Equal(t, [][]string{
		{"10", "running", "10:05", "sh -c sleep 9"},
		{"11", "?", "?", "?"}, // exited rows are stale: the pid may be reused
		{"12", "?", "?", "?"},
	}, topRows([]int{10, 11, 12}, procs))
	assert.Equal(t, [][]string{}, topRows(nil, procs), "an empty list, not null, in the JSON")
}

// oneByteReader hands out its data one byte per Read, as a terminal in raw
// mode sends keys.
type oneByteReader struct {
	data   []byte
	closed bool
}

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

func (r *oneByteReader) Close() error { r.closed = true; return nil }

func TestCopyEscapableDetachesOnCtrlPCtrlQ(t *testing.T) {
	src := &oneByteReader{data: []byte("ab\x10\x11cd")}
	var dst bytes.Buffer
	n, detached, err := copyEscapable(&dst, src)
	require.NoError(t, err)
	assert.True(t, detached)
	assert.Equal(t, int64(2), n)
	assert.Equal(t, "ab", dst.String())
	assert.True(t, src.closed, "detaching closes the client's stdin")

	src = &oneByteReader{data: []byte("a\x10b")}
	dst.Reset()
	_, detached, err = copyEscapable(&dst, src)
	require.NoError(t, err)
	assert.False(t, detached, "EOF is not a detach")
	assert.Equal(t, "ab", dst.String(), "^P not followed by ^Q is dropped, as in 1.2")
	assert.False(t, src.closed)
}
