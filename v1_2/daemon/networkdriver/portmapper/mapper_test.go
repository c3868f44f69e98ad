// Tests for mapper.go: the behaviours upstream's portmapper/mapper_test.go
// (v1.2.0) checks with the mock proxy and a nil chain (reference
// docs/upstream/v1.2.0.md §3.6), written anew; then the same bookkeeping with
// the DOCKER chain on a fake kernel, and the failed-proxy path.
package portmapper

import (
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portallocator"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() {
	// No real proxies in these tests.
	NewProxy = NewMockProxyCommand
}

func reset() {
	chain = nil
	currentMappings = make(map[string]*mapping)
	portallocator.ReleaseAll()
}

func TestSetIptablesChain(t *testing.T) {
	defer reset()
	require.Nil(t, chain)
	SetIptablesChain(&iptables.Chain{Name: "TEST", Bridge: "192.168.1.1"})
	assert.NotNil(t, chain)
}

func TestMapPorts(t *testing.T) {
	defer reset()
	dstIP1, dstIP2 := net.ParseIP("192.168.0.1"), net.ParseIP("192.168.0.2")
	srcAddr1 := &net.TCPAddr{Port: 1080, IP: net.ParseIP("172.16.0.1")}
	srcAddr2 := &net.TCPAddr{Port: 1080, IP: net.ParseIP("172.16.0.2")}

	host, err := Map(srcAddr1, dstIP1, 80)
	require.NoError(t, err)
	assert.Equal(t, "tcp", host.Network())
	assert.Equal(t, "192.168.0.1:80", host.String())

	_, err = Map(srcAddr1, dstIP1, 80)
	assert.Error(t, err, "port in use")
	_, err = Map(srcAddr2, dstIP1, 80)
	assert.Error(t, err, "port in use, whoever asks")
	_, err = Map(srcAddr2, dstIP2, 80)
	assert.NoError(t, err, "same port, other host ip")

	assert.NoError(t, Unmap(&net.TCPAddr{IP: dstIP1, Port: 80}))
	assert.NoError(t, Unmap(&net.TCPAddr{IP: dstIP2, Port: 80}))
	assert.Equal(t, ErrPortNotMapped, Unmap(&net.TCPAddr{IP: dstIP2, Port: 80}))
}

func TestMapUnknownAddressType(t *testing.T) {
	defer reset()
	_, err := Map(&net.IPAddr{IP: net.ParseIP("172.17.0.2")}, net.IPv4zero, 80)
	assert.Equal(t, ErrUnknownBackendAddressType, err)
}

func TestKeys(t *testing.T) {
	assert.Equal(t, "192.168.1.5:53/udp", getKey(&net.UDPAddr{IP: net.ParseIP("192.168.1.5"), Port: 53}))
	assert.Equal(t, "192.168.1.5:80/tcp", getKey(&net.TCPAddr{IP: net.ParseIP("192.168.1.5"), Port: 80}))
	ip, port := getIPAndPort(&net.UDPAddr{IP: net.ParseIP("192.168.1.5"), Port: 53})
	assert.Equal(t, "192.168.1.5", ip.String())
	assert.Equal(t, 53, port)
}

func TestMapAllPortsSingleInterface(t *testing.T) {
	defer reset()
	dstIP := net.ParseIP("0.0.0.0")
	src := &net.TCPAddr{Port: 1080, IP: net.ParseIP("172.16.0.1")}
	for round := 0; round < 3; round++ {
		var hosts []net.Addr
		for i := portallocator.BeginPortRange; i <= portallocator.EndPortRange; i++ {
			host, err := Map(src, dstIP, 0)
			require.NoError(t, err)
			hosts = append(hosts, host)
		}
		_, err := Map(src, dstIP, 0)
		assert.Equal(t, portallocator.ErrAllPortsAllocated, err)
		_, err = Map(src, dstIP, portallocator.BeginPortRange)
		assert.Error(t, err, "port %d should be taken", portallocator.BeginPortRange)
		for _, h := range hosts {
			require.NoError(t, Unmap(h))
		}
	}
}

