// Contract: kernel details the randomised differential test
// (differential_test.go) found, each pinned here as a named check with the
// behaviour measured on Linux 6.18: per-namespace interface numbering, a
// bridge's MTU following its ports, and primary/secondary addresses
// (net/core/dev.c dev_index_reserve; net/bridge/br_if.c
// br_mtu_auto_adjust; net/ipv4/devinet.c and promote_secondaries).
package backendtest

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

var detailChecks = []check{
	{"ifindexes are per namespace: a new namespace numbers from 2", func(t *testing.T, h backend.Host) {
		require.NoError(t, h.Root().AddBridge("br0", 0))
		require.NoError(t, h.Root().AddBridge("br1", 0))
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, ns.AddBridge("x0", 0))
		assert.Equal(t, 2, link(t, ns, "x0").Index)
	}},
	{"a moved link keeps its ifindex when it is free, else gets the next one", func(t *testing.T, h backend.Host) {
		root := h.Root()
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, root.AddBridge("br0", 0))    // root 2
		require.NoError(t, root.AddVeth("v0", "v1", 0)) // root 3 (v1), 4 (v0)
		idx := link(t, root, "v0").Index
		require.NoError(t, root.LinkSetNs("v0", backend.NSName("ns1")))
		assert.Equal(t, idx, link(t, ns, "v0").Index, "4 is free in ns1")
		require.NoError(t, ns.AddBridge("x0", 0))
		assert.Equal(t, 2, link(t, ns, "x0").Index, "ns1's own counter is still at 2")

		require.NoError(t, ns.AddVeth("w0", "w1", 0)) // ns1 3 (w1), 5 (w0): 4 is v0's
		require.NoError(t, ns.LinkSetNs("w1", backend.NSRef{}))
		w1 := link(t, root, "w1")
		assert.NotEqual(t, link(t, root, "v1").Index, w1.Index, "3 is taken in root: w1 gets a new number")
		require.NoError(t, root.AddBridge("br9", 0))
		assert.Greater(t, link(t, root, "br9").Index, w1.Index, "numbers keep going up")
	}},
	{"a bridge's mtu follows the smallest of its ports unless set on the bridge", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddVeth("v0", "v1", 1400))
		require.NoError(t, n.AddVeth("w0", "w1", 0))
		require.NoError(t, n.LinkSetMaster("v0", "br0"))
		assert.Equal(t, 1400, link(t, n, "br0").MTU, "a 1400 port pulls the bridge down")
		require.NoError(t, n.LinkSetMaster("w0", "br0"))
		assert.Equal(t, 1400, link(t, n, "br0").MTU, "the smallest port wins")
		require.NoError(t, n.LinkSetMTU("v0", 1300))
		assert.Equal(t, 1300, link(t, n, "br0").MTU, "and it follows a port's change")
		require.NoError(t, n.LinkSetNoMaster("v0"))
		assert.Equal(t, 1500, link(t, n, "br0").MTU, "the remaining port is 1500")
		require.NoError(t, n.LinkSetNoMaster("w0"))
		assert.Equal(t, 1500, link(t, n, "br0").MTU, "no ports: 1500")

		require.NoError(t, n.LinkSetMTU("br0", 1200))
		require.NoError(t, n.LinkSetMaster("w0", "br0"))
		assert.Equal(t, 1200, link(t, n, "br0").MTU, "set on the bridge: it stays")

		require.NoError(t, n.AddBridge("br1", 1450))
		require.NoError(t, n.LinkSetMaster("w1", "br1"))
		assert.Equal(t, 1500, link(t, n, "br1").MTU, "an mtu given at creation is not 'set by the user'")
	}},
	{"secondary addresses: no second route, listed after primaries, deleted with the primary", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.LinkSetUp("br0"))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.2/24")))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.1/24"))) // same subnet: secondary
		require.NoError(t, n.AddrAdd("br0", cidr(t, "10.2.0.3/16")))
		assert.Equal(t, []string{"br0 10.1.0.2/24", "br0 10.2.0.3/16", "br0 10.1.0.1/24"}, v4Addrs(t, n, "br0"))
		assert.Equal(t, ""+
			"10.1.0.0/24 dev br0 proto kernel scope link src 10.1.0.2\n"+
			"10.2.0.0/16 dev br0 proto kernel scope link src 10.2.0.3\n", v4Routes(t, n))
		// net.ipv4.conf.*.promote_secondaries is 0 by default: deleting the
		// primary deletes the secondaries of its subnet too.
		require.NoError(t, n.AddrDel("br0", cidr(t, "10.1.0.2/24")))
		assert.Equal(t, []string{"br0 10.2.0.3/16"}, v4Addrs(t, n, "br0"))
		assert.Equal(t, "10.2.0.0/16 dev br0 proto kernel scope link src 10.2.0.3\n", v4Routes(t, n))
	}},
	{"a bridge takes its port's MAC, and all zeros once the last port leaves", func(t *testing.T, h backend.Host) {
		// The bridge id follows the lowest port MAC unless an address was
		// set on the bridge (Docker 1.2 set one for this reason); with no
		// port left the kernel shows 00:00:00:00:00:00.
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		require.NoError(t, n.LinkSetMaster("v0", "br0"))
		assert.Equal(t, link(t, n, "v0").HardwareAddr.String(), link(t, n, "br0").HardwareAddr.String())
		require.NoError(t, n.LinkSetNoMaster("v0"))
		hw := link(t, n, "br0").HardwareAddr
		assert.True(t, len(hw) == 0 || hw.String() == "00:00:00:00:00:00", "MAC %q (the dump prints none as zeros)", hw)
	}},
	{"a veth whose two ends share a name fails with EEXIST but uses up an ifindex", func(t *testing.T, h backend.Host) {
		// The kernel registers the peer first (taking the next number),
		// then fails on the second name and unregisters the peer.
		n := h.Root()
		requireErr(t, n.AddVeth("x0", "x0", 0), backend.ErrExists, syscall.EEXIST, "both ends named x0")
		require.NoError(t, n.AddBridge("br0", 0))
		assert.Equal(t, 3, link(t, n, "br0").Index)
		// A peer name that is taken fails before any number is used.
		requireErr(t, n.AddVeth("v0", "br0", 0), backend.ErrExists, syscall.EEXIST, "peer named like the bridge")
		require.NoError(t, n.AddBridge("br1", 0))
		assert.Equal(t, 4, link(t, n, "br1").Index)
	}},
	{"a failed change of master still takes the link off its bridge", func(t *testing.T, h backend.Host) {
		// do_set_master releases the old master before it asks the new one,
		// so a refusal by the new one leaves the link with no master.
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddVeth("v0", "v1", 0))
		require.NoError(t, n.LinkSetMaster("v0", "br0"))
		requireErr(t, n.LinkSetMaster("v0", "v1"), backend.ErrUnsupported, syscall.EOPNOTSUPP, "veth as master")
		assert.Empty(t, link(t, n, "v0").Master)
	}},
	{"secondary is per link: the same subnet, even the same address, on two links is primary on both", func(t *testing.T, h backend.Host) {
		n := h.Root()
		require.NoError(t, n.AddBridge("br0", 0))
		require.NoError(t, n.AddBridge("br1", 0))
		require.NoError(t, n.AddrAdd("br1", cidr(t, "10.1.0.1/24")))
		require.NoError(t, n.LinkSetUp("br0"))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.1/24")))
		require.NoError(t, n.AddrAdd("br0", cidr(t, "10.1.0.2/24"))) // secondary on br0
		require.NoError(t, n.LinkSetUp("br1"))
		require.NoError(t, n.AddrAdd("br1", cidr(t, "10.3.0.1/16")))
		assert.Equal(t, []string{"br0 10.1.0.1/24", "br0 10.1.0.2/24", "br1 10.1.0.1/24", "br1 10.3.0.1/16"}, v4Addrs(t, n, ""))
		assert.Equal(t, []string{"br1 10.1.0.1/24", "br1 10.3.0.1/16"}, v4Addrs(t, n, "br1"))
		assert.Equal(t, ""+
			"10.1.0.0/24 dev br0 proto kernel scope link src 10.1.0.1\n"+
			"10.1.0.0/24 dev br1 proto kernel scope link src 10.1.0.1\n"+
			"10.3.0.0/16 dev br1 proto kernel scope link src 10.3.0.1\n", v4Routes(t, n))
	}},
}
