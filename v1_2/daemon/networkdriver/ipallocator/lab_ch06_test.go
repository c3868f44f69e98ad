// Tests of the exercise ch06.request-ip (allocatedMap.getNextIP, the scan
// behind RequestIP): `dockerlab lab check ch06.request-ip`, or
// `go test ./v1_2/daemon/networkdriver/ipallocator -run TestCh06RequestIp`.
package ipallocator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labNext asks for the next free address of n.
func labNext(t *testing.T, n string) string {
	t.Helper()
	ip, err := RequestIP(network(t, n), nil)
	require.NoError(t, err, "RequestIP(%s, nil)", n)
	return ip.String()
}

// labTake hands out count addresses and returns them.
func labTake(t *testing.T, n string, count int) []string {
	t.Helper()
	var got []string
	for range count {
		got = append(got, labNext(t, n))
	}
	return got
}

// On docker0's network the first addresses are .0.2, .0.3, …: never the
// network address, never .0.1, never the bridge's own 172.17.42.1.
func TestCh06RequestIp(t *testing.T) {
	defer reset()
	assert.Equal(t, []string{"172.17.0.2", "172.17.0.3", "172.17.0.4"}, labTake(t, "172.17.42.1/16", 3))
	assert.Equal(t, []string{"192.168.0.2", "192.168.0.3"}, labTake(t, "192.168.0.1/24", 2))
}

// Round-robin: a released address is not handed out again until the scan
// comes round to it; the scan goes on after the last address given.
func TestCh06RequestIp_RoundRobin(t *testing.T) {
	defer reset()
	n := "192.168.0.1/24"
	labTake(t, n, 8) // .2 … .9
	require.NoError(t, ReleaseIP(network(t, n), ipp("192.168.0.5")))
	assert.Equal(t, "192.168.0.10", labNext(t, n), "the released .5 waits its turn")
	// A requested address moves the scan too: the next one follows it.
	_, err := RequestIP(network(t, n), ipp("192.168.0.100"))
	require.NoError(t, err)
	assert.Equal(t, "192.168.0.101", labNext(t, n))
}

// A /29 has 8 addresses: .0 is the network, .7 the broadcast, .1 the
// bridge. The scan wraps around to the start when it reaches the end.
func TestCh06RequestIp_WrapAround(t *testing.T) {
	defer reset()
	n := "10.0.0.1/29"
	assert.Equal(t, []string{"10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"}, labTake(t, n, 5))
	_, err := RequestIP(network(t, n), nil)
	assert.ErrorIs(t, err, ErrNoAvailableIPs, "a full network: no broadcast, no network address, no bridge address")
	require.NoError(t, ReleaseIP(network(t, n), ipp("10.0.0.3")))
	assert.Equal(t, "10.0.0.3", labNext(t, n), "after .6 the scan wraps around and finds .3")
}

// The bridge's own address is skipped wherever it is, and so is the
// network's first host address.
func TestCh06RequestIp_SkipsTheBridge(t *testing.T) {
	defer reset()
	n := "10.1.0.5/29"
	assert.Equal(t, []string{"10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.6"}, labTake(t, n, 4))
	_, err := RequestIP(network(t, n), nil)
	assert.ErrorIs(t, err, ErrNoAvailableIPs)
}
