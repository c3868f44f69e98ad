//go:build linux

// Cgroups: the real v1 hierarchy of this machine under a test-unique
// parent, and v1/v2 against temporary directories (reference
// docs/kernels.md §4).

package linux_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sleeper starts a process the test owns and kills it in cleanup.
func sleeper(t *testing.T) int {
	cmd := exec.Command("sleep", "100")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}

func TestCgroupsRealV1(t *testing.T) {
	h := linuxtest.NewHost(t)
	cg := h.Cgroups()
	if cg.Mode() == backend.CgroupV2 {
		t.Skip("skipping: this machine runs cgroup v2; the v1 path is tested on a hybrid/v1 machine")
	}
	assert.Contains(t, cg.Controllers(), "memory")
	require.NoError(t, cg.Create("c1"))
	assert.ErrorIs(t, cg.Create("c1"), backend.ErrExists)
	assert.ErrorIs(t, cg.Create("../escape"), backend.ErrInvalid)
	assert.ErrorIs(t, cg.Create("/abs"), backend.ErrInvalid)
	list, err := cg.List("")
	require.NoError(t, err)
	assert.Equal(t, []string{"c1"}, list)

	require.NoError(t, cg.Set("c1", backend.Resources{Memory: 64 << 20, CPUShares: 512, CpusetCpus: "0", PidsMax: 50}))
	pid := sleeper(t)
	require.NoError(t, cg.AddProc("c1", pid), "cpuset cpus/mems were copied from the parent, so no ENOSPC")
	pids, err := cg.Procs("c1")
	require.NoError(t, err)
	assert.Equal(t, []int{pid}, pids)

	st, err := cg.Stats("c1")
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit)
	assert.Equal(t, int64(512), st.CPUShares)
	assert.Equal(t, "0", st.CpusetCpus)
	assert.Equal(t, []int{pid}, st.Pids)
	assert.False(t, st.Frozen)

	require.NoError(t, cg.Freeze("c1"))
	st, _ = cg.Stats("c1")
	assert.True(t, st.Frozen)
	require.NoError(t, cg.Thaw("c1"))
	st, _ = cg.Stats("c1")
	assert.False(t, st.Frozen)

	err = cg.Delete("c1")
	assert.ErrorIs(t, err, backend.ErrBusy)
	assert.ErrorIs(t, err, syscall.EBUSY)
	assert.ErrorIs(t, cg.AddProc("c1", 1<<22), backend.ErrNotFound, "a pid that does not exist")
	syscall.Kill(pid, syscall.SIGKILL)
	require.Eventually(t, func() bool { return cg.Delete("c1") == nil }, 5e9, 1e7)
	assert.ErrorIs(t, cg.Delete("c1"), backend.ErrNotFound)
}

// A fresh v1 cpuset cgroup without cpus refuses tasks with ENOSPC; the
// manager copies the parent's. Shown here by emptying it on purpose.
func TestCgroupsRealV1CpusetENOSPC(t *testing.T) {
	h := linuxtest.NewLinuxHost(t)
	cg := h.Cgroups()
	if cg.Mode() == backend.CgroupV2 {
		t.Skip("skipping: v1 only")
	}
	require.NoError(t, cg.Create("c2"))
	dir := filepath.Join(cg.Root(), "cpuset", h.Options().CgroupParent, "c2")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cpuset.cpus"), []byte("\n"), 0))
	err := cg.AddProc("c2", sleeper(t))
	assert.ErrorIs(t, err, backend.ErrNoSpace)
	assert.ErrorIs(t, err, syscall.ENOSPC)
}

// A shared parent left with an empty cpuset (another run, another tool)
// is seeded from its own parent when a cgroup is made under it, as runc
// does; it used to make every join below it fail with ENOSPC (issue #10
// item 7). And a join that still fails says which file is empty.
func TestCgroupsRealV1SeedsAnEmptyParent(t *testing.T) {
	h := linuxtest.NewLinuxHost(t)
	cg := h.Cgroups()
	if cg.Mode() == backend.CgroupV2 {
		t.Skip("skipping: v1 only")
	}
	require.NoError(t, cg.Create("shared"))
	shared := filepath.Join(cg.Root(), "cpuset", h.Options().CgroupParent, "shared")
	for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
		require.NoError(t, os.WriteFile(filepath.Join(shared, f), []byte("\n"), 0))
	}
	require.NoError(t, cg.Create("shared/c"))
	require.NoError(t, cg.AddProc("shared/c", sleeper(t)), "the empty parent was seeded, and the child from it")
	for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
		b, err := os.ReadFile(filepath.Join(shared, f))
		require.NoError(t, err)
		assert.NotEqual(t, "", strings.TrimSpace(string(b)), f)
	}

	// Emptied again after the child was made: the join's error names it.
	require.NoError(t, cg.Create("shared/d"))
	d := filepath.Join(shared, "d")
	require.NoError(t, os.WriteFile(filepath.Join(d, "cpuset.cpus"), []byte("\n"), 0))
	err := cg.AddProc("shared/d", sleeper(t))
	assert.ErrorIs(t, err, backend.ErrNoSpace)
	assert.Contains(t, err.Error(), filepath.Join(d, "cpuset.cpus")+": is empty")
	assert.Contains(t, err.Error(), "cat "+filepath.Join(shared, "cpuset.cpus")+" > "+filepath.Join(d, "cpuset.cpus"))
}

