// Contract: addresses and routes — `ip addr` and `ip route` on the main
// table, the connected route the kernel adds for an address on an up link,
// and the errors of the measured table (reference
// docs/kernels.md §3 "Addresses and routes" and
// "Measured kernel behaviour"; book ch.6 §6.3 createBridge).
package backendtest

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

var addrChecks = []check{
	{"add, list, delete", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddBridge("br1", 0))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "172.17.42.1/16")))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "10.0.0.1/8")))
		require.NoError(t, n.AddrAdd("br1", cidr(t, "192.168.5.1/24")))
		assert.ElementsMatch(t, []string{"br0 172.17.42.1/16", "br0 10.0.0.1/8"}, v4Addrs(t, n, "br0"))
		assert.ElementsMatch(t, []string{"br0 172.17.42.1/16", "br0 10.0.0.1/8", "br1 192.168.5.1/24"}, v4Addrs(t, n, ""))

		addrs, err := n.AddrList("br1")
		require.NoError(t, err)
		for _, a := range addrs {
			assert.Equal(t, link(t, n, "br1").Index, a.LinkIndex)
		}

		require.NoError(t, n.AddrDel("br0", cidr(t, "10.0.0.1/8")))
		assert.Equal(t, []string{"br0 172.17.42.1/16"}, v4Addrs(t, n, "br0"))
	}},
	{"errors: duplicate EEXIST, delete missing EADDRNOTAVAIL, missing link ENODEV", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "172.17.42.1/16")))
		requireErr(t, n.AddrAdd("br0", cidr(t, "172.17.42.1/16")), backend.ErrExists, syscall.EEXIST, "same address twice")
		requireErr(t, n.AddrDel("br0", cidr(t, "172.17.42.2/16")), backend.ErrNotFound, syscall.EADDRNOTAVAIL, "delete an address the link lacks")
		requireErr(t, n.AddrAdd("nope0", cidr(t, "10.1.1.1/24")), backend.ErrNotFound, syscall.ENODEV, "address on a missing link")
	}},
	{"lo going up gets 127.0.0.1/8", func(t *testing.T, h backend.Host) {
		n := h.Root()
		assert.Empty(t, v4Addrs(t, n, "lo"), "a fresh namespace's lo has no address")
		require.NoError(t, n.LinkSetUp("lo"))
		assert.Equal(t, []string{"lo 127.0.0.1/8"}, v4Addrs(t, n, "lo"))
		assert.Empty(t, v4Routes(t, n), "its routes live in the local table, not the main one")
		require.NoError(t, n.LinkSetDown("lo"))
		assert.Equal(t, []string{"lo 127.0.0.1/8"}, v4Addrs(t, n, "lo"), "going down keeps it")
		require.NoError(t, n.LinkSetUp("lo"))
		assert.Equal(t, []string{"lo 127.0.0.1/8"}, v4Addrs(t, n, "lo"), "going up again does not add it twice")
	}},
	{"connected route follows the link's up state", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "172.17.42.1/16")))
		assert.Empty(t, v4Routes(t, n), "no connected route while the link is down")
		require.NoError(t, n.LinkSetUp("br0"))
		assert.Equal(t, "172.17.0.0/16 dev br0 proto kernel scope link src 172.17.42.1\n", v4Routes(t, n))

		routes, err := n.RouteList()
		require.NoError(t, err)
		var found bool
		for _, r := range routes {
			if r.Dst != nil && r.Dst.String() == "172.17.0.0/16" {
				found = true
				assert.Equal(t, backend.ProtoKernel, r.Proto)
				assert.Equal(t, backend.ScopeLink, r.Scope)
				assert.Equal(t, "172.17.42.1", r.Src.String())
				assert.Equal(t, link(t, n, "br0").Index, r.LinkIndex)
				assert.Nil(t, r.Gw)
			}
		}
		assert.True(t, found)

		require.NoError(t, n.LinkSetDown("br0"))
		assert.Empty(t, v4Routes(t, n), "down again: the route goes")
		require.NoError(t, n.LinkSetUp("br0"))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "10.5.0.1/24")))
		assert.Contains(t, v4Routes(t, n), "10.5.0.0/24 dev br0 proto kernel scope link src 10.5.0.1\n", "an address on an up link gets its route at once")
		require.NoError(t, n.AddrDel("br0", cidr(t, "10.5.0.1/24")))
		assert.NotContains(t, v4Routes(t, n), "10.5.0.0/24")
	}},
}

