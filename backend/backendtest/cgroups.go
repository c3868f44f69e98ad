// Contract: cgroups through h.Cgroups() — create, limit, add a started
// process, freeze/thaw, stats, delete, with the kernel's EEXIST and EBUSY
// (reference docs/kernels.md §4 and §6 "Other state";
// book ch.14 §14.3 cgroup; note 003 cgroups). Paths are relative to the
// backend's cgroup parent (on linux the test helper gives every host a
// unique "dockerlab-test-…" parent), so "c1" never meets anyone else's.
package backendtest

import (
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// cgroupFor creates a cgroup and deletes it when t ends (if still there).
func cgroupFor(t *testing.T, h backend.Host, path string) backend.Cgroups {
	t.Helper()
	cg := h.Cgroups()
	require.NoError(t, cg.Create(path), "create cgroup %s", path)
	t.Cleanup(func() { _ = cg.Delete(path) })
	return cg
}

func containsPath(list []string, name string) bool {
	for _, p := range list {
		if p == name || strings.HasSuffix(p, "/"+name) {
			return true
		}
	}
	return false
}

var cgroupChecks = []check{
	{"create, list, duplicate EEXIST, delete, delete missing", func(t *testing.T, h backend.Host) {
		cg := h.Cgroups()
		require.NoError(t, cg.Create("c1"))
		requireErr(t, cg.Create("c1"), backend.ErrExists, syscall.EEXIST, "create c1 twice")
		names, err := cg.List("")
		require.NoError(t, err)
		assert.True(t, containsPath(names, "c1"), "List: %v", names)
		require.NoError(t, cg.Delete("c1"))
		names, err = cg.List("")
		require.NoError(t, err)
		assert.False(t, containsPath(names, "c1"), "List: %v", names)
		requireErr(t, cg.Delete("c1"), backend.ErrNotFound, 0, "delete c1 twice")
	}},
	{"paths that escape are refused", func(t *testing.T, h backend.Host) {
		cg := h.Cgroups()
		requireErr(t, cg.Create("../escape"), backend.ErrInvalid, 0, "a path with ..")
		requireErr(t, cg.Create("/abs"), backend.ErrInvalid, 0, "an absolute path")
	}},
	{"a cgroup with a child is busy", func(t *testing.T, h backend.Host) {
		cg := cgroupFor(t, h, "c1")
		require.NoError(t, cg.Create("c1/child"))
		requireErr(t, cg.Delete("c1"), backend.ErrBusy, syscall.EBUSY, "delete a cgroup that has a child")
		require.NoError(t, cg.Delete("c1/child"))
		require.NoError(t, cg.Delete("c1"))
	}},
	{"limits show in stats", func(t *testing.T, h backend.Host) {
		cg := cgroupFor(t, h, "c1")
		require.NoError(t, cg.Set("c1", backend.Resources{Memory: 64 << 20, CPUShares: 2048, CpusetCpus: "0", CpusetMems: "0"}))
		st, err := cg.Stats("c1")
		require.NoError(t, err)
		assert.Equal(t, int64(64<<20), st.MemoryLimit)
		// v2 stores cpu.weight; converting back may round a little.
		assert.InDelta(t, 2048, st.CPUShares, 64)
		assert.Equal(t, "0", st.CpusetCpus)
		assert.False(t, st.Frozen)
		assert.Empty(t, st.Pids)
	}},
	{"a missing pid is not found", func(t *testing.T, h backend.Host) {
		cg := cgroupFor(t, h, "c1")
		requireErr(t, cg.AddProc("c1", 3999999), backend.ErrNotFound, syscall.ESRCH, "add a pid that does not exist")
	}},
	{"a started process: add, busy delete, freeze, thaw, delete after exit", func(t *testing.T, h backend.Host) {
		rootfs := Rootfs(t, h)
		cg := cgroupFor(t, h, "c1")
		// cpuset on cgroup v1 refuses tasks until cpus and mems are set
		// (ENOSPC); the backend copies the parent's on Create.
		spec, _, _ := container(rootfs, "sleep", "100")
		p := start(t, h, spec)
		require.NoError(t, cg.AddProc("c1", p.Pid()))
		pids, err := cg.Procs("c1")
		require.NoError(t, err)
		assert.Contains(t, pids, p.Pid())
		requireErr(t, cg.Delete("c1"), backend.ErrBusy, syscall.EBUSY, "delete a cgroup that holds a process")

		require.NoError(t, cg.Freeze("c1"))
		st, err := cg.Stats("c1")
		require.NoError(t, err)
		assert.True(t, st.Frozen)
		assert.Contains(t, st.Pids, p.Pid())
		require.NoError(t, cg.Thaw("c1"))
		st, err = cg.Stats("c1")
		require.NoError(t, err)
		assert.False(t, st.Frozen)

		require.NoError(t, p.Signal(syscall.SIGKILL))
		waitStatus(t, p)
		eventually(t, func() bool {
			pids, err := cg.Procs("c1")
			return err == nil && len(pids) == 0
		}, "the dead process should leave the cgroup")
		require.NoError(t, cg.Delete("c1"))
	}},
	{"a process started in a cgroup is in it from the start", func(t *testing.T, h backend.Host) {
		rootfs := Rootfs(t, h)
		cg := cgroupFor(t, h, "c2")
		spec, _, _ := container(rootfs, "sleep", "100")
		spec.Cgroup = "c2"
		p := start(t, h, spec)
		pids, err := cg.Procs("c2")
		require.NoError(t, err)
		assert.Contains(t, pids, p.Pid())
		info := findProc(t, h, p.Pid())
		require.NotNil(t, info)
		assert.True(t, info.Cgroup == "c2" || strings.HasSuffix(info.Cgroup, "/c2"), "Cgroup %q", info.Cgroup)
	}},
}
