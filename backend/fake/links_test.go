package fake

import (
	"net"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

func cidr(t *testing.T, s string) *net.IPNet {
	t.Helper()
	ip, n, err := net.ParseCIDR(s)
	require.NoError(t, err)
	n.IP = ip.To4()
	return n
}

// isErr asserts both the sentinel and the errno, as on the real kernel.
func isErr(t *testing.T, err error, kind error, errno syscall.Errno) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, kind)
	if errno != 0 {
		assert.ErrorIs(t, err, errno)
	}
}

func TestNewMachine(t *testing.T) {
	k := New()
	links, err := k.Root().LinkList()
	require.NoError(t, err)
	require.Len(t, links, 2)
	assert.Equal(t, "lo", links[0].Name)
	assert.Equal(t, 1, links[0].Index)
	assert.True(t, links[0].Up)
	assert.Equal(t, "eth0", links[1].Name)
	assert.Equal(t, backend.KindDevice, links[1].Kind)
	routes, err := k.Root().RouteList()
	require.NoError(t, err)
	require.Len(t, routes, 2)
	assert.Equal(t, "0.0.0.0/0", routes[0].Dst.String())
	assert.Equal(t, "10.0.2.2", routes[0].Gw.String())
	assert.Equal(t, "10.0.2.0/24", routes[1].Dst.String())
	assert.Equal(t, backend.ProtoKernel, routes[1].Proto)
	assert.Equal(t, "10.0.2.15", routes[1].Src.String())
	v, err := k.Root().Sysctl("net.ipv4.ip_forward")
	require.NoError(t, err)
	assert.Equal(t, "0", v)

	bare := NewBare()
	links, err = bare.Root().LinkList()
	require.NoError(t, err)
	require.Len(t, links, 1)
	assert.False(t, links[0].Up)
	addrs, err := bare.Root().AddrList("")
	require.NoError(t, err)
	assert.Empty(t, addrs)
}

func TestLinkErrors(t *testing.T) {
	n := NewBare().Root()
	require.NoError(t, n.AddBridge("br0", 0))
	require.NoError(t, n.AddVeth("va", "vb", 0))

	isErr(t, n.AddBridge("br0", 0), backend.ErrExists, syscall.EEXIST)
	isErr(t, n.AddVeth("vc", "va", 0), backend.ErrExists, syscall.EEXIST)
	isErr(t, n.AddVeth("vx", "vx", 0), backend.ErrExists, syscall.EEXIST)
	isErr(t, n.AddBridge("abcdefghijklmnop", 0), backend.ErrInvalid, syscall.ERANGE)
	isErr(t, n.AddBridge("", 0), backend.ErrInvalid, syscall.EINVAL)
	_, err := n.LinkByName("nope")
	isErr(t, err, backend.ErrNotFound, 0)
	isErr(t, n.LinkDel("nope"), backend.ErrNotFound, syscall.ENODEV)
	isErr(t, n.LinkSetMaster("va", "nope"), backend.ErrNotFound, 0)
	isErr(t, n.LinkSetMaster("va", "vb"), backend.ErrUnsupported, syscall.EOPNOTSUPP)
	isErr(t, n.LinkSetMaster("br0", "br0"), backend.ErrInvalid, syscall.ELOOP)
	require.NoError(t, n.LinkSetMaster("va", "br0"))
	require.NoError(t, n.LinkSetMaster("va", "br0"), "same master is idempotent")
	l, err := n.LinkByName("va")
	require.NoError(t, err)
	assert.Equal(t, "br0", l.Master)

	// deleting the bridge releases its ports
	require.NoError(t, n.LinkDel("br0"))
	l, err = n.LinkByName("va")
	require.NoError(t, err)
	assert.Zero(t, l.MasterIndex)

	// rename: taken name, while up (allowed on 6.18)
	isErr(t, n.LinkSetName("va", "vb"), backend.ErrExists, syscall.EEXIST)
	require.NoError(t, n.LinkSetUp("va"))
	require.NoError(t, n.LinkSetName("va", "vz"))

	// deleting one veth end deletes the peer
	require.NoError(t, n.LinkDel("vz"))
	_, err = n.LinkByName("vb")
	isErr(t, err, backend.ErrNotFound, 0)
}

