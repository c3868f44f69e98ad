//go:build linux

// Links, addresses, routes and namespaces on the real kernel, each test in
// its own throwaway namespace (reference docs/kernels.md
// §3 measured table, §6 semantics table).

package linux_test

import (
	"net"
	"syscall"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cidr(t *testing.T, s string) *net.IPNet {
	ip, n, err := net.ParseCIDR(s)
	require.NoError(t, err)
	n.IP = ip
	return n
}

func TestNewNamespaceHasOnlyLoopbackDown(t *testing.T) {
	h := linuxtest.NewHost(t)
	links, err := h.Root().LinkList()
	require.NoError(t, err)
	require.Len(t, links, 1)
	assert.Equal(t, "lo", links[0].Name)
	assert.Equal(t, backend.KindLoopback, links[0].Kind)
	assert.False(t, links[0].Up)
}

func TestBridgeAndVeth(t *testing.T) {
	h := linuxtest.NewHost(t)
	n := h.Root()
	require.NoError(t, n.AddBridge("docker0", 0))
	require.NoError(t, n.AddVeth("veth0", "veth1", 1400))
	require.NoError(t, n.LinkSetMaster("veth0", "docker0"))
	require.NoError(t, n.LinkSetMaster("veth0", "docker0"), "same master twice is fine")
	require.NoError(t, n.LinkSetUp("docker0"))

	br, err := n.LinkByName("docker0")
	require.NoError(t, err)
	assert.Equal(t, backend.KindBridge, br.Kind)
	assert.True(t, br.Up)
	v0, err := n.LinkByName("veth0")
	require.NoError(t, err)
	v1, err := n.LinkByName("veth1")
	require.NoError(t, err)
	assert.Equal(t, backend.KindVeth, v0.Kind)
	assert.Equal(t, 1400, v0.MTU)
	assert.Equal(t, "docker0", v0.Master)
	assert.Equal(t, br.Index, v0.MasterIndex)
	assert.Equal(t, v1.Index, v0.PeerIndex)
	assert.Equal(t, "", v0.PeerNetNS)

	require.NoError(t, n.LinkSetNoMaster("veth0"))
	v0, _ = n.LinkByName("veth0")
	assert.Zero(t, v0.MasterIndex)
	require.NoError(t, n.LinkSetMTU("veth0", 1300))
	require.NoError(t, n.LinkSetName("veth1", "eth9"))
	_, err = n.LinkByName("veth1")
	assert.ErrorIs(t, err, backend.ErrNotFound)

	require.NoError(t, n.LinkSetMaster("veth0", "docker0"))
	require.NoError(t, n.LinkDel("docker0"))
	v0, _ = n.LinkByName("veth0")
	assert.Zero(t, v0.MasterIndex, "deleting a bridge releases its ports")
	require.NoError(t, n.LinkDel("veth0"))
	_, err = n.LinkByName("eth9")
	assert.ErrorIs(t, err, backend.ErrNotFound, "deleting one end deletes the peer")
}

func TestLinkErrors(t *testing.T) {
	h := linuxtest.NewHost(t)
	n := h.Root()
	require.NoError(t, n.AddBridge("br0", 0))
	require.NoError(t, n.AddVeth("va", "vb", 0))

	err := n.AddBridge("br0", 0)
	assert.ErrorIs(t, err, backend.ErrExists)
	assert.ErrorIs(t, err, syscall.EEXIST)
	assert.ErrorIs(t, n.AddVeth("vc", "va", 0), syscall.EEXIST, "peer name taken")
	err = n.AddBridge("a-name-of-16-chr", 0)
	assert.ErrorIs(t, err, backend.ErrInvalid)
	assert.ErrorIs(t, err, syscall.ERANGE)
	_, err = n.LinkByName("nope")
	assert.ErrorIs(t, err, backend.ErrNotFound)
	assert.ErrorIs(t, n.LinkDel("nope"), backend.ErrNotFound)
	assert.ErrorIs(t, n.LinkSetMaster("va", "nope"), backend.ErrNotFound)
	err = n.LinkSetMaster("va", "vb")
	assert.ErrorIs(t, err, backend.ErrUnsupported)
	assert.ErrorIs(t, err, syscall.EOPNOTSUPP)
	assert.ErrorIs(t, n.LinkSetMaster("br0", "br0"), syscall.ELOOP)
	assert.ErrorIs(t, n.LinkSetName("va", "br0"), syscall.EEXIST)
}

func TestAddressesAndRoutes(t *testing.T) {
	h := linuxtest.NewHost(t)
	n := h.Root()
	require.NoError(t, n.AddBridge("docker0", 0))
	addr := cidr(t, "172.17.42.1/16")
	require.NoError(t, n.AddrAdd("docker0", addr))
	assert.ErrorIs(t, n.AddrAdd("docker0", addr), syscall.EEXIST)
	assert.ErrorIs(t, n.AddrAdd("nope", addr), backend.ErrNotFound)
	addrs, err := n.AddrList("docker0")
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, "172.17.42.1/16", addrs[0].IPNet.String())
	assert.Equal(t, "docker0", addrs[0].LinkName)

	gw := net.ParseIP("172.17.0.254")
	err = n.RouteAdd(backend.Route{Gw: gw, LinkName: "docker0"})
	assert.ErrorIs(t, err, backend.ErrUnreachable, "link down: no connected route yet")

	require.NoError(t, n.LinkSetUp("docker0"))
	routes, err := n.RouteList()
	require.NoError(t, err)
	require.Len(t, routes, 1)
	assert.Equal(t, "172.17.0.0/16", routes[0].Dst.String())
	assert.Equal(t, backend.ProtoKernel, routes[0].Proto)
	assert.Equal(t, backend.ScopeLink, routes[0].Scope)
	assert.Equal(t, "docker0", routes[0].LinkName)
	assert.Equal(t, "172.17.42.1", routes[0].Src.String())

	require.NoError(t, n.RouteAdd(backend.Route{Gw: gw, LinkName: "docker0"}))
	assert.ErrorIs(t, n.RouteAdd(backend.Route{Gw: gw, LinkName: "docker0"}), syscall.EEXIST)
	routes, err = n.RouteList()
	require.NoError(t, err)
	var def *backend.Route
	for i := range routes {
		if routes[i].Dst.String() == "0.0.0.0/0" {
			def = &routes[i]
		}
	}
	require.NotNil(t, def, "default route listed with Dst 0.0.0.0/0: %v", routes)
	assert.Equal(t, backend.ProtoBoot, def.Proto)
	assert.Equal(t, backend.ScopeUniverse, def.Scope)
	assert.Equal(t, gw.String(), def.Gw.String())

	require.NoError(t, n.RouteDel(backend.Route{Gw: gw, LinkName: "docker0"}))
	err = n.RouteDel(backend.Route{Gw: gw, LinkName: "docker0"})
	assert.ErrorIs(t, err, backend.ErrNotFound)
	assert.ErrorIs(t, err, syscall.ESRCH)
	require.NoError(t, n.AddrDel("docker0", addr))
	err = n.AddrDel("docker0", addr)
	assert.ErrorIs(t, err, syscall.EADDRNOTAVAIL)
}

