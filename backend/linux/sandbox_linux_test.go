//go:build linux

// The sandbox: a persistent named namespace at /run/netns/<name> that
// `ip netns exec` can enter, and DeleteSandbox, which removes it with all
// dockerlab made around it (docs/design.md "The backend"). The test uses a
// unique sandbox name and run directory, never the default "dockerlab".

package linux_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSandboxLifecycle(t *testing.T) {
	linuxtest.RequireRoot(t)
	name := linuxtest.Unique("dltest")
	runDir := filepath.Join(t.TempDir(), "run")
	opts := linux.DefaultOptions()
	opts.SandboxName, opts.RunDir, opts.CgroupParent = name, runDir, linuxtest.Unique("dockerlab-test-")
	t.Cleanup(func() {
		if linux.SandboxExists(name) {
			linux.DeleteSandbox(name, runDir)
		}
	})

	assert.False(t, linux.SandboxExists(name))
	h, err := linux.New(opts)
	require.NoError(t, err)
	assert.True(t, linux.SandboxExists(name))
	assert.Equal(t, "/run/netns/"+name, linux.SandboxPath(name))
	lo, err := h.Root().LinkByName("lo")
	require.NoError(t, err)
	assert.True(t, lo.Up, "a new sandbox is a machine: its lo is up")
	require.NoError(t, h.Root().AddBridge("docker0", 0))
	_, err = h.NewNetNS("inner")
	require.NoError(t, err)

	// Students can look inside with iproute2.
	if ipPath, err := exec.LookPath("ip"); err == nil {
		out, err := exec.Command(ipPath, "netns", "exec", name, "ip", "-o", "link").CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), "docker0")
	}

	// A second Host on the same sandbox sees the same namespace.
	h2, err := linux.New(opts)
	require.NoError(t, err)
	_, err = h2.Root().LinkByName("docker0")
	require.NoError(t, err)
	h2.Close()

	// A process sharing the sandbox's network, left running.
	if busybox := linuxtest.BusyboxPath(); busybox != "" {
		p, err := h.Start(backend.ProcSpec{Args: []string{busybox, "sleep", "100"}})
		require.NoError(t, err)
		assert.Equal(t, backend.NSRef{}, p.NetNS())
		defer func() {
			st, err := p.Wait()
			require.NoError(t, err)
			assert.Equal(t, 137, st.Code, "DeleteSandbox killed it")
		}()
	}
	h.Close()

	require.NoError(t, linux.DeleteSandbox(name, runDir))
	assert.False(t, linux.SandboxExists(name))
	out, _ := exec.Command("ip", "netns", "list").CombinedOutput()
	assert.False(t, strings.Contains(string(out), name))
	assert.ErrorIs(t, linux.DeleteSandbox(name, runDir), backend.ErrNotFound)
}

// A sandbox file left behind without its mount (umount by hand) is stale:
// New replaces it instead of failing for ever.
func TestSandboxStaleFileIsReplaced(t *testing.T) {
	linuxtest.RequireRoot(t)
	name := linuxtest.Unique("dltest")
	runDir := filepath.Join(t.TempDir(), "run")
	require.NoError(t, os.MkdirAll(linux.SandboxDir, 0o755))
	require.NoError(t, os.WriteFile(linux.SandboxPath(name), nil, 0o444))
	t.Cleanup(func() {
		linux.DeleteSandbox(name, runDir)
		os.Remove(linux.SandboxPath(name))
	})
	opts := linux.DefaultOptions()
	opts.SandboxName, opts.RunDir = name, runDir
	h, err := linux.New(opts)
	require.NoError(t, err)
	h.Close()
	assert.True(t, linux.SandboxExists(name))
}