func TestIfindexAndVethPeer(t *testing.T) {
	k := NewBare()
	n := k.Root()
	require.NoError(t, n.AddVeth("a", "b", 1500))
	a, _ := n.LinkByName("a")
	b, _ := n.LinkByName("b")
	assert.Equal(t, 3, a.Index)
	assert.Equal(t, 2, b.Index, "the peer is registered first")
	assert.Equal(t, b.Index, a.PeerIndex)
	assert.Equal(t, byte(0x02), a.HardwareAddr[0])
	ns, err := k.NewNetNS("c1")
	require.NoError(t, err)
	lo, err := ns.LinkByName("lo")
	require.NoError(t, err)
	assert.Equal(t, 1, lo.Index, "every namespace's lo is index 1")
}

func TestLinkSetNs(t *testing.T) {
	k := New()
	root := k.Root()
	ns, err := k.NewNetNS("c1")
	require.NoError(t, err)
	require.NoError(t, root.AddBridge("docker0", 0))
	require.NoError(t, root.AddVeth("veth0", "eth1", 0))
	require.NoError(t, root.LinkSetMaster("eth1", "docker0"))
	require.NoError(t, root.AddrAdd("eth1", cidr(t, "172.17.0.2/16")))
	require.NoError(t, root.LinkSetUp("eth1"))
	require.NoError(t, root.LinkSetUp("veth0"))

	require.NoError(t, root.LinkSetNs("eth1", backend.NSName("c1")))
	_, err = root.LinkByName("eth1")
	isErr(t, err, backend.ErrNotFound, 0)
	l, err := ns.LinkByName("eth1")
	require.NoError(t, err)
	assert.False(t, l.Up, "arrives down")
	assert.Zero(t, l.MasterIndex, "off the bridge")
	addrs, _ := ns.AddrList("eth1")
	assert.Empty(t, addrs, "addresses flushed")
	peer, err := root.LinkByName("veth0")
	require.NoError(t, err)
	assert.True(t, peer.Up, "peer keeps running")
	assert.Equal(t, "c1", peer.PeerNetNS)

	// name collision in the target
	require.NoError(t, root.AddVeth("eth1", "x1", 0))
	isErr(t, root.LinkSetNs("eth1", backend.NSName("c1")), backend.ErrExists, syscall.EEXIST)
	isErr(t, root.LinkSetNs("x1", backend.NSPid(4242)), backend.ErrNotFound, syscall.ESRCH)
	isErr(t, root.LinkSetNs("lo", backend.NSName("c1")), backend.ErrInvalid, syscall.EINVAL)

	// deleting the namespace deletes its veths, so the peer goes too
	require.NoError(t, k.DeleteNetNS("c1"))
	_, err = root.LinkByName("veth0")
	isErr(t, err, backend.ErrNotFound, 0)
	isErr(t, k.DeleteNetNS("c1"), backend.ErrNotFound, 0)
	_, err = ns.LinkList()
	isErr(t, err, backend.ErrNotFound, 0)
}

func TestNetNSNames(t *testing.T) {
	k := New()
	_, err := k.NewNetNS("b")
	require.NoError(t, err)
	_, err = k.NewNetNS("a")
	require.NoError(t, err)
	_, err = k.NewNetNS("a")
	isErr(t, err, backend.ErrExists, syscall.EEXIST)
	_, err = k.NewNetNS("x/y")
	isErr(t, err, backend.ErrInvalid, 0)
	names, err := k.ListNetNS()
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, names)
	_, err = k.NetNS(backend.NSName("zz"))
	isErr(t, err, backend.ErrNotFound, 0)
	n, err := k.NetNS(backend.NSRef{})
	require.NoError(t, err)
	assert.Equal(t, backend.NSName(""), n.Ref())
}

