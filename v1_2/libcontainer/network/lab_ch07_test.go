// Tests of the exercise ch07.veth-pair (the veth strategy of --net=bridge:
// Veth.Create's pair with one end on the bridge and the other moved into
// the container's namespace, Veth.Initialize's eth0 inside):
// `dockerlab lab check ch07.veth-pair`, or
// `go test ./v1_2/libcontainer/network -run TestCh07VethPair`. They run on
// the kernel lab check chose (labtest.Host): the fake by default, the real
// one with --backend linux.
package network

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/lab/labtest"
)

// labMachine is a machine with the bridge docker0 and a container's
// namespace c1: what the daemon and the execdriver have when the veth
// strategy runs.
func labMachine(t *testing.T, h backend.Host) (root, ns backend.Net) {
	t.Helper()
	root = h.Root()
	require.NoError(t, root.AddBridge("docker0", 0))
	require.NoError(t, root.LinkSetUp("docker0"))
	ns, err := h.NewNetNS("c1")
	require.NoError(t, err)
	return root, ns
}

// labBridgeNet is the libcontainer network entry the native driver
// writes for --net=bridge.
func labBridgeNet() *Network {
	return &Network{Type: "veth", Bridge: "docker0", VethPrefix: "veth", Address: "172.17.0.2/16", Gateway: "172.17.42.1", Mtu: 1400}
}

// labLinks lists the links of a namespace by name.
func labLinks(t *testing.T, n backend.Net) map[string]backend.Link {
	t.Helper()
	links, err := n.LinkList()
	require.NoError(t, err)
	out := map[string]backend.Link{}
	for _, l := range links {
		out[l.Name] = l
	}
	return out
}

// Create: a pair named after the prefix; the host's end is a port of the
// bridge, up, with the MTU; the other end is in the container's
// namespace, still with its generated name. Initialize: that end is eth0,
// with the address and MTU, up, and the default route via the gateway.
func TestCh07VethPair(t *testing.T) {
	root, ns := labMachine(t, labtest.Host(t))
	n := labBridgeNet()
	var state NetworkState
	require.NoError(t, (&Veth{}).create(root, n, ns.Ref(), &state))
	assert.Regexp(t, `^veth[0-9a-f]{4}$`, state.VethHost, "the host's end: the prefix and four hex digits (createVethPair)")
	assert.Regexp(t, `^veth[0-9a-f]{4}$`, state.VethChild, "the container's end, before it is renamed")

	rootLinks := labLinks(t, root)
	host, ok := rootLinks[state.VethHost]
	require.True(t, ok, "the host's end stays in the machine's namespace")
	assert.Equal(t, backend.KindVeth, host.Kind)
	assert.Equal(t, "docker0", host.Master, "the host's end is a port of the bridge")
	assert.True(t, host.Up, "the host's end is up")
	assert.Equal(t, 1400, host.MTU, "the host's end has the network's MTU")
	assert.NotContains(t, rootLinks, state.VethChild, "the container's end was moved out of the machine's namespace")
	assert.Contains(t, labLinks(t, ns), state.VethChild, "…into the container's")

	require.NoError(t, (&Veth{}).Initialize(ns, n, &state))
	nsLinks := labLinks(t, ns)
	assert.NotContains(t, nsLinks, state.VethChild, "the container's end is renamed…")
	eth0, ok := nsLinks["eth0"]
	require.True(t, ok, "…to eth0 (DefaultDevice)")
	assert.True(t, eth0.Up, "eth0 is up")
	assert.Equal(t, 1400, eth0.MTU, "eth0 has the network's MTU")
	addrs, err := ns.AddrList("eth0")
	require.NoError(t, err)
	var got []string
	for _, a := range addrs {
		if a.IPNet.IP.To4() != nil {
			got = append(got, a.IPNet.String())
		}
	}
	assert.Equal(t, []string{"172.17.0.2/16"}, got, "eth0 has the container's address with the network's prefix length")
	routes, err := ns.RouteList()
	require.NoError(t, err)
	var def []string
	for _, r := range routes {
		if r.Dst == nil || r.Dst.String() == "0.0.0.0/0" {
			def = append(def, r.Gw.String()+" dev "+r.LinkName)
		}
	}
	assert.Equal(t, []string{"172.17.42.1 dev eth0"}, def, "the default route goes through the gateway, the bridge's address, on eth0")
}

