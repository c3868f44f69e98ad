// Tests for utils.go: the behaviours upstream's
// daemon/networkdriver/network_test.go (v1.2.0) checks (reference
// docs/upstream/v1.2.0.md §3.6), written anew; routes and links come from a fake
// kernel instead of the stubbed networkGetRoutesFct.
package networkdriver

import (
	"net"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cidr(t *testing.T, s string) *net.IPNet {
	t.Helper()
	ip, n, err := net.ParseCIDR(s)
	require.NoError(t, err)
	n.IP = ip.To4()
	return n
}

func useHost(t *testing.T, h backend.Host) {
	SetHost(h)
	t.Cleanup(func() { SetHost(nil) })
}

func TestNameserverOverlaps(t *testing.T) {
	dns := []string{"10.0.2.3/32", "8.8.8.8/32"}
	assert.NoError(t, CheckNameserverOverlaps(dns, cidr(t, "172.17.42.1/16")))
	assert.Equal(t, ErrNetworkOverlapsWithNameservers, CheckNameserverOverlaps(dns, cidr(t, "10.0.42.1/16")))
	assert.Equal(t, ErrNetworkOverlapsWithNameservers, CheckNameserverOverlaps([]string{"192.168.0.1/32"}, cidr(t, "192.168.0.1/16")))
	assert.NoError(t, CheckNameserverOverlaps(nil, cidr(t, "10.0.0.0/8")))
	assert.Error(t, CheckNameserverOverlaps([]string{"not-a-cidr"}, cidr(t, "10.0.0.0/8")))
}

func TestCheckRouteOverlaps(t *testing.T) {
	h := fake.New() // eth0 10.0.2.15/24, default via 10.0.2.2
	useHost(t, h)
	require.NoError(t, h.Root().RouteAdd(backend.Route{Dst: cidr(t, "10.1.0.0/16"), Gw: net.ParseIP("10.0.2.2")}))

	assert.NoError(t, CheckRouteOverlaps(cidr(t, "172.17.42.1/16")), "the default route overlaps nothing")
	assert.Equal(t, ErrNetworkOverlaps, CheckRouteOverlaps(cidr(t, "10.0.2.0/24")))
	assert.Equal(t, ErrNetworkOverlaps, CheckRouteOverlaps(cidr(t, "10.0.0.0/8")))
	assert.Equal(t, ErrNetworkOverlaps, CheckRouteOverlaps(cidr(t, "10.1.42.1/24")))
	assert.NoError(t, CheckRouteOverlaps(cidr(t, "10.42.42.1/16")))
}

func TestNoHost(t *testing.T) {
	SetHost(nil)
	assert.Equal(t, ErrNoHost, CheckRouteOverlaps(cidr(t, "10.0.0.0/8")))
	_, err := GetIfaceAddr("docker0")
	assert.Equal(t, ErrNoHost, err)
	_, err = GetDefaultRouteIface()
	assert.Equal(t, ErrNoHost, err)
}

func TestNetworkOverlaps(t *testing.T) {
	for _, c := range []struct {
		x, y string
		want bool
	}{
		{"172.16.0.1/24", "172.16.0.1/24", true},
		{"172.16.0.1/24", "172.16.0.1/16", true}, // nested
		{"172.16.0.1/16", "172.16.0.1/24", true},
		{"172.16.0.1/24", "172.16.1.1/24", false},
		{"172.16.0.1/24", "172.17.0.1/16", false},
		{"10.0.0.0/8", "10.255.255.255/32", true},
		{"10.0.0.0/8", "11.0.0.0/8", false},
		{"0.0.0.0/0", "192.168.1.1/32", true},
	} {
		assert.Equal(t, c.want, NetworkOverlaps(cidr(t, c.x), cidr(t, c.y)), "%s vs %s", c.x, c.y)
	}
}

func TestNetworkRange(t *testing.T) {
	for _, c := range []struct {
		network, first, last string
		size                 int32
	}{
		{"192.168.0.1/24", "192.168.0.0", "192.168.0.255", 256},
		{"10.1.2.3/8", "10.0.0.0", "10.255.255.255", 16777216},
		{"10.1.2.3/32", "10.1.2.3", "10.1.2.3", 1},
		{"10.1.2.3/31", "10.1.2.2", "10.1.2.3", 2},
		{"10.1.2.3/26", "10.1.2.0", "10.1.2.63", 64},
		{"172.17.42.1/16", "172.17.0.0", "172.17.255.255", 65536},
	} {
		n := cidr(t, c.network)
		first, last := NetworkRange(n)
		assert.Equal(t, c.first, first.String(), c.network)
		assert.Equal(t, c.last, last.String(), c.network)
		assert.Equal(t, c.size, NetworkSize(n.Mask), c.network)
	}
	// A 16-byte mask (net.CIDRMask(24, 128)-style IPv4 in IPv6) works too.
	n := &net.IPNet{IP: net.ParseIP("192.168.0.7"), Mask: net.IPv4Mask(255, 255, 255, 0)}
	first, _ := NetworkRange(n)
	assert.Equal(t, "192.168.0.0", first.String())
}

func TestGetIfaceAddr(t *testing.T) {
	h := fake.NewBare()
	useHost(t, h)
	_, err := GetIfaceAddr("docker0")
	assert.ErrorIs(t, err, backend.ErrNotFound)

	require.NoError(t, h.Root().AddBridge("docker0", 0))
	_, err = GetIfaceAddr("docker0")
	assert.EqualError(t, err, "Interface docker0 has no IP addresses")

	require.NoError(t, h.Root().AddrAdd("docker0", cidr(t, "172.17.42.1/16")))
	addr, err := GetIfaceAddr("docker0")
	require.NoError(t, err)
	assert.Equal(t, "172.17.42.1/16", addr.String())
	assert.IsType(t, &net.IPNet{}, addr)
}

func TestGetDefaultRouteIface(t *testing.T) {
	useHost(t, fake.New())
	iface, err := GetDefaultRouteIface()
	require.NoError(t, err)
	assert.Equal(t, "eth0", iface.Name)
	assert.NotZero(t, iface.Flags&net.FlagUp)

	useHost(t, fake.NewBare())
	_, err = GetDefaultRouteIface()
	assert.Equal(t, ErrNoDefaultRoute, err)
}