func TestAddrsAndRoutes(t *testing.T) {
	n := NewBare().Root()
	require.NoError(t, n.AddBridge("br0", 0))
	a := cidr(t, "172.17.42.1/16")
	require.NoError(t, n.AddrAdd("br0", a))
	isErr(t, n.AddrAdd("br0", a), backend.ErrExists, syscall.EEXIST)
	isErr(t, n.AddrAdd("nope", a), backend.ErrNotFound, syscall.ENODEV)
	isErr(t, n.AddrDel("br0", cidr(t, "10.0.0.1/8")), backend.ErrNotFound, syscall.EADDRNOTAVAIL)
	addrs, err := n.AddrList("")
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, "172.17.42.1/16", addrs[0].IPNet.String())

	// down link: no connected route, gateway unreachable
	routes, _ := n.RouteList()
	assert.Empty(t, routes)
	gw := backend.Route{Gw: net.ParseIP("172.17.0.1")}
	isErr(t, n.RouteAdd(gw), backend.ErrUnreachable, syscall.ENETUNREACH)

	require.NoError(t, n.LinkSetUp("br0"))
	routes, _ = n.RouteList()
	require.Len(t, routes, 1)
	assert.Equal(t, "172.17.0.0/16", routes[0].Dst.String())
	assert.Equal(t, backend.ScopeLink, routes[0].Scope)
	assert.Equal(t, "br0", routes[0].LinkName)

	require.NoError(t, n.RouteAdd(gw))
	isErr(t, n.RouteAdd(gw), backend.ErrExists, syscall.EEXIST)
	routes, _ = n.RouteList()
	require.Len(t, routes, 2)
	assert.Equal(t, "0.0.0.0/0", routes[0].Dst.String())
	assert.Equal(t, backend.ProtoBoot, routes[0].Proto)
	assert.Equal(t, "br0", routes[0].LinkName)

	require.NoError(t, n.RouteDel(backend.Route{}))
	isErr(t, n.RouteDel(backend.Route{}), backend.ErrNotFound, syscall.ESRCH)

	// going down removes connected and gateway routes
	require.NoError(t, n.RouteAdd(gw))
	require.NoError(t, n.LinkSetDown("br0"))
	routes, _ = n.RouteList()
	assert.Empty(t, routes)
	require.NoError(t, n.LinkSetUp("br0"))
	routes, _ = n.RouteList()
	assert.Len(t, routes, 1, "the connected route comes back, the gateway route does not")

	require.NoError(t, n.RouteAdd(gw))
	require.NoError(t, n.AddrDel("br0", a))
	routes, _ = n.RouteList()
	assert.Empty(t, routes, "the last address gone, routes through the link go too")
}

func TestSysctlPerNamespace(t *testing.T) {
	k := New()
	ns, err := k.NewNetNS("c1")
	require.NoError(t, err)
	require.NoError(t, ns.SetSysctl("net.ipv4.ip_forward", "1\n"))
	v, _ := ns.Sysctl("net.ipv4.ip_forward")
	assert.Equal(t, "1", v)
	v, _ = k.Root().Sysctl("net.ipv4.ip_forward")
	assert.Equal(t, "0", v)
	_, err = k.Root().Sysctl("net.ipv4.nope")
	isErr(t, err, backend.ErrNotFound, syscall.ENOENT)
	isErr(t, ns.SetSysctl("net.ipv4.ip_forward", "7"), backend.ErrInvalid, 0)
}

func TestUndeletableLinks(t *testing.T) {
	n := New().Root()
	isErr(t, n.LinkDel("lo"), backend.ErrUnsupported, syscall.EOPNOTSUPP)
	isErr(t, n.LinkDel("eth0"), backend.ErrUnsupported, syscall.EOPNOTSUPP)
	isErr(t, n.LinkSetMTU("eth0", 10), backend.ErrInvalid, syscall.EINVAL)
	require.NoError(t, n.LinkSetMTU("eth0", 1400))
}

func TestFailNext(t *testing.T) {
	k := New()
	boom := backend.ErrnoError(syscall.ENOMEM, "link add", "br0")
	k.FailNext("AddBridge", boom)
	assert.Equal(t, boom, k.Root().AddBridge("br0", 0))
	assert.NoError(t, k.Root().AddBridge("br0", 0))
}

func TestCopiesAreDeep(t *testing.T) {
	n := New().Root()
	addrs, _ := n.AddrList("eth0")
	addrs[0].IPNet.IP[0] = 99
	again, _ := n.AddrList("eth0")
	assert.Equal(t, "10.0.2.15/24", again[0].IPNet.String())
}

