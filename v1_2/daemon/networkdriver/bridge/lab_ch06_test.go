// Tests of the chapter 6 exercises in package bridge: ch06.setup-iptables
// (setupIPTables, the rules InitDriver installs for docker0), `dockerlab lab
// check ch06.setup-iptables` or `go test ./v1_2/daemon/networkdriver/bridge
// -run TestCh06SetupIptables`; and ch06.bridge-range (below). They run on
// the kernel lab check chose (labtest.Host): the fake by default, the real
// one with --backend linux.
package bridge

import (
	"net"
	"os"
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

// Tests of the exercise ch06.bridge-range (createBridge's choice of
// docker0's range among the candidates in addrs): `dockerlab lab check
// ch06.bridge-range`, or `go test ./v1_2/daemon/networkdriver/bridge -run
// TestCh06BridgeRange`. They too run on the kernel lab check chose.

// lab06Taken gives the machine a network of its own on a link eth9 (up), as
// a VM's eth0 or a VPN would have: the kernel adds the route to it.
func lab06Taken(t *testing.T, h backend.Host, cidrs ...string) {
	t.Helper()
	n := h.Root()
	if _, err := n.LinkByName("eth9"); err != nil {
		require.NoError(t, n.AddBridge("eth9", 0))
		require.NoError(t, n.LinkSetUp("eth9"))
	}
	for _, c := range cidrs {
		ip, network, err := net.ParseCIDR(c)
		require.NoError(t, err)
		network.IP = ip
		require.NoError(t, n.AddrAdd("eth9", network))
	}
}

// lab06Nameservers writes the resolv.conf createBridge reads.
func lab06Nameservers(t *testing.T, servers ...string) {
	t.Helper()
	var b strings.Builder
	for _, s := range servers {
		b.WriteString("nameserver " + s + "\n")
	}
	require.NoError(t, os.WriteFile(ResolvConfPath, []byte(b.String()), 0o644))
}

// lab06Docker0 runs createBridge without --bip and returns docker0's address.
func lab06Docker0(t *testing.T, h backend.Host) string {
	t.Helper()
	require.NoError(t, createBridge(""))
	addrs, err := h.Root().AddrList("docker0")
	require.NoError(t, err, "createBridge makes docker0")
	require.Len(t, addrs, 1, "docker0 gets one address")
	return addrs[0].IPNet.String()
}

// A machine with nothing in the way: the first candidate, 172.17.42.1/16.
func TestCh06BridgeRange(t *testing.T) {
	h := labtest.Host(t)
	labBridge(t, h)
	assert.Equal(t, "172.17.42.1/16", lab06Docker0(t, h), "the first candidate of addrs that is free")
}

// A candidate that overlaps a route of the machine is skipped: docker0
// would hide that network from the host.
func TestCh06BridgeRange_SkipsRoutes(t *testing.T) {
	h := labtest.Host(t)
	labBridge(t, h)
	lab06Taken(t, h, "172.17.200.1/24", "10.0.0.7/8")
	assert.Equal(t, "172.16.42.1/24", lab06Docker0(t, h),
		"172.17.0.0/16 holds a routed /24 and 10.0.0.0/8 holds every 10.x candidate: the next free one is 172.16.42.1/24")
}

// A candidate that holds one of the machine's nameservers is skipped: the
// containers could no longer reach it.
func TestCh06BridgeRange_SkipsNameservers(t *testing.T) {
	h := labtest.Host(t)
	labBridge(t, h)
	lab06Nameservers(t, "172.17.0.53", "10.0.7.7")
	assert.Equal(t, "10.1.42.1/16", lab06Docker0(t, h), "172.17.0.0/16 and 10.0.0.0/16 hold a nameserver")
}

// The default route leads everywhere; it is no reason to refuse a range.
func TestCh06BridgeRange_DefaultRouteIsNoOverlap(t *testing.T) {
	h := labtest.Host(t)
	labBridge(t, h)
	lab06Taken(t, h, "192.0.2.10/24")
	require.NoError(t, h.Root().RouteAdd(backend.Route{Gw: net.ParseIP("192.0.2.1"), LinkName: "eth9"}))
	assert.Equal(t, "172.17.42.1/16", lab06Docker0(t, h))
}

// When every candidate is taken, createBridge says so and makes nothing.
func TestCh06BridgeRange_NoFreeRange(t *testing.T) {
	h := labtest.Host(t)
	labBridge(t, h)
	lab06Taken(t, h, "172.16.0.1/12", "192.168.0.1/16")
	lab06Nameservers(t, "10.0.0.2", "10.1.0.2", "10.42.0.2")
	lab06Taken(t, h, "10.0.0.1/16")
	err := createBridge("")
	require.EqualError(t, err, "Could not find a free IP address range for interface 'docker0'. Please configure its address manually and run 'docker -b docker0'")
	_, err = h.Root().LinkByName("docker0")
	assert.ErrorIs(t, err, backend.ErrNotFound, "no bridge without an address")
}
