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
	// A daemon's sandbox has lo up (the published port's loopback side
	// needs it); the test's throwaway namespace starts with it down.
	require.NoError(t, h.Root().LinkSetUp("lo"))
	before, err := backend.Dump(h.Root())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	s := out.String()
	linuxWants := []string{
		"(DNAT of a local address): HTTP/1.1 200 OK hello from db",
		// The proxy's answer itself is checked by v1_2/daemon's
		// TestJobsNetworkTrafficLinux; here only that the demo asks.
		"(loopback: docker-proxy): ",
		"over the link\n    | HTTP/1.1 200 OK\n    | hello from db\n",
	}
	for _, want := range append(wants, linuxWants...) {
		if !assert.Contains(t, s, want) {
			t.Log(s)
			break
		}
	}
	after, err := backend.Dump(h.Root())
	require.NoError(t, err)
	assert.Equal(t, before, after, "the demo leaves the namespace as it found it")
}
