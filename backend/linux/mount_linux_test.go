//go:build linux

// Mounts made through the Host, all inside temporary directories: bind,
// overlay (how dockerlab stacks image layers, book ch.8) and tmpfs.

package linux_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mkdirs(t *testing.T, base string, names ...string) {
	for _, n := range names {
		require.NoError(t, os.MkdirAll(filepath.Join(base, n), 0o755))
	}
}

func TestMounts(t *testing.T) {
	h := linuxtest.NewHost(t)
	dir := t.TempDir()
	mkdirs(t, dir, "src", "bind", "lower1", "lower2", "upper", "work", "merged", "tmp")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "src", "f"), []byte("bound"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lower1", "a"), []byte("top"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lower2", "a"), []byte("bottom"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "lower2", "b"), []byte("only-bottom"), 0o644))
	at := func(p string) string { return filepath.Join(dir, p) }

	bind := backend.Mount{Type: backend.MountBind, Source: at("src"), Target: at("bind"), Readonly: true}
	require.NoError(t, h.Mount(bind))
	got, err := os.ReadFile(at("bind/f"))
	require.NoError(t, err)
	assert.Equal(t, "bound", string(got))
	assert.ErrorIs(t, os.WriteFile(at("bind/g"), nil, 0o644), syscall.EROFS)

	ov := backend.Mount{Type: backend.MountOverlay, Lower: []string{at("lower1"), at("lower2")}, Source: at("upper"), Work: at("work"), Target: at("merged")}
	require.NoError(t, h.Mount(ov))
	got, _ = os.ReadFile(at("merged/a"))
	assert.Equal(t, "top", string(got), "the first lower dir wins")
	got, _ = os.ReadFile(at("merged/b"))
	assert.Equal(t, "only-bottom", string(got))
	require.NoError(t, os.WriteFile(at("merged/c"), []byte("new"), 0o644))
	got, _ = os.ReadFile(at("upper/c"))
	assert.Equal(t, "new", string(got), "writes land in the upper dir")

	require.NoError(t, h.Mount(backend.Mount{Type: backend.MountTmpfs, Target: at("tmp")}))
	mounts, err := h.Mounts()
	require.NoError(t, err)
	assert.Len(t, mounts, 3)

	require.NoError(t, h.Unmount(at("tmp")))
	err = h.Unmount(at("tmp"))
	assert.ErrorIs(t, err, backend.ErrInvalid, "not a mount point any more")
	assert.ErrorIs(t, err, syscall.EINVAL)
	assert.ErrorIs(t, h.Mount(backend.Mount{Type: "aufs", Target: at("tmp")}), backend.ErrInvalid)
	assert.ErrorIs(t, h.Mount(backend.Mount{Type: backend.MountBind, Source: at("nope"), Target: at("tmp")}), backend.ErrNotFound)
	mounts, _ = h.Mounts()
	assert.Len(t, mounts, 2, "Destroy unmounts the rest in cleanup")
}

func TestMissingIptablesIsUnsupported(t *testing.T) {
	linuxtest.RequireRoot(t)
	dir := t.TempDir()
	nsDir := filepath.Join(dir, "ns")
	require.NoError(t, linux.CreateNSFile(filepath.Join(nsDir, "root")))
	t.Cleanup(func() { linux.RemoveNSDir(nsDir) })
	h, err := linux.New(linux.Options{NetNSPath: filepath.Join(nsDir, "root"), RunDir: filepath.Join(dir, "run"),
		CgroupParent: linuxtest.Unique("dockerlab-test-"), IPTablesPath: filepath.Join(dir, "no-iptables")})
	require.NoError(t, err)
	t.Cleanup(func() { h.Destroy() })
	_, err = h.Root().IPTables().ChainExists("nat", "DOCKER")
	assert.ErrorIs(t, err, backend.ErrUnsupported)
	assert.Contains(t, err.Error(), "apt-get install iptables")
	_, err = h.Root().IPTables().Save()
	assert.ErrorIs(t, err, backend.ErrUnsupported)
}
