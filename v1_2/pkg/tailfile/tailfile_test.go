package tailfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tail(t *testing.T, content string, n int) []string {
	t.Helper()
	lines, err := TailFile(strings.NewReader(content), n)
	require.NoError(t, err)
	var out []string
	for _, l := range lines {
		out = append(out, string(l))
	}
	return out
}

func TestTailSmall(t *testing.T) {
	assert.Equal(t, []string{"b", "c"}, tail(t, "a\nb\nc\n", 2))
	assert.Equal(t, []string{"a", "b", "c"}, tail(t, "a\nb\nc\n", 10))
	assert.Nil(t, tail(t, "", 3))
	assert.Equal(t, []string{"a"}, tail(t, "a\nhalf", 1), "an unfinished last line is left out")
}

func TestTailAcrossBlocks(t *testing.T) {
	var b bytes.Buffer
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "line %04d\n", i)
	}
	got := tail(t, b.String(), 3)
	assert.Equal(t, []string{"line 4997", "line 4998", "line 4999"}, got)

	got = tail(t, b.String(), 300) // more than one 1024-byte block
	require.Len(t, got, 300)
	assert.Equal(t, "line 4700", got[0])
}

func TestTailLongLineOverBlockBoundary(t *testing.T) {
	long := strings.Repeat("x", 3000)
	assert.Equal(t, []string{long, "short"}, tail(t, "first\n"+long+"\nshort\n", 2))
}

func TestTailOnFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log")
	require.NoError(t, os.WriteFile(p, []byte("1\n2\n3\n"), 0o600))
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	lines, err := TailFile(f, 1)
	require.NoError(t, err)
	assert.Equal(t, [][]byte{[]byte("3")}, lines)
}

func TestTailNonPositive(t *testing.T) {
	_, err := TailFile(strings.NewReader("a\n"), 0)
	assert.ErrorIs(t, err, ErrNonPositiveLinesNumber)
}
