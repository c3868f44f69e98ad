//go:build linux

package chapter02

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// On the real kernel the same path: the daemon in a throwaway network
// namespace, the client over its unix socket. Skips unless root.
func TestDemoOnRealKernel(t *testing.T) {
	h := linuxtest.NewHost(t) // skips when not root
	t.Setenv("TMPDIR", t.TempDir())
	before, err := backend.Dump(h.Root())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	for _, want := range wants {
		assert.Contains(t, out.String(), want)
	}
	after, err := backend.Dump(h.Root())
	require.NoError(t, err)
	assert.Equal(t, before, after, "the demo leaves the namespace as it found it")
}
