//go:build linux

package chapter08

import (
	"bytes"
	"context"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On the real kernel the daemon picks overlay: the union of step 4 is a
// real overlayfs mount. Skips unless root.
func TestDemoOnRealKernel(t *testing.T) {
	h := linuxtest.NewHost(t) // skips when not root
	t.Setenv("TMPDIR", t.TempDir())
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	s := out.String()
	for _, want := range []string{"storage driver overlay", "bin/sh etc/hostname hello", "mounted: overlay with 1 lower layer(s)", "again: true"} {
		assert.Contains(t, s, want)
	}
	if t.Failed() {
		t.Log(s)
	}
	mounts, err := h.Mounts()
	require.NoError(t, err)
	assert.Empty(t, mounts, "the daemon's shutdown unmounts every layer")
}
