// Tests for streams.go, input.go and streams_decode.go: the behaviours
// upstream's engine/streams_test.go (v1.2.0) checks, written anew.
package engine

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type closeRecorder struct {
	bytes.Buffer
	closed bool
}

func (c *closeRecorder) Close() error {
	c.closed = true
	return nil
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("write failed") }

func TestOutputAdd(t *testing.T) {
	o := NewOutput()
	var b bytes.Buffer
	o.Add(&b)
	assert.False(t, o.Used())
	n, err := o.Write([]byte("foo bar"))
	require.NoError(t, err)
	assert.Equal(t, 7, n)
	assert.Equal(t, "foo bar", b.String())
	assert.True(t, o.Used())
}

func TestOutputWriteErrorKeepsGoing(t *testing.T) {
	o := NewOutput()
	var before, after bytes.Buffer
	o.Add(&before)
	o.Add(failingWriter{})
	o.Add(&after)
	n, err := o.Write([]byte("data"))
	require.EqualError(t, err, "write failed")
	assert.Equal(t, 4, n, "n is len(p) even on error")
	assert.Equal(t, "data", before.String())
	assert.Equal(t, "data", after.String())
}

func TestOutputAddClose(t *testing.T) {
	o := NewOutput()
	dst := &closeRecorder{}
	o.Add(dst)
	require.NoError(t, o.Close())
	assert.True(t, dst.closed)
	_, err := o.Write([]byte("after close"))
	require.NoError(t, err, "writing after Close still succeeds")
	assert.Equal(t, "after close", dst.String(), "Close does not detach destinations")
}

func TestOutputSetReplaces(t *testing.T) {
	o := NewOutput()
	old := &closeRecorder{}
	o.Add(old)
	var fresh bytes.Buffer
	o.Set(&fresh)
	assert.True(t, old.closed)
	o.Write([]byte("x"))
	assert.Equal(t, "", old.String())
	assert.Equal(t, "x", fresh.String())
}

func TestOutputAddPipe(t *testing.T) {
	for _, input := range []string{
		"",
		"hello",
		"hello\nworld\n",
		"\n\n\n",
		"multi\nline\ntext without trailing newline",
	} {
		o := NewOutput()
		r, err := o.AddPipe()
		require.NoError(t, err)
		got := make(chan string)
		go func() {
			data, _ := io.ReadAll(r)
			got <- string(data)
		}()
		o.Write([]byte(input))
		require.NoError(t, o.Close())
		assert.Equal(t, input, <-got)
	}
}

func TestOutputAddEnv(t *testing.T) {
	o := NewOutput()
	env, err := o.AddEnv()
	require.NoError(t, err)
	o.Write([]byte(`{"foo": "bar", "answer_to_life_the_universe_and_everything": 42}`))
	require.NoError(t, o.Close())
	assert.Equal(t, "bar", env.Get("foo"))
	assert.Equal(t, 42, env.GetInt("answer_to_life_the_universe_and_everything"))
}

func TestOutputAddEnvKeepsLastObject(t *testing.T) {
	o := NewOutput()
	env, err := o.AddEnv()
	require.NoError(t, err)
	o.Write([]byte(`{"n":1}` + "\n" + `{"n":2}`))
	require.NoError(t, o.Close())
	assert.Equal(t, "2", env.Get("n"))
}

// After garbage the decoder stops; later writes must not block.
func TestOutputAddEnvGarbageDoesNotBlock(t *testing.T) {
	o := NewOutput()
	_, err := o.AddEnv()
	require.NoError(t, err)
	o.Write([]byte("not json at all"))
	o.Write([]byte("more output after the decoder gave up"))
	require.NoError(t, o.Close())
}

func TestOutputAddTables(t *testing.T) {
	o := NewOutput()
	table, err := o.AddTable()
	require.NoError(t, err)
	o.Write([]byte(`{"Id":"a"}{"Id":"b"}`))
	require.NoError(t, o.Close())
	require.Equal(t, 2, table.Len())
	assert.Equal(t, "b", table.Data[1].Get("Id"))

	o = NewOutput()
	list, err := o.AddListTable()
	require.NoError(t, err)
	o.Write([]byte(`[{"Id":"a"},7,{"Id":"c"}]`))
	require.NoError(t, o.Close())
	require.Equal(t, 2, list.Len(), "non-object elements are skipped")
	assert.Equal(t, "c", list.Data[1].Get("Id"))
}

func TestTail(t *testing.T) {
	cases := map[string][]string{
		"hello, world!":   {"", "hello, world!", "hello, world!", "hello, world!"},
		"One\nTwo\nThree": {"", "Three", "Two\nThree", "One\nTwo\nThree"},
		"a\nb\n":          {"", "b", "a\nb", "a\nb"},
	}
	for input, wants := range cases {
		for n, want := range wants {
			assert.Equal(t, want, Tail(bytes.NewBufferString(input), n), "Tail(%q, %d)", input, n)
		}
		assert.Equal(t, "", Tail(bytes.NewBufferString(input), -1))
	}
}

func TestInputAddEmpty(t *testing.T) {
	i := NewInput()
	var b bytes.Buffer
	require.NoError(t, i.Add(&b))
	data, err := io.ReadAll(i)
	require.NoError(t, err)
	assert.Empty(t, data)
}

func TestInputNoSourceIsEOF(t *testing.T) {
	_, err := NewInput().Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err)
	assert.NoError(t, NewInput().Close())
}

func TestInputAddTwo(t *testing.T) {
	i := NewInput()
	require.NoError(t, i.Add(strings.NewReader("a")))
	require.EqualError(t, i.Add(strings.NewReader("b")), "Maximum number of sources reached: 1")
}

func TestInputAddNotEmpty(t *testing.T) {
	i := NewInput()
	require.NoError(t, i.Add(bytes.NewBufferString("foo bar")))
	data, err := io.ReadAll(i)
	require.NoError(t, err)
	assert.Equal(t, "foo bar", string(data))
}
