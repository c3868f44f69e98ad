// Tests of the exercise ch14.cgroups-apply (Apply: a container's cgroup
// made and limited through backend.Cgroups): `dockerlab lab check
// ch14.cgroups-apply`, or `go test ./v1_2/libcontainer/cgroups -run
// TestCh14CgroupsApply`. They run on the kernel lab check chose
// (labtest.Host): the fake by default, the real one with --backend linux,
// where the group is made under a cgroup parent of the test's own.
package cgroups

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/lab/labtest"
)

// lab14Group is a container's cgroup config with a name of this test's own.
func lab14Group(t *testing.T) *Cgroup {
	return &Cgroup{Name: "lab14-" + filepath.Base(t.TempDir()), Parent: "dockerlab", Memory: 64 << 20, CpuShares: 512}
}

// lab14Exists says whether the group is there (the backend lists it).
func lab14Exists(t *testing.T, cg backend.Cgroups, name string) bool {
	t.Helper()
	list, err := cg.List("")
	require.NoError(t, err)
	for _, g := range list {
		if g == name {
			return true
		}
	}
	return false
}

// Apply makes the group, writes its limits, and returns, for every
// controller the machine uses, the group's path (state.json keeps it).
func TestCh14CgroupsApply(t *testing.T) {
	cg := labtest.Host(t).Cgroups()
	c := lab14Group(t)
	paths, err := Apply(cg, c)
	require.NoError(t, err)
	assert.True(t, lab14Exists(t, cg, c.Path()), "Apply creates the group")
	st, err := cg.Stats(c.Path())
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit, "the memory limit (-m) is written")
	assert.InEpsilon(t, 512, st.CPUShares, 0.02, "the cpu shares (-c) are written (cgroup v2 keeps them as a weight)")
	want := map[string]string{}
	for _, ctl := range cg.Controllers() {
		want[ctl] = c.Path()
	}
	assert.Equal(t, want, paths, "one entry per controller of the machine, each the group's path")
}

// A group that exists already (a container started again) is fine: only
// the limits are written.
func TestCh14CgroupsApply_Exists(t *testing.T) {
	cg := labtest.Host(t).Cgroups()
	c := lab14Group(t)
	require.NoError(t, cg.Create(c.Path()))
	_, err := Apply(cg, c)
	require.NoError(t, err, "an existing group is not an error (backend.ErrExists)")
	st, err := cg.Stats(c.Path())
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit)
}

// Limits the kernel refuses: Apply fails, and takes the group it made
// away again.
func TestCh14CgroupsApply_BadLimit(t *testing.T) {
	cg := labtest.Host(t).Cgroups()
	c := lab14Group(t)
	c.Memory = -5
	_, err := Apply(cg, c)
	require.Error(t, err, "a memory limit of -5 bytes is refused, and Apply says so")
	assert.ErrorIs(t, err, backend.ErrInvalid, "…with the kernel's (the backend's) error")
	assert.False(t, lab14Exists(t, cg, c.Path()), "the group made for the refused limits is removed")
}

// A cgroup without a name would be the parent itself: refused before
// anything is made.
func TestCh14CgroupsApply_NoName(t *testing.T) {
	cg := labtest.Host(t).Cgroups()
	_, err := Apply(cg, &Cgroup{Memory: 64 << 20})
	require.Error(t, err, "a cgroup needs a name (the container's id)")
	assert.Contains(t, err.Error(), "name", "the error says what is missing")
	_, err = Apply(cg, nil)
	require.Error(t, err, "…and a config")
	list, err := cg.List("")
	require.NoError(t, err)
	assert.Empty(t, list, "nothing was made")
}
