// Tests of the exercise ch06.setup-iptables (setupIPTables, the rules
// InitDriver installs for docker0): `dockerlab lab check
// ch06.setup-iptables`, or `go test ./v1_2/daemon/networkdriver/bridge
// -run TestCh06SetupIptables`. They run on the kernel lab check chose
// (labtest.Host): the fake by default, the real one with --backend linux.
package bridge

import (
	"net"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/lab/labtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labBridge points the driver at h with docker0's name and returns the
// address InitDriver would pass: the bridge's own IP and its mask.
func labBridge(t *testing.T, h backend.Host) net.Addr {
	t.Helper()
	useHost(t, h)
	bridgeIface = "docker0"
	return &net.IPNet{IP: net.ParseIP("172.17.42.1").To4(), Mask: net.CIDRMask(16, 32)}
}

// labRules lists one chain's rules as `iptables -S` prints them.
func labRules(t *testing.T, h backend.Host, table, chain string) []string {
	t.Helper()
	lines, err := h.Root().IPTables().List(table, chain)
	require.NoError(t, err)
	var rules []string
	for _, l := range lines {
		if strings.HasPrefix(l, "-A ") {
			rules = append(rules, l)
		}
	}
	return rules
}

// The four rules, as the kernel lists them. FORWARD shows them in the
// reverse order of their insertion, because each one is inserted at the
// top (-I).
var (
	labNat     = []string{"-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"}
	labForward = []string{
		"-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
		"-A FORWARD -i docker0 -o docker0 -j ACCEPT",
	}
)

// A fresh machine with --icc=true gets the four rules.
func TestCh06SetupIptables(t *testing.T) {
	h := labtest.Host(t)
	require.NoError(t, setupIPTables(labBridge(t, h), true))
	assert.Equal(t, labNat, labRules(t, h, "nat", "POSTROUTING"), "nat POSTROUTING: containers reach the outside with the host's address, but not each other")
	assert.Equal(t, labForward, labRules(t, h, "filter", "FORWARD"), "filter FORWARD")
}

// A daemon that starts again finds its rules and adds no second copy.
func TestCh06SetupIptables_Idempotent(t *testing.T) {
	h := labtest.Host(t)
	addr := labBridge(t, h)
	require.NoError(t, setupIPTables(addr, true))
	require.NoError(t, setupIPTables(addr, true))
	assert.Equal(t, labNat, labRules(t, h, "nat", "POSTROUTING"), "probe each rule (-C) before inserting it")
	assert.Equal(t, labForward, labRules(t, h, "filter", "FORWARD"), "probe each rule (-C) before inserting it")
}

// --icc=false drops container-to-container traffic; switching back and
// forth swaps the verdict, never keeping both.
func TestCh06SetupIptables_Icc(t *testing.T) {
	h := labtest.Host(t)
	addr := labBridge(t, h)
	require.NoError(t, setupIPTables(addr, false))
	assert.Equal(t, []string{
		"-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
		"-A FORWARD -i docker0 -o docker0 -j DROP",
	}, labRules(t, h, "filter", "FORWARD"), "--icc=false: DROP between containers")
	require.NoError(t, setupIPTables(addr, true))
	rules := labRules(t, h, "filter", "FORWARD")
	assert.Contains(t, rules, "-A FORWARD -i docker0 -o docker0 -j ACCEPT", "--icc=true again: ACCEPT")
	assert.NotContains(t, rules, "-A FORWARD -i docker0 -o docker0 -j DROP", "…and the DROP of the previous start is gone")
	require.NoError(t, setupIPTables(addr, false))
	rules = labRules(t, h, "filter", "FORWARD")
	assert.Contains(t, rules, "-A FORWARD -i docker0 -o docker0 -j DROP")
	assert.NotContains(t, rules, "-A FORWARD -i docker0 -o docker0 -j ACCEPT")
}

// The rules go before whatever the machine already had in FORWARD (a
// firewall's final DROP, say), or they would never be reached.
func TestCh06SetupIptables_BeforeExistingRules(t *testing.T) {
	h := labtest.Host(t)
	addr := labBridge(t, h)
	require.NoError(t, h.Root().IPTables().Append("filter", "FORWARD", "-j", "DROP"))
	require.NoError(t, setupIPTables(addr, true))
	assert.Equal(t, append(append([]string{}, labForward...), "-A FORWARD -j DROP"), labRules(t, h, "filter", "FORWARD"))
}

// On the real kernel (lab check --backend linux, as root), the rules are
// what the fake kernel shows, dump for dump.
func TestCh06SetupIptables_LinuxParity(t *testing.T) {
	real := linuxtest.NewHost(t) // skips, saying why, unless root on Linux
	require.NoError(t, setupIPTables(labBridge(t, real), false))
	realDump, err := real.Root().IPTables().Save()
	require.NoError(t, err)
	faked := fake.NewBare()
	require.NoError(t, setupIPTables(labBridge(t, faked), false))
	fakeDump, err := faked.Root().IPTables().Save()
	require.NoError(t, err)
	assert.Equal(t, fakeDump, realDump)
}