func TestNamedNamespacesAndLinkSetNs(t *testing.T) {
	h := linuxtest.NewHost(t)
	n := h.Root()
	c, err := h.NewNetNS("c1")
	require.NoError(t, err)
	_, err = h.NewNetNS("c1")
	assert.ErrorIs(t, err, backend.ErrExists)
	_, err = h.NetNS(backend.NSName("nope"))
	assert.ErrorIs(t, err, backend.ErrNotFound)
	names, err := h.ListNetNS()
	require.NoError(t, err)
	assert.Equal(t, []string{"c1"}, names)

	require.NoError(t, n.AddVeth("vethA", "vethB", 0))
	require.NoError(t, n.AddrAdd("vethB", cidr(t, "10.0.0.2/24")))
	require.NoError(t, n.LinkSetUp("vethB"))
	require.NoError(t, n.LinkSetNs("vethB", backend.NSName("c1")))
	_, err = n.LinkByName("vethB")
	assert.ErrorIs(t, err, backend.ErrNotFound)
	moved, err := c.LinkByName("vethB")
	require.NoError(t, err)
	assert.False(t, moved.Up, "a moved link arrives down")
	addrs, err := c.AddrList("vethB")
	require.NoError(t, err)
	assert.Empty(t, addrs, "and without its addresses")
	assert.Equal(t, "root", moved.PeerNetNS)
	a, err := n.LinkByName("vethA")
	require.NoError(t, err)
	assert.Equal(t, "c1", a.PeerNetNS)
	assert.Equal(t, moved.Index, a.PeerIndex)

	// The name is taken in the target: EEXIST.
	require.NoError(t, n.AddVeth("vethB", "vethC", 0))
	assert.ErrorIs(t, n.LinkSetNs("vethB", backend.NSName("c1")), syscall.EEXIST)

	// Deleting the namespace destroys vethB there, and so its peer vethA here.
	require.NoError(t, h.DeleteNetNS("c1"))
	assert.ErrorIs(t, h.DeleteNetNS("c1"), backend.ErrNotFound)
	// A stale handle must fail, not fall back to the caller's (the host's)
	// namespace as a closed netlink.Handle would.
	assert.ErrorIs(t, c.AddBridge("stale0", 0), backend.ErrNotFound)
	_, err = c.LinkList()
	assert.ErrorIs(t, err, backend.ErrNotFound)
	_, err = c.Sysctl("net.ipv4.ip_forward")
	assert.ErrorIs(t, err, backend.ErrNotFound)
	_, err = c.IPTables().Save()
	assert.ErrorIs(t, err, backend.ErrNotFound)
	require.Eventually(t, func() bool {
		_, err := n.LinkByName("vethA")
		return err != nil
	}, 5e9, 1e7)
}

