// Contract: links — bridge and veth lifecycle, masters, moving between
// namespaces, renaming, and every error of the measured table (reference
// docs/kernels.md §3 "Measured kernel behaviour" and §6
// "Semantics to enforce"; book ch.6 §6.3; Docker 1.2 createBridge and
// libcontainer's veth strategy).
package backendtest

import (
	"sort"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

var linkChecks = []check{
	{"fresh root has only lo, down", func(t *testing.T, h backend.Host) {
		links, err := h.Root().LinkList()
		require.NoError(t, err)
		require.Len(t, links, 1, "links: %v", links)
		lo := links[0]
		assert.Equal(t, "lo", lo.Name)
		assert.Equal(t, 1, lo.Index)
		assert.Equal(t, backend.KindLoopback, lo.Kind)
		assert.Equal(t, 65536, lo.MTU)
		assert.False(t, lo.Up)
	}},
	{"bridge add, up, down, delete", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		br := link(t, n, "br0")
		assert.Equal(t, backend.KindBridge, br.Kind)
		assert.False(t, br.Up, "a new link is down")
		assert.Equal(t, 1500, br.MTU)
		assert.Len(t, br.HardwareAddr, 6)
		assert.Greater(t, br.Index, 1)

		require.NoError(t, n.LinkSetUp("br0"))
		assert.True(t, link(t, n, "br0").Up)
		require.NoError(t, n.LinkSetDown("br0"))
		assert.False(t, link(t, n, "br0").Up)

		require.NoError(t, n.LinkDel("br0"))
		requireNoLink(t, n, "br0")
	}},
	{"bridge with an explicit mtu", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 1400))
		assert.Equal(t, 1400, link(t, n, "br0").MTU)
		require.NoError(t, n.LinkSetMTU("br0", 1300))
		assert.Equal(t, 1300, link(t, n, "br0").MTU)
	}},
	{"link list is in ifindex order", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("zz0", 0))
		require.NoError(t, n.AddBridge("aa0", 0))
		require.NoError(t, n.AddVeth("mm0", "mm1", 0))
		links, err := n.LinkList()
		require.NoError(t, err)
		assert.True(t, sort.SliceIsSorted(links, func(i, j int) bool { return links[i].Index < links[j].Index }))
		// The kernel registers a veth's peer before the link itself, so the
		// peer gets the lower ifindex.
		assert.Equal(t, []string{"lo", "zz0", "aa0", "mm1", "mm0"}, linkNames(t, n))
		assert.Equal(t, link(t, n, "mm0").Index-1, link(t, n, "mm1").Index)
	}},
	{"veth pair: both ends, each pointing at the other", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		a, b := link(t, n, "v0"), link(t, n, "v1")
		assert.Equal(t, backend.KindVeth, a.Kind)
		assert.Equal(t, backend.KindVeth, b.Kind)
		assert.Equal(t, b.Index, a.PeerIndex)
		assert.Equal(t, a.Index, b.PeerIndex)
		assert.Equal(t, 1500, a.MTU)
		assert.False(t, a.Up)
		require.NoError(t, n.AddVeth("w0", "w1", 1400))
		assert.Equal(t, 1400, link(t, n, "w0").MTU)
		assert.Equal(t, 1400, link(t, n, "w1").MTU)
	}},
	{"duplicate names: EEXIST, also for the veth peer", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		requireErr(t, n.AddBridge("br0", 0), backend.ErrExists, syscall.EEXIST, "bridge br0 twice")
		requireErr(t, n.AddVeth("br0", "p0", 0), backend.ErrExists, syscall.EEXIST, "veth named like the bridge")
		requireErr(t, n.AddVeth("v0", "br0", 0), backend.ErrExists, syscall.EEXIST, "veth peer named like the bridge")
		requireErr(t, n.AddBridge("lo", 0), backend.ErrExists, syscall.EEXIST, "bridge named lo")
		// The pair is made at once or not at all.
		requireNoLink(t, n, "v0")
		requireNoLink(t, n, "p0")
	}},
	{"name longer than 15 bytes: ERANGE", func(t *testing.T, h backend.Host) {
		n := h.Root()
		long := "abcdefghijklmnop" // 16 bytes: IFNAMSIZ is 16 with the NUL
		requireErr(t, n.AddBridge(long, 0), backend.ErrInvalid, syscall.ERANGE, "bridge with a 16-byte name")
		requireErr(t, n.AddVeth("v0", long, 0), backend.ErrInvalid, syscall.ERANGE, "veth peer with a 16-byte name")
		requireNoLink(t, n, "v0")
		require.NoError(t, n.AddBridge("abcdefghijklmno", 0), "15 bytes is fine")
	}},
	{"empty name: invalid", func(t *testing.T, h backend.Host) {
		requireErr(t, h.Root().AddBridge("", 0), backend.ErrInvalid, 0, "bridge without a name")
	}},
	{"missing link: not found (ENODEV on delete)", func(t *testing.T, h backend.Host) {
		n := h.Root()
		_, err := n.LinkByName("nope0")
		requireErr(t, err, backend.ErrNotFound, 0, "lookup")
		requireErr(t, n.LinkDel("nope0"), backend.ErrNotFound, syscall.ENODEV, "delete")
		requireErr(t, n.LinkSetUp("nope0"), backend.ErrNotFound, 0, "set up")
		requireErr(t, n.LinkSetDown("nope0"), backend.ErrNotFound, 0, "set down")
		requireErr(t, n.LinkSetMTU("nope0", 1400), backend.ErrNotFound, 0, "set mtu")
		requireErr(t, n.LinkSetName("nope0", "nope1"), backend.ErrNotFound, 0, "rename")
		requireErr(t, n.LinkSetMaster("nope0", "lo"), backend.ErrNotFound, 0, "set master")
	}},
	{"master: attach, idempotent, detach", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		require.NoError(t, n.LinkSetMaster("v0", "br0"))
		v0, br := link(t, n, "v0"), link(t, n, "br0")
		assert.Equal(t, "br0", v0.Master)
		assert.Equal(t, br.Index, v0.MasterIndex)
		assert.Empty(t, link(t, n, "v1").Master)
		require.NoError(t, n.LinkSetMaster("v0", "br0"), "same master twice is fine")
		require.NoError(t, n.LinkSetNoMaster("v0"))
		v0 = link(t, n, "v0")
		assert.Empty(t, v0.Master)
		assert.Zero(t, v0.MasterIndex)
	}},
	{"master errors: missing, not a bridge (EOPNOTSUPP), itself (ELOOP)", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		requireErr(t, n.LinkSetMaster("v0", "nope0"), backend.ErrNotFound, 0, "missing master")
		requireErr(t, n.LinkSetMaster("v0", "v1"), backend.ErrUnsupported, syscall.EOPNOTSUPP, "veth as master")
		requireErr(t, n.LinkSetMaster("br0", "br0"), backend.ErrInvalid, syscall.ELOOP, "bridge as its own port")
		assert.Empty(t, link(t, n, "v0").Master)
	}},
	{"deleting a bridge releases its ports", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		require.NoError(t, n.LinkSetMaster("v0", "br0"))
		require.NoError(t, n.LinkDel("br0"))
		v0 := link(t, n, "v0")
		assert.Empty(t, v0.Master)
		assert.Zero(t, v0.MasterIndex)
	}},
	{"deleting one veth end deletes its peer", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		require.NoError(t, n.LinkDel("v1"))
		requireNoLink(t, n, "v0")
		requireNoLink(t, n, "v1")
	}},
	{"deleting one veth end deletes its peer in another namespace", func(t *testing.T, h backend.Host) {
		root := h.Root()
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, root.AddVeth("v0", "v1", 0))
		require.NoError(t, root.LinkSetNs("v1", backend.NSName("ns1")))
		require.NoError(t, root.LinkDel("v0"))
		requireNoLink(t, ns, "v1")

		require.NoError(t, root.AddVeth("w0", "w1", 0))
		require.NoError(t, root.LinkSetNs("w1", backend.NSName("ns1")))
		require.NoError(t, ns.LinkDel("w1"), "from the other side")
		requireNoLink(t, root, "w0")
	}},
	{"move to a namespace: arrives down, without addresses or routes; peer stays", func(t *testing.T, h backend.Host) {
		root := h.Root()
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, root.AddBridge("br0", 0))
		require.NoError(t, root.AddVeth("v0", "v1", 0))
		require.NoError(t, root.LinkSetMaster("v1", "br0"))
		require.NoError(t, root.AddrAdd("v0", cidr(t, "10.9.0.1/24")))
		require.NoError(t, root.LinkSetUp("v0"))
		require.NoError(t, root.LinkSetUp("v1"))
		require.Contains(t, v4Routes(t, root), "10.9.0.0/24 dev v0")

		require.NoError(t, root.LinkSetNs("v0", backend.NSName("ns1")))
		requireNoLink(t, root, "v0")
		assert.NotContains(t, v4Routes(t, root), "10.9.0.0/24", "its connected route left with it")

		moved := link(t, ns, "v0")
		assert.False(t, moved.Up, "a moved link arrives down")
		assert.Empty(t, v4Addrs(t, ns, "v0"), "and without its addresses")
		assert.Empty(t, v4Routes(t, ns))
		assert.Equal(t, link(t, root, "v1").Index, moved.PeerIndex, "it still points at its peer")

		peer := link(t, root, "v1")
		assert.True(t, peer.Up, "the peer keeps running")
		assert.Equal(t, "br0", peer.Master)

		// Moving a bridge port takes it off the bridge.
		require.NoError(t, root.LinkSetNs("v1", backend.NSName("ns1")))
		assert.Empty(t, link(t, ns, "v1").Master)
	}},
	{"move to a namespace: name taken there is EEXIST, missing namespace is not found", func(t *testing.T, h backend.Host) {
		root := h.Root()
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, ns.AddBridge("x0", 0))
		require.NoError(t, root.AddVeth("x0", "y0", 0))
		requireErr(t, root.LinkSetNs("x0", backend.NSName("ns1")), backend.ErrExists, syscall.EEXIST, "move onto a taken name")
		link(t, root, "x0")
		requireErr(t, root.LinkSetNs("x0", backend.NSName("nope")), backend.ErrNotFound, 0, "move to a missing namespace")
		link(t, root, "x0")
	}},
	{"a bridge cannot change namespace: EINVAL", func(t *testing.T, h backend.Host) {
		// Bridges are NETIF_F_NETNS_LOCAL: they stay where they were made.
		root := h.Root()
		_, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, root.AddBridge("br0", 0))
		requireErr(t, root.LinkSetNs("br0", backend.NSName("ns1")), backend.ErrInvalid, syscall.EINVAL, "move a bridge")
		link(t, root, "br0")
	}},
	{"move into a namespace and back", func(t *testing.T, h backend.Host) {
		root := h.Root()
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, root.AddVeth("v0", "v1", 0))
		require.NoError(t, root.LinkSetNs("v1", backend.NSName("ns1")))
		require.NoError(t, ns.LinkSetNs("v1", backend.NSRef{}))
		v1 := link(t, root, "v1")
		assert.Equal(t, link(t, root, "v0").Index, v1.PeerIndex)
		assert.Equal(t, []string{"lo"}, linkNames(t, ns))
	}},
	{"rename: old name gone, same index; taken name is EEXIST; allowed while up", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		idx := link(t, n, "v1").Index
		require.NoError(t, n.LinkSetName("v1", "eth0"))
		requireNoLink(t, n, "v1")
		assert.Equal(t, idx, link(t, n, "eth0").Index)
		assert.Equal(t, idx, link(t, n, "v0").PeerIndex)
		requireErr(t, n.LinkSetName("eth0", "v0"), backend.ErrExists, syscall.EEXIST, "rename onto a taken name")
		// Kernels since 6.2 (commit bd039b5ea2a9) rename a link that is up;
		// older ones said EBUSY. The fake copies today's kernel.
		require.NoError(t, n.LinkSetUp("eth0"))
		require.NoError(t, n.LinkSetName("eth0", "eth1"))
		assert.True(t, link(t, n, "eth1").Up)
	}},
}
