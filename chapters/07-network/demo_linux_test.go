//go:build linux

package chapter07

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// On the real kernel, inside a throwaway namespace: the same story with
// real veths, real rules and busybox in real namespaces. Skips unless
// root (or without a static busybox).
func TestDemoOnRealKernel(t *testing.T) {
	h := linuxtest.NewHost(t)  // skips when not root
	linuxtest.BusyboxRootfs(t) // skips, saying how to fix it, without busybox
	t.Setenv("TMPDIR", t.TempDir())
	before, err := backend.Dump(h.Root())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	s := out.String()
	for _, want := range wants {
		if !assert.Contains(t, s, want) {
			t.Log(s)
			break
		}
	}
	after, err := backend.Dump(h.Root())
	require.NoError(t, err)
	assert.Equal(t, before, after, "the demo leaves the namespace as it found it")
}