func TestCgroupsV1InTempDir(t *testing.T) {
	root := t.TempDir()
	for _, c := range []string{"memory", "cpu", "cpuset", "freezer", "pids"} {
		require.NoError(t, os.Mkdir(filepath.Join(root, c), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, "cpuset", "cpuset.cpus"), []byte("0-3\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "cpuset", "cpuset.mems"), []byte("0\n"), 0o644))
	cg, err := linux.NewCgroups(root, backend.CgroupV1, "dockerlab")
	require.NoError(t, err)
	require.NoError(t, cg.Create("a/b"))
	assert.ErrorIs(t, cg.Create("a/b"), backend.ErrExists)
	got, err := os.ReadFile(filepath.Join(root, "cpuset", "dockerlab", "a", "b", "cpuset.cpus"))
	require.NoError(t, err)
	assert.Equal(t, "0-3", string(got), "parent cpus copied down")
	require.NoError(t, cg.Set("a/b", backend.Resources{Memory: 1 << 20, CPUShares: 256}))
	got, _ = os.ReadFile(filepath.Join(root, "memory", "dockerlab", "a", "b", "memory.limit_in_bytes"))
	assert.Equal(t, "1048576", string(got))
	require.NoError(t, cg.AddProc("a/b", os.Getpid()))
	st, err := cg.Stats("a/b")
	require.NoError(t, err)
	assert.Equal(t, int64(1<<20), st.MemoryLimit)
	assert.Equal(t, int64(256), st.CPUShares)
	assert.Equal(t, []int{os.Getpid()}, st.Pids)
	require.NoError(t, cg.Freeze("a/b"))
	st, _ = cg.Stats("a/b")
	assert.True(t, st.Frozen)
	assert.ErrorIs(t, cg.Delete("a/b"), backend.ErrBusy)
	assert.ErrorIs(t, cg.Delete("a"), backend.ErrBusy, "a parent with children")
	list, err := cg.List("a")
	require.NoError(t, err)
	assert.Equal(t, []string{"a/b"}, list)
}

func TestCgroupsV2InTempDir(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "cgroup.controllers"), []byte("cpuset cpu io memory pids\n"), 0o644))
	cg, err := linux.NewCgroups(root, backend.CgroupV2, "dockerlab")
	require.NoError(t, err)
	assert.Equal(t, backend.CgroupV2, cg.Mode())
	assert.Equal(t, []string{"cpu", "cpuset", "memory", "pids"}, cg.Controllers())
	require.NoError(t, cg.Create("c"))
	assert.ErrorIs(t, cg.Create("c"), backend.ErrExists)
	sub, err := os.ReadFile(filepath.Join(root, "cgroup.subtree_control"))
	require.NoError(t, err)
	assert.Equal(t, "+cpu +cpuset +memory +pids", string(sub))
	require.NoError(t, cg.Set("c", backend.Resources{Memory: 1 << 20, MemorySwap: 3 << 20, CPUShares: 1024, PidsMax: 10}))
	dir := filepath.Join(root, "dockerlab", "c")
	for file, want := range map[string]string{"memory.max": "1048576", "memory.swap.max": "2097152", "cpu.weight": "100", "pids.max": "10"} {
		got, err := os.ReadFile(filepath.Join(dir, file))
		require.NoError(t, err)
		assert.Equal(t, want, string(got), file)
	}
	st, err := cg.Stats("c")
	require.NoError(t, err)
	assert.Equal(t, int64(1024), st.CPUShares, "cpu.weight 100 reads back as 1024 shares")
	require.NoError(t, cg.Freeze("c"))
	st, _ = cg.Stats("c")
	assert.True(t, st.Frozen)
	require.NoError(t, cg.Thaw("c"))
	require.NoError(t, cg.Delete("c"))
	assert.ErrorIs(t, cg.Delete("c"), backend.ErrNotFound)
}

func TestCgroupModeDetection(t *testing.T) {
	mode, err := linux.DetectCgroupMode("/sys/fs/cgroup")
	if err != nil {
		t.Skipf("skipping: no cgroupfs: %v", err)
	}
	assert.Contains(t, []backend.CgroupMode{backend.CgroupV1, backend.CgroupHybrid, backend.CgroupV2}, mode)
	_, err = linux.NewCgroups(t.TempDir(), "v3", "dockerlab")
	assert.ErrorIs(t, err, backend.ErrInvalid)
}

// The v2 manager against the machine's real cgroup2 mount. On this hybrid
// machine it holds no resource controllers, but creating, joining,
// freezing (cgroup.freeze is core v2) and deleting are all real.
func TestCgroupsRealV2(t *testing.T) {
	linuxtest.RequireRoot(t)
	root := "/sys/fs/cgroup"
	if mode, _ := linux.DetectCgroupMode(root); mode == backend.CgroupHybrid {
		root = "/sys/fs/cgroup/unified"
	} else if mode != backend.CgroupV2 {
		t.Skip("skipping: no cgroup2 mount on this machine")
	}
	parent := linuxtest.Unique("dockerlab-test-")
	cg, err := linux.NewCgroups(root, backend.CgroupV2, parent)
	require.NoError(t, err)
	t.Cleanup(func() {
		cg.Delete("c")
		syscall.Rmdir(filepath.Join(root, parent))
	})
	require.NoError(t, cg.Create("c"))
	assert.ErrorIs(t, cg.Create("c"), backend.ErrExists)
	pid := sleeper(t)
	require.NoError(t, cg.AddProc("c", pid))
	st, err := cg.Stats("c")
	require.NoError(t, err)
	assert.Equal(t, []int{pid}, st.Pids)
	require.NoError(t, cg.Freeze("c"))
	st, _ = cg.Stats("c")
	assert.True(t, st.Frozen)
	require.NoError(t, cg.Thaw("c"))
	st, _ = cg.Stats("c")
	assert.False(t, st.Frozen)
	assert.ErrorIs(t, cg.Delete("c"), backend.ErrBusy)
	syscall.Kill(pid, syscall.SIGKILL)
	require.Eventually(t, func() bool { return cg.Delete("c") == nil }, 5e9, 1e7)
}
