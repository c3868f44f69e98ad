//go:build linux

package main

import (
	"os"
	"os/exec"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRSSOfSelf(t *testing.T) {
	n, err := rssOf(os.Getpid())
	require.NoError(t, err)
	assert.Greater(t, n, uint64(1<<20), "a Go test binary uses more than 1 MiB")
}

func TestChildrenNamed(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	assert.Contains(t, childrenNamed(os.Getpid(), "sleep"), cmd.Process.Pid)
	assert.NotContains(t, childrenNamed(os.Getpid(), "docker-proxy"), cmd.Process.Pid)
}

func TestUnmountUnder(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	inner := dir + "/a/b"
	require.NoError(t, os.MkdirAll(inner, 0o755))
	require.NoError(t, unix.Mount("tmpfs", dir+"/a", "tmpfs", 0, ""))
	require.NoError(t, os.MkdirAll(inner, 0o755))
	require.NoError(t, unix.Mount("tmpfs", inner, "tmpfs", 0, ""))
	unmountUnder(dir)
	data, err := os.ReadFile("/proc/self/mountinfo")
	require.NoError(t, err)
	assert.NotContains(t, string(data), dir)
}
