package network

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestGetStrategy(t *testing.T) {
	for _, kind := range []string{"loopback", "veth", "netns"} {
		_, err := GetStrategy(kind)
		assert.NoError(t, err, kind)
	}
	_, err := GetStrategy("macvlan")
	assert.ErrorContains(t, err, `unknown network strategy "macvlan"`)
}

func TestNsPathPid(t *testing.T) {
	pid, err := NsPathPid("/proc/123/ns/net")
	require.NoError(t, err)
	assert.Equal(t, 123, pid)
	for _, bad := range []string{"", "/proc/0/ns/net", "/proc/x/ns/net", "/proc/12/ns/pid", "/run/netns/a"} {
		_, err := NsPathPid(bad)
		assert.Error(t, err, bad)
	}
}

// TestVethOnFake: Create makes the pair on the bridge and moves one end;
// Initialize turns it into eth0 with address, MTU and route.
func TestVethOnFake(t *testing.T) {
	k := fake.New()
	root := k.Root()
	require.NoError(t, root.AddBridge("br0", 0))
	ns, err := k.NewNetNS("c1")
	require.NoError(t, err)
	v := &Veth{}
	n := &Network{Type: "veth", Bridge: "br0", VethPrefix: "veth", Address: "10.1.0.2/24", Gateway: "10.1.0.1", Mtu: 1400}
	var state NetworkState
	require.NoError(t, v.create(root, n, ns.Ref(), &state))
	assert.Regexp(t, `^veth[0-9a-f]{4}$`, state.VethHost)
	host, err := root.LinkByName(state.VethHost)
	require.NoError(t, err)
	assert.Equal(t, "br0", host.Master)
	assert.True(t, host.Up)
	assert.Equal(t, 1400, host.MTU)

	require.NoError(t, v.Initialize(ns, n, &state))
	eth0, err := ns.LinkByName("eth0")
	require.NoError(t, err)
	assert.True(t, eth0.Up)
	assert.Equal(t, 1400, eth0.MTU)
	addrs, err := ns.AddrList("eth0")
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, "10.1.0.2/24", addrs[0].IPNet.String())
	routes, err := ns.RouteList()
	require.NoError(t, err)
	var gw net.IP
	for _, r := range routes {
		if r.Dst == nil || r.Dst.String() == "0.0.0.0/0" {
			gw = r.Gw
		}
	}
	assert.Equal(t, "10.1.0.1", gw.String())

	require.NoError(t, (&Loopback{}).Initialize(ns, n, &state))
	lo, err := ns.LinkByName("lo")
	require.NoError(t, err)
	assert.True(t, lo.Up)

	// A missing bridge fails and leaves no pair behind.
	n.Bridge = "nobridge"
	err = v.create(root, n, ns.Ref(), &NetworkState{})
	assert.ErrorContains(t, err, "attach")
	veths := 0
	for _, l := range linksOf(t, root) {
		if l.Kind == backend.KindVeth {
			veths++
		}
	}
	assert.Equal(t, 1, veths, "only the first pair's host end")

	assert.ErrorContains(t, v.Initialize(ns, n, &NetworkState{}), "child's end is not known")
}

func linksOf(t *testing.T, n backend.Net) []backend.Link {
	l, err := n.LinkList()
	require.NoError(t, err)
	return l
}