// Without a gateway there is no default route; MTU 0 keeps the kernel's
// default.
func TestCh07VethPair_NoGatewayNoMtu(t *testing.T) {
	root, ns := labMachine(t, labtest.Host(t))
	n := labBridgeNet()
	n.Gateway, n.Mtu = "", 0
	var state NetworkState
	require.NoError(t, (&Veth{}).create(root, n, ns.Ref(), &state))
	require.NoError(t, (&Veth{}).Initialize(ns, n, &state))
	eth0, ok := labLinks(t, ns)["eth0"]
	require.True(t, ok, "eth0")
	assert.Equal(t, 1500, eth0.MTU, "Mtu 0: the kernel's default, 1500")
	assert.True(t, eth0.Up)
	routes, err := ns.RouteList()
	require.NoError(t, err)
	for _, r := range routes {
		assert.False(t, r.Dst == nil || r.Dst.String() == "0.0.0.0/0", "no gateway, no default route: %+v", r)
	}
}

// A step that fails (here: no such bridge) leaves no half-made pair: the
// host's end is deleted, which deletes its peer too. The container's
// first pair is untouched.
func TestCh07VethPair_FailureLeavesNothing(t *testing.T) {
	root, ns := labMachine(t, labtest.Host(t))
	var first NetworkState
	require.NoError(t, (&Veth{}).create(root, labBridgeNet(), ns.Ref(), &first))
	n := labBridgeNet()
	n.Bridge = "nobridge"
	state := NetworkState{}
	require.Error(t, (&Veth{}).create(root, n, ns.Ref(), &state), "attaching to a missing bridge fails")
	assert.Empty(t, state.VethHost, "the state names only a pair that exists")
	veths := func(n backend.Net) []string {
		var names []string
		for name, l := range labLinks(t, n) {
			if l.Kind == backend.KindVeth {
				names = append(names, name)
			}
		}
		return names
	}
	assert.Equal(t, []string{first.VethHost}, veths(root), "the failed pair's host end is deleted (LinkDel), only the first pair's is left")
	assert.Equal(t, []string{first.VethChild}, veths(ns), "and its peer went with it")

	assert.Error(t, (&Veth{}).Initialize(ns, labBridgeNet(), &NetworkState{VethChild: "nosuch0"}), "Initialize of an end that is not there fails")
	bad := labBridgeNet()
	bad.Address = "172.17.0.2"
	assert.Error(t, (&Veth{}).Initialize(ns, bad, &first), "an address without a prefix length is refused")
}

// On the real kernel (lab check --backend linux, as root), both
// namespaces look as on the fake kernel, dump for dump (the host end's
// random name aside).
func TestCh07VethPair_LinuxParity(t *testing.T) {
	real := linuxtest.NewHost(t) // skips, saying why, unless root on Linux
	var dumps []string
	for _, h := range []backend.Host{real, fake.NewBare()} {
		root, ns := labMachine(t, h)
		n := labBridgeNet()
		var state NetworkState
		require.NoError(t, (&Veth{}).create(root, n, ns.Ref(), &state))
		require.NoError(t, (&Veth{}).Initialize(ns, n, &state))
		var both []string
		for _, net := range []backend.Net{root, ns} {
			links, err := backend.DumpLinks(net)
			require.NoError(t, err)
			addrs, err := backend.DumpAddrs(net)
			require.NoError(t, err)
			routes, err := backend.DumpRoutes(net)
			require.NoError(t, err)
			both = append(both, backend.Normalize(links+addrs+routes))
		}
		dumps = append(dumps, strings.ReplaceAll(strings.Join(both, "----\n"), state.VethHost, "vethHOST"))
	}
	assert.Equal(t, dumps[1], dumps[0])
}
