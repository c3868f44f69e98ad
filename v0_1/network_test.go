// Tests for network.go of Docker v0.1.0 (reference docs/upstream/v0.1.0.md §3):
// IP arithmetic, the two channel allocators, the exact iptables argv of
// the PortMapper, and the NetworkManager. The kernel is a small stub that
// records every iptables command line, so the golden argv are checked
// byte for byte.
package docker

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

// stubIPTables records Raw calls; fail, when set, decides which fail.
type stubIPTables struct {
	backend.IPTables // only Raw is implemented
	calls            []string
	fail             func(argv string) error
}

func (s *stubIPTables) Raw(args ...string) ([]byte, error) {
	argv := strings.Join(args, " ")
	s.calls = append(s.calls, argv)
	if s.fail != nil {
		if err := s.fail(argv); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// stubNet is a root namespace with a few links and addresses.
type stubNet struct {
	backend.Net // only what network.go uses is implemented
	addrs       map[string][]string
	ipt         *stubIPTables
}

func (n *stubNet) LinkByName(name string) (backend.Link, error) {
	if _, ok := n.addrs[name]; !ok {
		return backend.Link{}, backend.ErrnoError(syscall.ENODEV, "link show", name)
	}
	return backend.Link{Name: name, Kind: backend.KindBridge}, nil
}

func (n *stubNet) AddrList(link string) ([]backend.Addr, error) {
	var out []backend.Addr
	for _, cidr := range n.addrs[link] {
		ip, ipnet, err := net.ParseCIDR(cidr)
		if err != nil {
			return nil, err
		}
		ipnet.IP = ip
		out = append(out, backend.Addr{LinkName: link, IPNet: ipnet})
	}
	return out, nil
}

func (n *stubNet) IPTables() backend.IPTables { return n.ipt }

type stubHost struct {
	backend.Host // only Root is implemented
	root         *stubNet
}

func (h *stubHost) Root() backend.Net { return h.root }

// newStubHost has lxcbr0 with the given addresses (none: the bridge is
// missing).
func newStubHost(addrs ...string) *stubHost {
	n := &stubNet{addrs: map[string][]string{}, ipt: &stubIPTables{}}
	if len(addrs) > 0 {
		n.addrs["lxcbr0"] = addrs
	}
	return &stubHost{root: n}
}

func cidr(t testing.TB, s string) *net.IPNet {
	t.Helper()
	ip, ipnet, err := net.ParseCIDR(s)
	require.NoError(t, err)
	ipnet.IP = ip.To4()
	return ipnet
}

func TestNetworkRangeAndSize(t *testing.T) {
	cases := []struct {
		cidr, first, last string
		size              int32
	}{
		{"192.168.0.1/24", "192.168.0.0", "192.168.0.255", 256},
		{"10.0.0.1/8", "10.0.0.0", "10.255.255.255", 16777216},
		{"10.1.2.3/8", "10.0.0.0", "10.255.255.255", 16777216},
		{"10.1.2.3/32", "10.1.2.3", "10.1.2.3", 1},
		{"10.1.2.3/31", "10.1.2.2", "10.1.2.3", 2},
		{"10.1.2.3/26", "10.1.2.0", "10.1.2.63", 64},
		{"172.17.42.1/16", "172.17.0.0", "172.17.255.255", 65536},
	}
	for _, c := range cases {
		network := cidr(t, c.cidr)
		first, last := networkRange(network)
		assert.Equal(t, c.first, first.String(), c.cidr)
		assert.Equal(t, c.last, last.String(), c.cidr)
		size, err := networkSize(network.Mask)
		require.NoError(t, err)
		assert.Equal(t, c.size, size, c.cidr)
	}
	// A 16-byte IPv4 mask is read the same.
	size, err := networkSize(net.CIDRMask(120, 128))
	require.NoError(t, err)
	assert.Equal(t, int32(256), size)
}

func TestIntConversion(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "0.0.0.0", "10.0.3.1", "192.168.1.5", "255.255.255.255"} {
		n, err := ipToInt(net.ParseIP(s))
		require.NoError(t, err)
		back, err := intToIp(n)
		require.NoError(t, err)
		assert.Equal(t, s, back.String())
	}
	n, _ := ipToInt(net.ParseIP("192.168.1.5"))
	assert.Negative(t, n, "addresses from 128.0.0.0 are negative int32s, as in 0.1.0")
	_, err := ipToInt(net.ParseIP("::1"))
	assert.ErrorContains(t, err, "not an IPv4 address")
}

func drainIPs(alloc *IPAllocator) []string {
	var out []string
	for {
		ip, err := alloc.Acquire()
		if err != nil {
			return out
		}
		out = append(out, ip.String())
	}
}

func TestIPAllocatorOrderAndSkips(t *testing.T) {
	alloc, err := newIPAllocator(cidr(t, "10.0.3.1/24"))
	require.NoError(t, err)
	assert.Equal(t, 253, cap(alloc.queue))
	assert.Equal(t, 253, len(alloc.queue))
	ips := drainIPs(alloc)
	require.Len(t, ips, 253)
	assert.Equal(t, "10.0.3.2", ips[0])
	assert.Equal(t, "10.0.3.254", ips[252])

	// The bridge's address is skipped wherever it is in the range.
	alloc, err = newIPAllocator(cidr(t, "192.168.1.5/29"))
	require.NoError(t, err)
	assert.Equal(t, []string{"192.168.1.1", "192.168.1.2", "192.168.1.3", "192.168.1.4", "192.168.1.6"}, drainIPs(alloc))
}

func TestIPAllocatorExhaustionAndRelease(t *testing.T) {
	// 0.1.0's own scenario: a /29 has 5 addresses for containers.
	alloc, err := newIPAllocator(cidr(t, "127.0.0.1/29"))
	require.NoError(t, err)
	var last net.IP
	for range 5 {
		last, err = alloc.Acquire()
		require.NoError(t, err)
	}
	_, err = alloc.Acquire()
	assert.EqualError(t, err, "No more IP addresses available", "no waiting: it fails at once")

	require.NoError(t, alloc.Release(last))
	again, err := alloc.Acquire()
	require.NoError(t, err)
	assert.Equal(t, last, again)

	// Releasing more than the channel holds fails.
	for i := range 5 {
		require.NoError(t, alloc.Release(net.IPv4(127, 0, 0, byte(2+i))))
	}
	assert.EqualError(t, alloc.Release(net.IPv4(127, 0, 0, 9)), "Too many IP addresses have been released")
}

func TestIPAllocatorRefusesWhatCrashedUpstream(t *testing.T) {
	for network, want := range map[string]string{
		"10.0.0.1/31":   "too small: a /31",
		"10.0.0.1/32":   "too small: a /32",
		"10.0.0.1/8":    "too large",
		"10.0.0.1/0":    "too large",
		"10.0.3.0/24":   "network address",
		"10.0.3.255/24": "broadcast address",
	} {
		_, err := newIPAllocator(cidr(t, network))
		assert.ErrorContains(t, err, want, network)
	}
	_, err := newIPAllocator(&net.IPNet{IP: net.ParseIP("fd00::1"), Mask: net.CIDRMask(64, 128)})
	assert.ErrorContains(t, err, "IPv4")
	_, err = newIPAllocator(nil)
	assert.Error(t, err)

	// The smallest useful network: a /30 has one address besides the bridge.
	alloc, err := newIPAllocator(cidr(t, "10.0.0.1/30"))
	require.NoError(t, err)
	assert.Equal(t, []string{"10.0.0.2"}, drainIPs(alloc))
	// The largest accepted: a /12 (a million addresses, slow under -race).
	if !testing.Short() {
		alloc, err = newIPAllocator(cidr(t, "172.16.0.1/12"))
		require.NoError(t, err)
		assert.Equal(t, 1<<20-3, len(alloc.queue))
	}
}

func TestPortAllocator(t *testing.T) {
	alloc, err := newPortAllocator(portRangeStart, portRangeEnd)
	require.NoError(t, err)
	assert.Equal(t, 16382, cap(alloc.ports))

	first, err := alloc.Acquire()
	require.NoError(t, err)
	assert.Equal(t, 49153, first)
	last := first
	for {
		port, err := alloc.Acquire()
		if err != nil {
			assert.EqualError(t, err, "No more ports available")
			assert.Equal(t, -1, port)
			break
		}
		last = port
	}
	assert.Equal(t, 65534, last, "65535 is never handed out")

	// Release does not check the port, only the room left.
	require.NoError(t, alloc.Release(7))
	got, err := alloc.Acquire()
	require.NoError(t, err)
	assert.Equal(t, 7, got)

	small, err := newPortAllocator(10, 12)
	require.NoError(t, err)
	assert.EqualError(t, small.Release(1), "Too many ports have been released")

	_, err = newPortAllocator(10, 10)
	assert.ErrorContains(t, err, "empty port range")
}

// The golden iptables argv of 0.1.0's PortMapper.
var (
	cleanupArgv = []string{
		"-t nat -D PREROUTING -j DOCKER",
		"-t nat -D OUTPUT -j DOCKER",
		"-t nat -F DOCKER",
		"-t nat -X DOCKER",
	}
	setupArgv = []string{
		"-t nat -N DOCKER",
		"-t nat -A PREROUTING -j DOCKER",
		"-t nat -A OUTPUT -j DOCKER",
	}
)

func TestPortMapperArgv(t *testing.T) {
	ipt := &stubIPTables{}
	mapper, err := newPortMapper(ipt)
	require.NoError(t, err)
	assert.Equal(t, append(append([]string{}, cleanupArgv...), setupArgv...), ipt.calls)

	ipt.calls = nil
	require.NoError(t, mapper.Map(49153, net.TCPAddr{IP: net.ParseIP("10.0.3.2"), Port: 80}))
	require.NoError(t, mapper.Unmap(49153))
	assert.Equal(t, []string{
		"-t nat -A DOCKER -p tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80",
		"-t nat -D DOCKER -p tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80",
	}, ipt.calls)

	assert.EqualError(t, mapper.Unmap(49153), "Port is not mapped")
}

func TestPortMapperCleanupIgnoresErrors(t *testing.T) {
	// On a fresh machine there is no DOCKER chain: every clean-up command
	// fails, and the mapper still sets up.
	ipt := &stubIPTables{fail: func(argv string) error {
		if strings.Contains(argv, " -D ") || strings.Contains(argv, " -F ") || strings.Contains(argv, " -X ") {
			return backend.Errorf(backend.ErrNotFound, 0, "iptables", argv, "No chain/target/match by that name.")
		}
		return nil
	}}
	_, err := newPortMapper(ipt)
	require.NoError(t, err)
	assert.Len(t, ipt.calls, 7)
}

func TestNetworkManagerAllocateAndRelease(t *testing.T) {
	host := newStubHost("10.0.3.1/24")
	manager, err := newNetworkManager(host, networkBridgeIface)
	require.NoError(t, err)
	ipt := host.root.ipt
	ipt.calls = nil

	iface, err := manager.Allocate()
	require.NoError(t, err)
	assert.Equal(t, "10.0.3.2/24", iface.IPNet.String())
	assert.Equal(t, "10.0.3.1", iface.Gateway.String())

	ext, err := iface.AllocatePort(80)
	require.NoError(t, err)
	assert.Equal(t, 49153, ext)
	ext2, err := iface.AllocatePort(22)
	require.NoError(t, err)
	assert.Equal(t, 49154, ext2)

	require.NoError(t, iface.Release())
	assert.Equal(t, []string{
		"-t nat -A DOCKER -p tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80",
		"-t nat -A DOCKER -p tcp --dport 49154 -j DNAT --to-destination 10.0.3.2:22",
		"-t nat -D DOCKER -p tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80",
		"-t nat -D DOCKER -p tcp --dport 49154 -j DNAT --to-destination 10.0.3.2:22",
	}, ipt.calls)
	assert.Equal(t, 16382, len(manager.portAllocator.ports), "both ports are back")
	assert.Equal(t, 253, len(manager.ipAllocator.queue), "the address is back")

	// A second Release changes nothing (0.1.0 would have freed all twice).
	require.NoError(t, iface.Release())
	assert.Equal(t, 16382, len(manager.portAllocator.ports))
	assert.Equal(t, 253, len(manager.ipAllocator.queue))
}

func TestAllocatePortFailures(t *testing.T) {
	host := newStubHost("10.0.3.1/24")
	manager, err := newNetworkManager(host, networkBridgeIface)
	require.NoError(t, err)
	iface, err := manager.Allocate()
	require.NoError(t, err)

	for _, bad := range []int{0, -1, 65536} {
		_, err := iface.AllocatePort(bad)
		assert.EqualError(t, err, fmt.Sprintf("Invalid port: %d", bad))
	}

	// When the rule cannot be added, the external port goes back.
	host.root.ipt.fail = func(string) error { return backend.Errorf(backend.ErrPermission, syscall.EPERM, "iptables", "", "") }
	_, err = iface.AllocatePort(80)
	assert.ErrorIs(t, err, backend.ErrPermission)
	assert.Equal(t, 16382, len(manager.portAllocator.ports))
	assert.Empty(t, iface.extPorts)
}

func TestNetworkManagerBridgeProblems(t *testing.T) {
	_, err := newNetworkManager(newStubHost(), networkBridgeIface)
	assert.ErrorIs(t, err, backend.ErrNotFound)
	assert.ErrorContains(t, err, "bridge lxcbr0 not found")
	assert.ErrorContains(t, err, "dockerlab v0.1 setup-bridge")

	_, err = newNetworkManager(newStubHost("fd00::1/64"), networkBridgeIface)
	assert.EqualError(t, err, "Interface lxcbr0 has no IP addresses")

	// Several IPv4 addresses: the first one is used.
	host := newStubHost("fd00::1/64", "10.0.3.1/24", "192.168.9.1/24")
	manager, err := newNetworkManager(host, networkBridgeIface)
	require.NoError(t, err)
	assert.Equal(t, "10.0.3.1/24", manager.bridgeNetwork.String())

	// 0.1.0 ignored this error and panicked later; here it is returned.
	host = newStubHost("10.0.3.1/24")
	host.root.ipt.fail = func(argv string) error {
		if argv == "-t nat -N DOCKER" {
			return errors.New("iptables is not installed")
		}
		return nil
	}
	_, err = newNetworkManager(host, networkBridgeIface)
	assert.ErrorContains(t, err, "Failed to create DOCKER chain")
}

// After a Docker 1.2 daemon, whose jumps to DOCKER 0.1.0's clean-up does
// not know, the chain cannot be made again: the error says why.
func TestDockerChainOfAV12DaemonInTheWay(t *testing.T) {
	host := newFakeHostWithBridge(t)
	ipt := host.Root().IPTables()
	require.NoError(t, ipt.NewChain("nat", "DOCKER"))
	require.NoError(t, ipt.Append("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"))
	_, err := newNetworkManager(host, networkBridgeIface)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrDockerChainInUse)
	assert.ErrorIs(t, err, backend.ErrExists)
	assert.Contains(t, err.Error(), "Unable to setup port networking: Failed to create DOCKER chain")
	assert.Contains(t, err.Error(), "--dst-type LOCAL")
}