// upBridge makes br0 with 10.1.0.1/16, up: a connected prefix for gateways.
func upBridge(t *testing.T, n backend.Net) backend.Link {
	t.Helper()
	require.NoError(t, n.AddBridge("br0", 0))
	require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.1/16")))
	require.NoError(t, n.LinkSetUp("br0"))
	return link(t, n, "br0")
}

var routeChecks = []check{
	{"default route: add, list as 0.0.0.0/0, delete", func(t *testing.T, h backend.Host) {
		n := h.Root()
		br := upBridge(t, n)
		require.NoError(t, n.RouteAdd(backend.Route{Gw: ip4("10.1.0.254"), LinkIndex: br.Index, LinkName: "br0"}))
		assert.Equal(t, "default via 10.1.0.254 dev br0\n10.1.0.0/16 dev br0 proto kernel scope link src 10.1.0.1\n", v4Routes(t, n))
		routes, err := n.RouteList()
		require.NoError(t, err)
		var def *backend.Route
		for i, r := range routes {
			if r.Gw != nil {
				def = &routes[i]
			}
		}
		require.NotNil(t, def)
		require.NotNil(t, def.Dst, "netlink v1.3 reports a default route as 0.0.0.0/0, never nil")
		assert.Equal(t, "0.0.0.0/0", def.Dst.String())
		assert.Equal(t, "br0", def.LinkName)

		require.NoError(t, n.RouteDel(backend.Route{Dst: backend.DefaultDst(), Gw: ip4("10.1.0.254"), LinkIndex: br.Index, LinkName: "br0"}))
		assert.NotContains(t, v4Routes(t, n), "default")
	}},
	{"route to a prefix via a gateway", func(t *testing.T, h backend.Host) {
		n := h.Root()
		br := upBridge(t, n)
		require.NoError(t, n.RouteAdd(backend.Route{Dst: cidr(t, "192.168.7.0/24"), Gw: ip4("10.1.0.9"), LinkIndex: br.Index, LinkName: "br0"}))
		assert.Contains(t, v4Routes(t, n), "192.168.7.0/24 via 10.1.0.9 dev br0\n")
	}},
	{"errors: duplicate EEXIST, unreachable gateway ENETUNREACH, delete missing ESRCH", func(t *testing.T, h backend.Host) {
		n := h.Root()
		br := upBridge(t, n)
		def := backend.Route{Dst: backend.DefaultDst(), Gw: ip4("10.1.0.254"), LinkIndex: br.Index, LinkName: "br0"}
		require.NoError(t, n.RouteAdd(def))
		requireErr(t, n.RouteAdd(def), backend.ErrExists, syscall.EEXIST, "the default route twice")
		requireErr(t, n.RouteAdd(backend.Route{Dst: cidr(t, "192.168.7.0/24"), Gw: ip4("192.168.99.1"), LinkIndex: br.Index, LinkName: "br0"}),
			backend.ErrUnreachable, syscall.ENETUNREACH, "gateway outside every connected prefix")

		require.NoError(t, n.RouteDel(def))
		requireErr(t, n.RouteDel(def), backend.ErrNotFound, syscall.ESRCH, "delete a route that is not there")
	}},
	{"gateway on a down link is unreachable", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br1", 0))
		require.NoError(t, n.AddrAdd("br1", cidr(t, "10.2.0.1/16")))
		br1 := link(t, n, "br1")
		requireErr(t, n.RouteAdd(backend.Route{Gw: ip4("10.2.0.254"), LinkIndex: br1.Index, LinkName: "br1"}),
			backend.ErrUnreachable, syscall.ENETUNREACH, "no connected route while br1 is down")
	}},
}
