// Package chaptertest holds the one check every chapter demo's test makes:
// the demo runs on a fresh fake machine, prints the lines that show its
// chapter's steps, and leaves the machine as it found it. It is a package
// of its own so that chapterutil, which the dockerlab binary links, does
// not import "testing".
package chaptertest

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

// Demo is a chapter's Run function.
type Demo func(ctx context.Context, h backend.Host, out io.Writer) error

// RunOnFake runs demo on fake.New(), checks that its output contains each
// of wants, and that the root namespace's dump is unchanged afterwards.
func RunOnFake(t *testing.T, demo Demo, wants []string) {
	t.Helper()
	t.Setenv("TMPDIR", os.TempDir())
	h := fake.New()
	before, err := backend.Dump(h.Root())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, demo(context.Background(), h, &out))
	for _, want := range wants {
		assert.Contains(t, out.String(), want)
	}
	after, err := backend.Dump(h.Root())
	require.NoError(t, err)
	assert.Equal(t, before, after, "the demo leaves the machine as it found it")
}
