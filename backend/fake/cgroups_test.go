package fake

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

func TestCgroups(t *testing.T) {
	cg := New().Cgroups()
	assert.Equal(t, backend.CgroupV2, cg.Mode())
	assert.Equal(t, "/sys/fs/cgroup", cg.Root())

	isErr(t, cg.Create("dockerlab/a"), backend.ErrNotFound, syscall.ENOENT)
	require.NoError(t, cg.Create("dockerlab"))
	require.NoError(t, cg.Create("dockerlab/a"))
	isErr(t, cg.Create("dockerlab/a"), backend.ErrExists, syscall.EEXIST)
	isErr(t, cg.Create("/abs"), backend.ErrInvalid, 0)
	isErr(t, cg.Create("dockerlab/../x"), backend.ErrInvalid, 0)

	require.NoError(t, cg.Set("dockerlab/a", backend.Resources{Memory: 64 << 20, CPUShares: 512, CpusetCpus: "0"}))
	isErr(t, cg.Set("dockerlab/a", backend.Resources{CPUShares: 1}), backend.ErrInvalid, 0)
	isErr(t, cg.Set("nope", backend.Resources{Memory: 1}), backend.ErrNotFound, syscall.ENOENT)
	st, err := cg.Stats("dockerlab/a")
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit)
	assert.Equal(t, int64(512), st.CPUShares)
	assert.Equal(t, "0", st.CpusetCpus)
	assert.Empty(t, st.Pids)

	isErr(t, cg.AddProc("dockerlab/a", 4242), backend.ErrNotFound, syscall.ESRCH)
	require.NoError(t, cg.Freeze("dockerlab"))
	st, _ = cg.Stats("dockerlab/a")
	assert.True(t, st.Frozen, "freezing a parent freezes its children")
	require.NoError(t, cg.Thaw("dockerlab"))

	list, err := cg.List("")
	require.NoError(t, err)
	assert.Equal(t, []string{"dockerlab"}, list)
	list, _ = cg.List("dockerlab")
	assert.Equal(t, []string{"dockerlab/a"}, list)

	isErr(t, cg.Delete("dockerlab"), backend.ErrBusy, syscall.EBUSY)
	require.NoError(t, cg.Delete("dockerlab/a"))
	isErr(t, cg.Delete("dockerlab/a"), backend.ErrNotFound, syscall.ENOENT)
	require.NoError(t, cg.Delete("dockerlab"))
}

func TestMounts(t *testing.T) {
	k := New()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	require.NoError(t, os.Mkdir(src, 0o755))
	require.NoError(t, os.Mkdir(dst, 0o755))

	require.NoError(t, k.Mount(backend.Mount{Type: backend.MountBind, Source: src, Target: dst}))
	isErr(t, k.Mount(backend.Mount{Type: backend.MountBind, Source: filepath.Join(dir, "nope"), Target: dst}), backend.ErrNotFound, 0)
	isErr(t, k.Mount(backend.Mount{Type: backend.MountBind, Source: src, Target: filepath.Join(dir, "nope")}), backend.ErrNotFound, 0)
	isErr(t, k.Mount(backend.Mount{Type: backend.MountOverlay, Target: dst}), backend.ErrInvalid, 0)
	require.NoError(t, k.Mount(backend.Mount{Type: backend.MountOverlay, Lower: []string{src}, Target: dst}))
	ms, err := k.Mounts()
	require.NoError(t, err)
	require.Len(t, ms, 2)
	ms[1].Lower[0] = "changed"
	again, _ := k.Mounts()
	assert.Equal(t, src, again[1].Lower[0])

	require.NoError(t, k.Unmount(dst))
	require.NoError(t, k.Unmount(dst))
	isErr(t, k.Unmount(dst), backend.ErrInvalid, syscall.EINVAL)
}
