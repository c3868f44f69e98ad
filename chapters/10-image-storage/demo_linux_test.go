//go:build linux

package chapter10

import (
	"bytes"
	"context"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On the real kernel both drivers run: overlay stacks the layers with a
// real union mount, vfs copies them. Skips unless root.
func TestDemoOnRealKernel(t *testing.T) {
	h := linuxtest.NewHost(t) // skips when not root
	t.Setenv("TMPDIR", t.TempDir())
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	s := out.String()
	if !assert.Contains(t, s, "## driver overlay (home") {
		t.Log(s)
		return
	}
	assert.Contains(t, s, "mounted: overlay on <child:"+childID[:12]+">/merged (1 lower layer)")
	assert.Contains(t, s, "<child:"+childID[:12]+">/diff/app.conf (10 bytes)", "overlay keeps only the child's own files")
	assert.Contains(t, s, "diff/tmp/scratch (character device 0/0")
	assert.Contains(t, s, `etc/motd: "welcome to child\n"; tmp/scratch: gone`)
	assert.Contains(t, s, "## driver vfs")
	assert.Contains(t, s, "no mount is left behind")
	mounts, err := h.Mounts()
	require.NoError(t, err)
	assert.Empty(t, mounts)
}
