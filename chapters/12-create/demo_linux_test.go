//go:build linux

package chapter12

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// On the real kernel (as root, in a throwaway network namespace) with a
// static busybox: the same steps, and nothing mounted afterwards.
func TestDemoOnRealKernel(t *testing.T) {
	h := linuxtest.NewHost(t) // skips when not root
	if p, why := backendtest.BusyboxPath(); p == "" {
		t.Skip(why)
	}
	t.Setenv("TMPDIR", t.TempDir())
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	for _, want := range wants {
		assert.Contains(t, out.String(), want)
	}
	assert.Contains(t, out.String(), "storage overlay")
	if t.Failed() {
		t.Log(out.String())
	}
	mounts, err := h.Mounts()
	require.NoError(t, err)
	assert.Empty(t, mounts)
}