func TestNilHostIPIsAnyAddress(t *testing.T) {
	defer reset()
	host, err := Map(&net.UDPAddr{IP: net.ParseIP("172.17.0.2"), Port: 53}, nil, 5353)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:5353", host.String())
	_, err = portallocator.RequestPort(nil, "udp", 5353)
	assert.Error(t, err, "the allocator agrees the port is taken")
	require.NoError(t, Unmap(host))
}

// withChain gives Map a DOCKER chain on a bare fake kernel and records
// every iptables argv.
func withChain(t *testing.T) (*[]string, func() string) {
	h := fake.NewBare()
	raw := h.Root().IPTables().Raw
	var calls []string
	old := iptables.SetRunner(func(args ...string) ([]byte, error) {
		calls = append(calls, strings.Join(args, " "))
		return raw(args...)
	})
	t.Cleanup(func() { iptables.SetRunner(old) })
	c, err := iptables.NewChain("DOCKER", "docker0")
	require.NoError(t, err)
	SetIptablesChain(c)
	calls = nil
	save := func() string {
		s, err := h.Root().IPTables().Save()
		require.NoError(t, err)
		return s
	}
	return &calls, save
}

func TestMapWithChain(t *testing.T) {
	defer reset()
	calls, save := withChain(t)
	before := save()
	host, err := Map(&net.TCPAddr{IP: net.ParseIP("172.17.0.2"), Port: 80}, net.IPv4zero, 0)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:49153", host.String())
	assert.Equal(t, []string{
		"-t nat -A DOCKER -p tcp -d 0/0 --dport 49153 ! -i docker0 -j DNAT --to-destination 172.17.0.2:80",
		"-I FORWARD ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT",
	}, *calls)
	assert.Contains(t, save(), "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.2:80")

	*calls = nil
	require.NoError(t, Unmap(host))
	assert.Equal(t, []string{
		"-t nat -D DOCKER -p tcp -d 0/0 --dport 49153 ! -i docker0 -j DNAT --to-destination 172.17.0.2:80",
		"-D FORWARD ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT",
	}, *calls)
	assert.Equal(t, before, save())
}

type failingProxy struct{}

func (failingProxy) Start() error { return errors.New("bind: address already in use") }
func (failingProxy) Stop() error  { return nil }

func TestProxyStartFailureUndoesEverything(t *testing.T) {
	defer reset()
	_, save := withChain(t)
	before := save()
	NewProxy = func(string, net.IP, int, net.IP, int) UserlandProxy { return failingProxy{} }
	defer func() { NewProxy = NewMockProxyCommand }()

	container := &net.TCPAddr{IP: net.ParseIP("172.17.0.2"), Port: 80}
	_, err := Map(container, net.IPv4zero, 8080)
	require.EqualError(t, err, "bind: address already in use")
	assert.Equal(t, before, save(), "rules removed")
	assert.Empty(t, currentMappings, "mapping forgotten (upstream kept it)")

	NewProxy = NewMockProxyCommand
	_, err = Map(container, net.IPv4zero, 8080)
	assert.NoError(t, err, "the port is free again")
}

func TestForwardFailureReleasesPort(t *testing.T) {
	defer reset()
	old := iptables.SetRunner(func(args ...string) ([]byte, error) {
		return nil, errors.New("boom")
	})
	defer iptables.SetRunner(old)
	SetIptablesChain(&iptables.Chain{Name: "DOCKER", Bridge: "docker0"})
	_, err := Map(&net.TCPAddr{IP: net.ParseIP("172.17.0.2"), Port: 80}, net.IPv4zero, 8080)
	require.Error(t, err)
	port, err := portallocator.RequestPort(net.IPv4zero, "tcp", 8080)
	require.NoError(t, err)
	assert.Equal(t, 8080, port)
}