func TestParityDetails(t *testing.T) {
	k := NewBare()
	n := k.Root()
	require.NoError(t, n.AddBridge("br0", 0))
	require.NoError(t, n.AddBridge("br1", 0))
	require.NoError(t, n.AddVeth("v0", "v1", 0))
	isErr(t, n.LinkSetMaster("br1", "br0"), backend.ErrInvalid, syscall.ELOOP)
	isErr(t, n.LinkSetMaster("lo", "br0"), backend.ErrInvalid, syscall.EINVAL)
	isErr(t, n.LinkSetMaster("v0", "v0"), backend.ErrUnsupported, syscall.EOPNOTSUPP)

	// per-namespace ifindex: a moved link keeps its index when free there,
	// and the namespace's own links are numbered from 2
	ns, err := k.NewNetNS("c1")
	require.NoError(t, err)
	v0, _ := n.LinkByName("v0")
	require.NoError(t, n.LinkSetNs("v0", backend.NSName("c1")))
	moved, err := ns.LinkByName("v0")
	require.NoError(t, err)
	assert.Equal(t, v0.Index, moved.Index)
	require.NoError(t, ns.AddBridge("b", 0))
	b, _ := ns.LinkByName("b")
	assert.Equal(t, 2, b.Index)
	// moving onto a taken index renumbers, and the peer follows
	require.NoError(t, ns.AddVeth("w0", "w1", 0))
	require.NoError(t, ns.LinkSetNs("w0", backend.NSRef{}))
	w0, _ := n.LinkByName("w0")
	w1, _ := ns.LinkByName("w1")
	assert.Equal(t, w0.Index, w1.PeerIndex)
	assert.Equal(t, "c1", w0.PeerNetNS)
	links, _ := n.LinkList()
	for i := 1; i < len(links); i++ {
		assert.Less(t, links[i-1].Index, links[i].Index)
	}

	// a secondary address adds no second connected route
	require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.2/24")))
	require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.1/24")))
	require.NoError(t, n.LinkSetUp("br0"))
	routes, _ := n.RouteList()
	require.Len(t, routes, 1)
	assert.Equal(t, "10.1.0.2", routes[0].Src.String())
}

func TestBridgeMTUFollowsPorts(t *testing.T) {
	n := NewBare().Root()
	mtu := func(name string) int {
		l, err := n.LinkByName(name)
		require.NoError(t, err)
		return l.MTU
	}
	require.NoError(t, n.AddBridge("br0", 1450))
	assert.Equal(t, 1450, mtu("br0"), "no port event yet")
	require.NoError(t, n.AddVeth("v0", "v1", 1400))
	require.NoError(t, n.LinkSetMaster("v0", "br0"))
	assert.Equal(t, 1400, mtu("br0"))
	require.NoError(t, n.LinkSetMTU("v0", 1300))
	assert.Equal(t, 1300, mtu("br0"))
	require.NoError(t, n.LinkDel("v1"), "deleting the peer deletes the port")
	assert.Equal(t, 1500, mtu("br0"))
	require.NoError(t, n.LinkSetMTU("br0", 1200))
	require.NoError(t, n.AddVeth("w0", "w1", 0))
	require.NoError(t, n.LinkSetMaster("w0", "br0"))
	assert.Equal(t, 1200, mtu("br0"), "set by the user: it stays")
}

func TestSecondaryAddresses(t *testing.T) {
	n := NewBare().Root()
	require.NoError(t, n.AddBridge("br0", 0))
	for _, a := range []string{"10.1.0.2/24", "10.1.0.1/24", "10.2.0.3/16"} {
		require.NoError(t, n.AddrAdd("br0", cidr(t, a)))
	}
	addrs, _ := n.AddrList("br0")
	var got []string
	for _, a := range addrs {
		got = append(got, a.IPNet.String())
	}
	assert.Equal(t, []string{"10.1.0.2/24", "10.2.0.3/16", "10.1.0.1/24"}, got)
	require.NoError(t, n.AddrDel("br0", cidr(t, "10.1.0.2/24")))
	addrs, _ = n.AddrList("br0")
	require.Len(t, addrs, 1, "the secondary went with its primary")
}

func TestDeviceRouteNeedsAnUpLink(t *testing.T) {
	n := NewBare().Root()
	require.NoError(t, n.AddBridge("br0", 0))
	r := backend.Route{Dst: cidr(t, "10.5.0.0/16"), LinkName: "br0"}
	isErr(t, n.RouteAdd(r), backend.ErrInvalid, syscall.ENETDOWN)
	isErr(t, n.RouteAdd(backend.Route{Dst: cidr(t, "10.5.0.1/16"), LinkName: "br0"}), backend.ErrInvalid, syscall.EINVAL)
	require.NoError(t, n.LinkSetUp("br0"))
	require.NoError(t, n.RouteAdd(r))
	routes, _ := n.RouteList()
	require.Len(t, routes, 1)
	assert.Equal(t, backend.ScopeLink, routes[0].Scope)
	assert.Equal(t, backend.ProtoBoot, routes[0].Proto)
	require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.1/24")))
	require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.1/16")), "same address, other prefix: allowed")
}