func TestSysctlIsPerNamespace(t *testing.T) {
	h := linuxtest.NewHost(t)
	c, err := h.NewNetNS("s1")
	require.NoError(t, err)
	v, err := h.Root().Sysctl("net.ipv4.ip_forward")
	require.NoError(t, err)
	assert.Equal(t, "0", v)
	require.NoError(t, h.Root().SetSysctl("net.ipv4.ip_forward", "1"))
	v, _ = h.Root().Sysctl("net.ipv4.ip_forward")
	assert.Equal(t, "1", v)
	v, _ = c.Sysctl("net.ipv4.ip_forward")
	assert.Equal(t, "0", v, "another namespace is unaffected")
	_, err = c.Sysctl("kernel.hostname")
	assert.ErrorIs(t, err, backend.ErrInvalid)
	_, err = c.Sysctl("net.ipv4.nope")
	assert.ErrorIs(t, err, backend.ErrNotFound)
}

// NSPid names only processes dockerlab started: pid 1 lives in the
// machine's own namespace and must never become a handle on it.
func TestForeignPidsAreNotNamespaces(t *testing.T) {
	h := linuxtest.NewHost(t)
	_, err := h.NetNS(backend.NSPid(1))
	assert.ErrorIs(t, err, backend.ErrNotFound)
	assert.ErrorIs(t, err, syscall.ESRCH)
	require.NoError(t, h.Root().AddVeth("va", "vb", 0))
	assert.ErrorIs(t, h.Root().LinkSetNs("vb", backend.NSPid(1)), syscall.ESRCH)
	_, err = h.Root().LinkByName("vb")
	assert.NoError(t, err, "vb stayed in the test namespace")
}
