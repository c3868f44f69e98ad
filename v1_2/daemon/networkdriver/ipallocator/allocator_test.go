// Tests for allocator.go: the behaviours upstream's
// ipallocator/allocator_test.go (v1.2.0) checks (reference docs/upstream/v1.2.0.md
// §3.6), written anew, plus the argument checks that replace its panics.
package ipallocator

import (
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reset() {
	lock.Lock()
	allocatedIPs = networkSet{}
	lock.Unlock()
}

func network(t testing.TB, s string) *net.IPNet {
	ip, n, err := net.ParseCIDR(s)
	require.NoError(t, err)
	n.IP = ip.To4() // the gateway's own address, as GetIfaceAddr gives it
	return n
}

func ipp(s string) *net.IP {
	ip := net.ParseIP(s)
	return &ip
}

func request(t *testing.T, n *net.IPNet) string {
	t.Helper()
	ip, err := RequestIP(n, nil)
	require.NoError(t, err)
	return ip.String()
}

func TestRequestNewIps(t *testing.T) {
	defer reset()
	n := network(t, "192.168.0.1/24")
	for i := 2; i < 10; i++ {
		assert.Equal(t, fmt.Sprintf("192.168.0.%d", i), request(t, n))
	}
	require.NoError(t, ReleaseIP(n, ipp("192.168.0.9")))
	assert.Equal(t, "192.168.0.10", request(t, n), "round-robin: the released .9 waits its turn")
}

func TestDockerZeroFirstThree(t *testing.T) {
	defer reset()
	n := network(t, "172.17.42.1/16")
	assert.Equal(t, "172.17.0.2", request(t, n))
	assert.Equal(t, "172.17.0.3", request(t, n))
	assert.Equal(t, "172.17.0.4", request(t, n))
}

func TestReleaseIp(t *testing.T) {
	defer reset()
	n := network(t, "192.168.0.1/24")
	ip, err := RequestIP(n, nil)
	require.NoError(t, err)
	require.NoError(t, ReleaseIP(n, ip))
	require.NoError(t, ReleaseIP(n, ip), "releasing a free address is fine")
}

func TestGetReleasedIp(t *testing.T) {
	defer reset()
	n := network(t, "192.168.0.1/24")
	ip, err := RequestIP(n, nil)
	require.NoError(t, err)
	value := ip.String()
	require.NoError(t, ReleaseIP(n, ip))
	for i := 0; i < 252; i++ {
		got, err := RequestIP(n, nil)
		require.NoError(t, err)
		require.NoError(t, ReleaseIP(n, got))
	}
	again, err := RequestIP(n, nil)
	require.NoError(t, err)
	assert.Equal(t, value, again.String(), "after a full turn the first address comes back")
}

func TestRequestSpecificIp(t *testing.T) {
	defer reset()
	n := network(t, "192.168.0.1/24")
	ip, err := RequestIP(n, ipp("192.168.1.5"))
	require.NoError(t, err, "no range check, as upstream")
	assert.Equal(t, "192.168.1.5", ip.String())
	_, err = RequestIP(n, ipp("192.168.1.5"))
	assert.Equal(t, ErrIPAlreadyAllocated, err)
}

func TestConversion(t *testing.T) {
	ip := net.ParseIP("127.0.0.1")
	i := ipToInt(&ip)
	assert.Equal(t, int32(0x7f000001), i)
	assert.Equal(t, "127.0.0.1", intToIP(i).String())
	high := net.ParseIP("255.255.255.254")
	assert.Equal(t, "255.255.255.254", intToIP(ipToInt(&high)).String())
}

func TestIPAllocator(t *testing.T) {
	defer reset()
	n := network(t, "127.0.0.1/29")
	var got []string
	for i := 0; i < 5; i++ {
		got = append(got, request(t, n))
	}
	assert.Equal(t, []string{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"}, got)
	_, err := RequestIP(n, nil)
	assert.Equal(t, ErrNoAvailableIPs, err)

	for _, s := range []string{"127.0.0.5", "127.0.0.4", "127.0.0.6"} {
		require.NoError(t, ReleaseIP(n, ipp(s)))
	}
	assert.Equal(t, "127.0.0.4", request(t, n))
	assert.Equal(t, "127.0.0.5", request(t, n))
	assert.Equal(t, "127.0.0.6", request(t, n))
	_, err = RequestIP(n, nil)
	assert.Equal(t, ErrNoAvailableIPs, err)
}

func TestAllocateFirstIP(t *testing.T) {
	defer reset()
	n := &net.IPNet{IP: net.IPv4(192, 168, 0, 0).To4(), Mask: net.CIDRMask(24, 32)}
	first := ipToInt(&n.IP)
	ip, err := RequestIP(n, nil)
	require.NoError(t, err)
	assert.Equal(t, first+2, ipToInt(ip), "network+1 is never handed out")
}

func TestAllocateAllIps(t *testing.T) {
	defer reset()
	n := network(t, "192.168.0.1/24")
	var first *net.IP
	for i := 0; ; i++ {
		ip, err := RequestIP(n, nil)
		if err == ErrNoAvailableIPs {
			break
		}
		require.NoError(t, err)
		if first == nil {
			first = ip
		}
	}
	assert.Equal(t, 253, len(allocatedIPs[n.String()].p), ".2-.254: 253 addresses")
	_, err := RequestIP(n, nil)
	assert.Equal(t, ErrNoAvailableIPs, err)
	require.NoError(t, ReleaseIP(n, first))
	again, err := RequestIP(n, nil)
	require.NoError(t, err)
	assert.Equal(t, first.String(), again.String())
}

func TestAllocateDifferentSubnets(t *testing.T) {
	defer reset()
	a := network(t, "192.168.0.1/24")
	b := network(t, "127.0.0.1/8")
	assert.Equal(t, "192.168.0.2", request(t, a))
	assert.Equal(t, "192.168.0.3", request(t, a))
	assert.Equal(t, "127.0.0.2", request(t, b))
	assert.Equal(t, "127.0.0.3", request(t, b))
}

func TestSkipsOwnAddress(t *testing.T) {
	defer reset()
	n := network(t, "10.0.0.5/29") // .0 network, .1 reserved, .5 the bridge, .7 broadcast
	var got []string
	for {
		ip, err := RequestIP(n, nil)
		if err != nil {
			assert.Equal(t, ErrNoAvailableIPs, err)
			break
		}
		got = append(got, ip.String())
	}
	assert.Equal(t, []string{"10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.6"}, got)
}

func TestSpecificBelowNetworkStaysInside(t *testing.T) {
	defer reset()
	n := network(t, "192.168.1.1/24")
	_, err := RequestIP(n, ipp("192.168.0.250")) // position -6
	require.NoError(t, err)
	ip, err := RequestIP(n, nil)
	require.NoError(t, err)
	assert.True(t, n.Contains(*ip), "got %s", ip)
}

func TestTinyNetworks(t *testing.T) {
	defer reset()
	for _, s := range []string{"10.9.0.1/32", "10.9.0.1/31"} {
		_, err := RequestIP(network(t, s), nil)
		assert.Equal(t, ErrNoAvailableIPs, err, s)
	}
}

func TestBadArguments(t *testing.T) {
	_, err := RequestIP(nil, nil)
	assert.Error(t, err)
	_, v6, _ := net.ParseCIDR("fd00::/64")
	_, err = RequestIP(v6, nil)
	assert.Error(t, err)
	_, err = RequestIP(network(t, "10.0.0.1/24"), ipp("fd00::1"))
	assert.Error(t, err)
	assert.Error(t, ReleaseIP(nil, ipp("10.0.0.2")))
	assert.Error(t, ReleaseIP(network(t, "10.0.0.1/24"), nil))
}
