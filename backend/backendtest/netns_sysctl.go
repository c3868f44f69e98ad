// Contract: network namespaces (`ip netns`) and the net.* sysctls that live
// in them (reference docs/kernels.md §3 "netns package"
// and "ip_forward in a fresh netns"; book ch.14 §14.3 namespace; Docker
// 1.2 InitDriver's ip_forward, docs/upstream/v1.2.0.md §3.1 step 5).
package backendtest

import (
	"sort"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

var netnsChecks = []check{
	{"new namespace: only lo, down, nothing configured", func(t *testing.T, h backend.Host) {
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		assert.Equal(t, backend.NSName("ns1"), ns.Ref())
		links, err := ns.LinkList()
		require.NoError(t, err)
		require.Len(t, links, 1)
		assert.Equal(t, "lo", links[0].Name)
		assert.Equal(t, backend.KindLoopback, links[0].Kind)
		assert.False(t, links[0].Up)
		assert.Empty(t, v4Addrs(t, ns, ""))
		assert.Empty(t, v4Routes(t, ns))
		chains, err := ns.IPTables().ListChains(backend.TableNat)
		require.NoError(t, err)
		assert.Equal(t, backend.BuiltinChains[backend.TableNat], chains)
	}},
	{"names: duplicate EEXIST, listed sorted, lookup, delete", func(t *testing.T, h backend.Host) {
		_, err := h.NewNetNS("nsb")
		require.NoError(t, err)
		_, err = h.NewNetNS("nsa")
		require.NoError(t, err)
		_, err = h.NewNetNS("nsb")
		requireErr(t, err, backend.ErrExists, syscall.EEXIST, "namespace nsb twice")

		names, err := h.ListNetNS()
		require.NoError(t, err)
		assert.True(t, sort.StringsAreSorted(names), "%v", names)
		assert.Subset(t, names, []string{"nsa", "nsb"})

		n, err := h.NetNS(backend.NSName("nsa"))
		require.NoError(t, err)
		assert.Equal(t, "nsa", n.Ref().Name)
		_, err = h.NetNS(backend.NSName("nope"))
		requireErr(t, err, backend.ErrNotFound, 0, "a namespace that was never made")

		require.NoError(t, h.DeleteNetNS("nsa"))
		names, err = h.ListNetNS()
		require.NoError(t, err)
		assert.NotContains(t, names, "nsa")
		requireErr(t, h.DeleteNetNS("nsa"), backend.ErrNotFound, 0, "delete twice")
	}},
	{"the zero reference is the root namespace", func(t *testing.T, h backend.Host) {
		root, err := h.NetNS(backend.NSRef{})
		require.NoError(t, err)
		assert.Equal(t, backend.NSRef{}, root.Ref())
		assert.Equal(t, backend.NSRef{}, h.Root().Ref())
		require.NoError(t, h.Root().AddBridge("br0", 0))
		link(t, root, "br0")
	}},
	{"namespaces are separate: same name in two, no leaks", func(t *testing.T, h backend.Host) {
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, h.Root().AddBridge("br0", 0))
		require.NoError(t, ns.AddBridge("br0", 0))
		require.NoError(t, ns.AddBridge("only1", 0))
		requireNoLink(t, h.Root(), "only1")
		require.NoError(t, h.Root().LinkDel("br0"))
		link(t, ns, "br0")
	}},
	{"deleting a namespace deletes the peers of its veths", func(t *testing.T, h backend.Host) {
		root := h.Root()
		_, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, root.AddVeth("v0", "v1", 0))
		require.NoError(t, root.LinkSetNs("v1", backend.NSName("ns1")))
		require.NoError(t, h.DeleteNetNS("ns1"))
		// A real kernel destroys a namespace asynchronously once its last
		// reference is gone; the peer disappears a moment later.
		eventually(t, func() bool {
			_, err := root.LinkByName("v0")
			return err != nil
		}, "v0 should vanish with its peer's namespace")
		requireNoLink(t, root, "v0")
	}},
}

var sysctlChecks = []check{
	{"ip_forward is per namespace and starts at 0", func(t *testing.T, h backend.Host) {
		root := h.Root()
		v, err := root.Sysctl("net.ipv4.ip_forward")
		require.NoError(t, err)
		assert.Equal(t, "0", trim(v))
		require.NoError(t, root.SetSysctl("net.ipv4.ip_forward", "1"))
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		v, err = ns.Sysctl("net.ipv4.ip_forward")
		require.NoError(t, err)
		assert.Equal(t, "0", trim(v), "a new namespace starts at 0 whatever the root says")
		require.NoError(t, ns.SetSysctl("net.ipv4.ip_forward", "1"))
		require.NoError(t, root.SetSysctl("net.ipv4.ip_forward", "0"))
		v, err = ns.Sysctl("net.ipv4.ip_forward")
		require.NoError(t, err)
		assert.Equal(t, "1", trim(v), "writing the root left ns1 alone")
	}},
	{"unknown key: not found", func(t *testing.T, h backend.Host) {
		_, err := h.Root().Sysctl("net.ipv4.no_such_key")
		requireErr(t, err, backend.ErrNotFound, syscall.ENOENT, "unknown sysctl")
	}},
}
