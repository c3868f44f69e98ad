package cgroups

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestApplyFreezeCleanupOnFake(t *testing.T) {
	cg := fake.New().Cgroups()
	c := &Cgroup{Name: "abc", Parent: "dockerlab", Memory: 64 << 20, CpuShares: 512, CpusetCpus: "0"}
	paths, err := Apply(cg, c)
	require.NoError(t, err)
	assert.Equal(t, "abc", paths["memory"])
	st, err := cg.Stats("abc")
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit)
	assert.Equal(t, int64(512), st.CPUShares)
	assert.Equal(t, "0", st.CpusetCpus)

	_, err = Apply(cg, c)
	assert.NoError(t, err, "applying again to an existing group only sets the limits")

	require.NoError(t, SetFreezer(cg, c, Frozen))
	assert.Equal(t, Frozen, c.Freezer)
	st, _ = cg.Stats("abc")
	assert.True(t, st.Frozen)
	require.NoError(t, SetFreezer(cg, c, Thawed))
	st, _ = cg.Stats("abc")
	assert.False(t, st.Frozen)
	assert.ErrorContains(t, SetFreezer(cg, c, "MELTED"), "unknown freezer state")

	pids, err := GetPids(cg, c)
	require.NoError(t, err)
	assert.Empty(t, pids)

	require.NoError(t, Cleanup(cg, c))
	require.NoError(t, Cleanup(cg, c), "a group already gone is fine")
	_, err = cg.Stats("abc")
	assert.ErrorIs(t, err, backend.ErrNotFound)

	_, err = Apply(cg, &Cgroup{})
	assert.ErrorContains(t, err, "no name")
	_, err = Apply(cg, &Cgroup{Name: "../escape"})
	assert.ErrorIs(t, err, backend.ErrInvalid)
}
