//go:build linux

// sandbox reset on the real kernel when the namespace is already gone.
package cli

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/dockerlab/dockerlab/backend/linux"
)

// `sandbox reset` removes the sandbox's cgroups (its own parent,
// dockerlab-<name>, and what is under it) even when the namespace is
// already gone, and names them; nothing else is touched.
func TestLinuxSandboxResetWithoutTheNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the linux backend needs root")
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "dlcli-" + hex.EncodeToString(b)
	t.Cleanup(func() { dl(t, "--backend", "linux", "--sandbox-name", name, "sandbox", "reset") })
	opts := linux.DefaultOptions()
	opts.SandboxName, opts.CgroupParent = name, linux.SandboxCgroupParent(name)
	opts.RunDir = filepath.Join(linux.DefaultRunDir, name)
	h, err := linux.New(opts)
	require.NoError(t, err)
	require.NoError(t, h.Cgroups().Create("left/behind"))
	h.Close()
	require.NotEmpty(t, linux.SandboxCgroups(name))
	// The namespace goes (as `ip netns del` or a reboot would take it);
	// its cgroups stay.
	require.NoError(t, unix.Unmount(linux.SandboxPath(name), unix.MNT_DETACH))
	require.NoError(t, os.Remove(linux.SandboxPath(name)))
	require.False(t, linux.SandboxExists(name))
	cgroups := linux.SandboxCgroups(name)
	require.NotEmpty(t, cgroups)

	out, errOut, code := dl(t, "--backend", "linux", "--sandbox-name", name, "sandbox", "reset")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "sandbox "+name+": the namespace was already gone")
	for _, dir := range cgroups {
		assert.Contains(t, out, dir)
		assert.NoDirExists(t, dir)
	}
	assert.NoDirExists(t, opts.RunDir)
	out, _, code = dl(t, "--backend", "linux", "--sandbox-name", name, "sandbox", "reset")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "nothing to remove")
}

// A chapter demo on linux runs in a sandbox of its own, chapterN-PID, and
// nothing of it is left afterwards: no namespace, no run directory, no
// cgroup (chapter 12 makes containers, so cgroups).
func TestLinuxChapterLeavesNothing(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the linux backend needs root")
	}
	t.Setenv("TMPDIR", t.TempDir())
	name := fmt.Sprintf("chapter12-%d", os.Getpid())
	out, errOut, code := dl(t, "--backend", "linux", "chapter", "12")
	require.Equal(t, 0, code, "%s%s", out, errOut)
	assert.Contains(t, errOut, "runs in a fresh sandbox namespace "+name)
	assert.False(t, linux.SandboxExists(name))
	assert.Empty(t, linux.SandboxCgroups(name))
	assert.NoDirExists(t, filepath.Join(linux.DefaultRunDir, name))
}
