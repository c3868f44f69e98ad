package chapterutil

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestRestoreRemovesOnlyWhatWasAdded(t *testing.T) {
	h := fake.New()
	n := h.Root()
	require.NoError(t, n.AddBridge("old0", 0))
	require.NoError(t, n.IPTables().Append("filter", "FORWARD", "-i", "old0", "-j", "ACCEPT"))
	want, err := backend.Dump(n)
	require.NoError(t, err)

	snap, err := Take(n)
	require.NoError(t, err)
	require.NoError(t, n.AddBridge("new0", 0))
	require.NoError(t, n.IPTables().NewChain("nat", "NEW"))
	require.NoError(t, n.IPTables().Append("nat", "PREROUTING", "-j", "NEW"))
	require.NoError(t, n.SetSysctl("net.ipv4.ip_forward", "1"))

	var out bytes.Buffer
	require.NoError(t, snap.Restore(n, &out))
	got, err := backend.Dump(n)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Contains(t, out.String(), "ip link del new0")
	assert.NotContains(t, out.String(), "old0")
}
