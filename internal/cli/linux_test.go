// The same commands on the real kernel, as root, in a sandbox namespace
// made for this test alone and reset at its end, so the machine's own
// network is never touched.
package cli

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/linux"
)

func TestLinuxSandboxScenarioShowStatusReset(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the linux backend needs Linux")
	}
	if os.Geteuid() != 0 {
		t.Skip("the linux backend needs root")
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "dlcli-" + hex.EncodeToString(b)
	onLinux := func(args ...string) string {
		t.Helper()
		out, errOut, code := dl(t, append([]string{"--backend", "linux", "--sandbox-name", name}, args...)...)
		require.Equal(t, 0, code, "dockerlab %v failed:\n%s%s", args, out, errOut)
		return out
	}
	t.Cleanup(func() { dl(t, "--backend", "linux", "--sandbox-name", name, "sandbox", "reset") })

	out := onLinux("sandbox", "status")
	assert.Contains(t, out, "does not exist")

	out = onLinux("net", "scenario", "bridge-veth-netns")
	assert.Contains(t, out, "dockerlab sandbox reset")
	require.True(t, linux.SandboxExists(name))

	out = onLinux("net", "show")
	for _, want := range []string{"# linux backend, namespace sandbox " + name, "| ns c1", "eth0 172.17.0.2/16", "veth-c3", "docker0 172.17.42.1/16", "(sandbox " + name + " has no uplink device)"} {
		assert.Contains(t, out, want)
	}

	out = onLinux("sandbox", "status")
	assert.Contains(t, out, "exists at "+linux.SandboxPath(name))
	assert.Contains(t, out, "named namespaces: c1 c2 c3")
	assert.Contains(t, out, "veth-c1")

	out = onLinux("sandbox", "reset")
	assert.Contains(t, out, "removed sandbox "+name)
	assert.False(t, linux.SandboxExists(name))
}
