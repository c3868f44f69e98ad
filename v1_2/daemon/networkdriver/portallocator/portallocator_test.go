// Tests for portallocator.go: the behaviours upstream's
// portallocator_test.go (v1.2.0) checks (reference docs/upstream/v1.2.0.md §3.6),
// written anew, plus the fixed edge cases listed in the package comment.
package portallocator

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reset() { ReleaseAll() }

func TestRequestNewPort(t *testing.T) {
	defer reset()
	port, err := RequestPort(defaultIP, "tcp", 0)
	require.NoError(t, err)
	assert.Equal(t, BeginPortRange, port)
}

func TestRequestSpecificPort(t *testing.T) {
	defer reset()
	port, err := RequestPort(defaultIP, "tcp", 5000)
	require.NoError(t, err)
	assert.Equal(t, 5000, port)
}

func TestReleaseAndReusePort(t *testing.T) {
	defer reset()
	_, err := RequestPort(defaultIP, "tcp", 5000)
	require.NoError(t, err)
	require.NoError(t, ReleasePort(defaultIP, "tcp", 5000))
	port, err := RequestPort(defaultIP, "tcp", 5000)
	require.NoError(t, err)
	assert.Equal(t, 5000, port)
	require.NoError(t, ReleasePort(net.ParseIP("10.9.9.9"), "tcp", 5000), "unknown ip: nothing to do")
}

func TestPortAlreadyAllocated(t *testing.T) {
	defer reset()
	_, err := RequestPort(defaultIP, "tcp", 5000)
	require.NoError(t, err)
	_, err = RequestPort(nil, "tcp", 5000) // nil is 0.0.0.0
	require.Error(t, err)
	e, ok := err.(ErrPortAlreadyAllocated)
	require.True(t, ok, "want the value type, got %T", err)
	assert.Equal(t, "0.0.0.0", e.IP())
	assert.Equal(t, 5000, e.Port())
	assert.Equal(t, "0.0.0.0:5000", e.IPPort())
	assert.Equal(t, "Bind for 0.0.0.0:5000 failed: port is already allocated", e.Error())
}

func TestUnknownProtocol(t *testing.T) {
	defer reset()
	_, err := RequestPort(defaultIP, "tcpp", 0)
	assert.Equal(t, ErrUnknownProtocol, err)
	assert.Equal(t, ErrUnknownProtocol, ReleasePort(defaultIP, "sctp", 80))
}

func TestBadPort(t *testing.T) {
	defer reset()
	_, err := RequestPort(defaultIP, "tcp", -1)
	assert.Error(t, err)
	_, err = RequestPort(defaultIP, "tcp", 65536)
	assert.Error(t, err)
}

func TestAllocateAllPorts(t *testing.T) {
	defer reset()
	for i := 0; i <= EndPortRange-BeginPortRange; i++ {
		port, err := RequestPort(defaultIP, "tcp", 0)
		require.NoError(t, err)
		require.Equal(t, BeginPortRange+i, port)
	}
	_, err := RequestPort(defaultIP, "tcp", 0)
	assert.Equal(t, ErrAllPortsAllocated, err)

	_, err = RequestPort(defaultIP, "udp", 0)
	require.NoError(t, err, "udp has its own ports")

	port := BeginPortRange + 5
	require.NoError(t, ReleasePort(defaultIP, "tcp", port))
	got, err := RequestPort(defaultIP, "tcp", 0)
	require.NoError(t, err)
	assert.Equal(t, port, got, "the scan wraps past 65535 to the free port")
}

func TestFullRangeStops(t *testing.T) {
	// Upstream looped forever here: last == 49153 and nothing else free.
	defer reset()
	for i := BeginPortRange; i <= EndPortRange; i++ {
		_, err := RequestPort(defaultIP, "tcp", 0)
		require.NoError(t, err)
	}
	require.NoError(t, ReleasePort(defaultIP, "tcp", BeginPortRange))
	got, err := RequestPort(defaultIP, "tcp", 0)
	require.NoError(t, err)
	assert.Equal(t, BeginPortRange, got)
	_, err = RequestPort(defaultIP, "tcp", 0)
	assert.Equal(t, ErrAllPortsAllocated, err)

	// And the last port handed out is found again once freed.
	require.NoError(t, ReleasePort(defaultIP, "tcp", BeginPortRange))
	got, err = RequestPort(defaultIP, "tcp", 0)
	require.NoError(t, err)
	assert.Equal(t, BeginPortRange, got)
}

func TestFirstDynamicSkipsExplicit(t *testing.T) {
	// Upstream handed 49153 out twice here.
	defer reset()
	_, err := RequestPort(defaultIP, "tcp", BeginPortRange)
	require.NoError(t, err)
	got, err := RequestPort(defaultIP, "tcp", 0)
	require.NoError(t, err)
	assert.Equal(t, BeginPortRange+1, got)
}

func TestPortAllocation(t *testing.T) {
	defer reset()
	ip := net.ParseIP("192.168.0.1")
	ip2 := net.ParseIP("192.168.0.2")

	port, err := RequestPort(ip, "tcp", 80)
	require.NoError(t, err)
	assert.Equal(t, 80, port)

	port, err = RequestPort(ip, "tcp", 0)
	require.NoError(t, err)
	assert.Greater(t, port, 0)
	_, err = RequestPort(ip, "tcp", port)
	assert.Error(t, err)

	newPort, err := RequestPort(ip, "tcp", 0)
	require.NoError(t, err)
	assert.NotEqual(t, port, newPort)

	_, err = RequestPort(ip, "tcp", 80)
	assert.Error(t, err)
	_, err = RequestPort(ip2, "tcp", 80)
	assert.NoError(t, err, "the same port on another IP is free")
	_, err = RequestPort(ip2, "tcp", 80)
	assert.Error(t, err)
	require.NoError(t, ReleasePort(ip, "tcp", 80))
	_, err = RequestPort(ip, "tcp", 80)
	assert.NoError(t, err)

	port, err = RequestPort(ip, "tcp", 0)
	require.NoError(t, err)
	port2, err := RequestPort(ip, "tcp", port+1)
	require.NoError(t, err)
	port3, err := RequestPort(ip, "tcp", 0)
	require.NoError(t, err)
	assert.NotEqual(t, port2, port3, "a dynamic port is never one already taken")
}
