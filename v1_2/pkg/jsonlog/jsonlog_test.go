package jsonlog

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var when = time.Date(2014, 8, 21, 10, 0, 0, 123456789, time.UTC)

// The stored form is Docker 1.2's byte for byte: field order log, stream, time.
func TestMarshalIsDocker12Format(t *testing.T) {
	b, err := Marshal("hello\n", "stdout", when)
	require.NoError(t, err)
	assert.Equal(t, `{"log":"hello\n","stream":"stdout","time":"2014-08-21T10:00:00.123456789Z"}`+"\n", string(b))
}

func TestFormat(t *testing.T) {
	jl := &JSONLog{Log: "hi\n", Stream: "stderr", Created: when}
	s, err := jl.Format("")
	require.NoError(t, err)
	assert.Equal(t, "hi\n", s)

	s, err = jl.Format(time.RFC3339Nano)
	require.NoError(t, err)
	assert.Equal(t, "[2014-08-21T10:00:00.123456789Z] hi\n", s)

	s, err = jl.Format("json")
	require.NoError(t, err)
	assert.Equal(t, `{"log":"hi\n","stream":"stderr","time":"2014-08-21T10:00:00.123456789Z"}`, s)
}

func TestWriteLog(t *testing.T) {
	var src bytes.Buffer
	for _, l := range []string{"one\n", "two\n"} {
		b, err := Marshal(l, "stdout", when)
		require.NoError(t, err)
		src.Write(b)
	}
	var dst bytes.Buffer
	require.NoError(t, WriteLog(&src, &dst, ""))
	assert.Equal(t, "one\ntwo\n", dst.String())
}

func TestWriteLogBadInput(t *testing.T) {
	var dst bytes.Buffer
	err := WriteLog(strings.NewReader(`{"log":"ok\n","time":"2014-08-21T10:00:00Z"}`+"\nnot json\n"), &dst, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "reading log stream")
	assert.Equal(t, "ok\n", dst.String(), "lines before the bad one are written")
}