func BenchmarkIPAllocatorPrefill(b *testing.B) {
	for _, network := range []string{"10.0.3.1/24", "10.0.0.1/20", "172.17.42.1/16"} {
		b.Run(network, func(b *testing.B) {
			n := cidr(b, network)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := newIPAllocator(n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIPAllocatorAcquireRelease(b *testing.B) {
	alloc, err := newIPAllocator(cidr(b, "172.17.42.1/16"))
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		ip, err := alloc.Acquire()
		if err != nil {
			b.Fatal(err)
		}
		if err := alloc.Release(ip); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPortAllocatorPrefill(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := newPortAllocator(portRangeStart, portRangeEnd); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPortAllocatorAcquireRelease(b *testing.B) {
	alloc, err := newPortAllocator(portRangeStart, portRangeEnd)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		port, err := alloc.Acquire()
		if err != nil {
			b.Fatal(err)
		}
		if err := alloc.Release(port); err != nil {
			b.Fatal(err)
		}
	}
}

// runNetworkScenario is 0.1.0's networking on a whole kernel: the bridge
// as Ubuntu's lxc-net left it, a daemon start, one container with -p 80,
// its exit, and a daemon restart. It runs on the fake kernel here and on
// the real one (in a throwaway namespace) in network_linux_test.go.
func runNetworkScenario(t *testing.T, host backend.Host) {
	root := host.Root()
	require.NoError(t, root.AddBridge("lxcbr0", 1500))
	require.NoError(t, root.AddrAdd("lxcbr0", cidr(t, "10.0.3.1/24")))
	require.NoError(t, root.LinkSetUp("lxcbr0"))

	manager, err := newNetworkManager(host, networkBridgeIface)
	require.NoError(t, err)
	rules, err := root.IPTables().List(backend.TableNat, "DOCKER")
	require.NoError(t, err)
	assert.Equal(t, []string{"-N DOCKER"}, rules)
	for _, chain := range []string{"PREROUTING", "OUTPUT"} {
		jump, err := root.IPTables().Exists(backend.TableNat, chain, "-j", "DOCKER")
		require.NoError(t, err)
		assert.True(t, jump, "%s jumps to DOCKER with no match at all", chain)
	}

	iface, err := manager.Allocate()
	require.NoError(t, err)
	ext, err := iface.AllocatePort(80)
	require.NoError(t, err)
	assert.Equal(t, 49153, ext)
	rules, err = root.IPTables().List(backend.TableNat, "DOCKER")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"-N DOCKER",
		"-A DOCKER -p tcp -m tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80",
	}, rules)

	require.NoError(t, iface.Release())
	rules, err = root.IPTables().List(backend.TableNat, "DOCKER")
	require.NoError(t, err)
	assert.Equal(t, []string{"-N DOCKER"}, rules)

	// A second daemon start: a mapping left behind is flushed, and the
	// jumps are not duplicated.
	iface, err = manager.Allocate()
	require.NoError(t, err)
	_, err = iface.AllocatePort(8080)
	require.NoError(t, err)
	_, err = newNetworkManager(host, networkBridgeIface)
	require.NoError(t, err)
	rules, err = root.IPTables().List(backend.TableNat, "DOCKER")
	require.NoError(t, err)
	assert.Equal(t, []string{"-N DOCKER"}, rules)
	for _, chain := range []string{"PREROUTING", "OUTPUT"} {
		rules, err := root.IPTables().List(backend.TableNat, chain)
		require.NoError(t, err)
		assert.Equal(t, []string{"-P " + chain + " ACCEPT", "-A " + chain + " -j DOCKER"}, rules)
	}
}

func TestNetworkScenarioOnFakeKernel(t *testing.T) {
	host := fake.NewBare()
	defer host.Close()
	runNetworkScenario(t, host)
}

func TestNetworkManagerNeedsTheBridgeOnFakeKernel(t *testing.T) {
	host := fake.New() // lo and eth0, but no lxcbr0
	defer host.Close()
	_, err := newNetworkManager(host, networkBridgeIface)
	assert.ErrorIs(t, err, backend.ErrNotFound)
	assert.ErrorContains(t, err, "dockerlab v0.1 setup-bridge")
}
