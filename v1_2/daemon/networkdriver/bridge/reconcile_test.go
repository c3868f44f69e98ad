// A daemon killed between adding and deleting a container's rules, or
// between making a veth pair and moving its peer, leaves them behind;
// the next InitDriver removes exactly those (reconcile.go).
package bridge

import (
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInitDriverRemovesWhatAKilledDaemonLeftFake(t *testing.T) {
	reconcileScenario(t, fake.NewBare(), "ctrns")
}

// reconcileScenario runs on h; nsName names the namespace that plays a
// live container's.
func reconcileScenario(t *testing.T, h backend.Host, nsName string) {
	useHost(t, h)
	_, err := runInit(t, initEnv())
	require.NoError(t, err)
	root := h.Root()
	ipt := root.IPTables()

	stale := [][]string{
		{"-d", "172.17.0.5/32", "!", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-m", "tcp", "--dport", "80", "-j", "ACCEPT"},
		{"-s", "172.17.0.6/32", "-d", "172.17.0.7/32", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-m", "tcp", "--dport", "5432", "-j", "ACCEPT"},
	}
	other := []string{"-d", "10.9.9.9/32", "-o", "eth7", "-j", "ACCEPT"} // not the bridge's: kept
	for _, r := range append(stale, other) {
		require.NoError(t, ipt.Append("filter", "FORWARD", r...))
	}
	// An orphan pair (both ends here) and a live one (peer in a namespace).
	require.NoError(t, root.AddVeth("vethdead0", "vethdead1", 1500))
	require.NoError(t, root.LinkSetMaster("vethdead0", "docker0"))
	require.NoError(t, root.AddVeth("vethlive0", "vethlive1", 1500))
	require.NoError(t, root.LinkSetMaster("vethlive0", "docker0"))
	ns, err := h.NewNetNS(nsName)
	require.NoError(t, err)
	t.Cleanup(func() { h.DeleteNetNS(nsName) })
	require.NoError(t, root.LinkSetNs("vethlive1", ns.Ref()))

	// The next daemon.
	resetState()
	_, err = runInit(t, initEnv())
	require.NoError(t, err)

	rules, err := ipt.List("filter", "FORWARD")
	require.NoError(t, err)
	text := strings.Join(rules, "\n")
	assert.NotContains(t, text, "172.17.0.5/32", "a published port's rule of a dead run")
	assert.NotContains(t, text, "172.17.0.7/32", "a link's rule of a dead run")
	assert.Contains(t, text, "10.9.9.9/32", "a rule that is not the bridge's stays")
	assert.Contains(t, text, "-A FORWARD -i docker0 -o docker0 -j ACCEPT", "the bridge's own rules stay")
	_, err = root.LinkByName("vethdead0")
	assert.ErrorIs(t, err, backend.ErrNotFound, "the orphan pair goes")
	_, err = root.LinkByName("vethlive0")
	assert.NoError(t, err, "a veth whose peer is in a container's namespace stays")
}
