// Tests of the exercises of the prologue in this package:
//   - ch00.ip-allocator (IPAllocator: the channel populate fills with every
//     address, Acquire and Release): `dockerlab lab check
//     ch00.ip-allocator`, or `go test ./v0_1 -run TestCh00IpAllocator`;
//   - ch00.port-mapper (PortMapper: the DOCKER chain, its two jumps, the
//     DNAT rules): `dockerlab lab check ch00.port-mapper`, or
//     `go test ./v0_1 -run TestCh00PortMapper`. They run on the kernel lab
//     check chose (labtest.Host): the fake by default, the real one with
//     --backend linux.
package docker

import (
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/lab/labtest"
)

// labDrain takes every address the allocator has, in order. No network
// here has more than 256 addresses, so an Acquire that never runs out is
// a bug, reported after that many.
func labDrain(t *testing.T, alloc *IPAllocator) []string {
	t.Helper()
	var got []string
	for range 256 {
		ip, err := labAcquire(t, alloc)
		if err != nil {
			assert.EqualError(t, err, "No more IP addresses available")
			return got
		}
		got = append(got, ip.String())
	}
	t.Fatalf("Acquire handed out 256 addresses and never said \"No more IP addresses available\"; the first ones: %v", got[:5])
	return nil
}

// labBlocked remembers that Acquire or Release blocked once, so that the
// later tests fail at once instead of waiting for the guard again.
var labBlocked atomic.Bool

// labAcquire is alloc.Acquire, failing the test instead of hanging when
// Acquire blocks: an empty channel must be an error at once.
func labAcquire(t *testing.T, alloc *IPAllocator) (net.IP, error) {
	t.Helper()
	if labBlocked.Load() {
		t.Fatal("Acquire or Release blocked in an earlier test (see it): fix that first")
	}
	type result struct {
		ip  net.IP
		err error
	}
	done := make(chan result, 1)
	go func() {
		ip, err := alloc.Acquire()
		done <- result{ip, err}
	}()
	select {
	case r := <-done:
		return r.ip, r.err
	case <-time.After(5 * time.Second):
		labBlocked.Store(true)
		t.Fatal("Acquire blocked: with no address left it must fail at once (a select with a default case)")
		return nil, nil
	}
}

// labRelease is alloc.Release with the same guard.
func labRelease(t *testing.T, alloc *IPAllocator, ip string) error {
	t.Helper()
	if labBlocked.Load() {
		t.Fatal("Acquire or Release blocked in an earlier test (see it): fix that first")
	}
	done := make(chan error, 1)
	go func() { done <- alloc.Release(net.ParseIP(ip).To4()) }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		labBlocked.Store(true)
		t.Fatal("Release blocked: with the channel full it must fail at once (a select with a default case)")
		return nil
	}
}

// lxcbr0's 10.0.3.1/24: 253 addresses, .2 to .254, in order, in a channel
// exactly that big; then "No more IP addresses available".
func TestCh00IpAllocator(t *testing.T) {
	alloc, err := newIPAllocator(cidr(t, "10.0.3.1/24"))
	require.NoError(t, err)
	require.NotNil(t, alloc.queue, "populate makes the channel")
	assert.Equal(t, 253, cap(alloc.queue), "size-3 slots: not the network, the broadcast or the bridge address")
	got := labDrain(t, alloc)
	require.Len(t, got, 253)
	assert.Equal(t, "10.0.3.2", got[0])
	assert.Equal(t, "10.0.3.254", got[252])
	for i, ip := range got {
		assert.Equal(t, net.IPv4(10, 0, 3, byte(i+2)).String(), ip, "address %d", i)
	}
}

// The bridge's own address is skipped wherever it is in the network.
func TestCh00IpAllocator_SkipsTheBridge(t *testing.T) {
	alloc, err := newIPAllocator(cidr(t, "192.168.1.5/29"))
	require.NoError(t, err)
	assert.Equal(t, []string{"192.168.1.1", "192.168.1.2", "192.168.1.3", "192.168.1.4", "192.168.1.6"}, labDrain(t, alloc))
}

// A released address goes to the back of the queue: first in, first out.
func TestCh00IpAllocator_ReleaseFIFO(t *testing.T) {
	alloc, err := newIPAllocator(cidr(t, "10.0.0.1/29")) // .2 … .6
	require.NoError(t, err)
	ip, err := labAcquire(t, alloc)
	require.NoError(t, err)
	assert.Equal(t, "10.0.0.2", ip.String())
	require.NoError(t, labRelease(t, alloc, "10.0.0.2"))
	assert.Equal(t, []string{"10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.2"}, labDrain(t, alloc))
}

// Neither end ever waits: an empty channel fails Acquire, a full one
// fails Release, both at once.
func TestCh00IpAllocator_NeverBlocks(t *testing.T) {
	alloc, err := newIPAllocator(cidr(t, "10.0.0.1/30")) // only .2
	require.NoError(t, err)
	err = labRelease(t, alloc, "10.9.9.9")
	assert.EqualError(t, err, "Too many IP addresses have been released", "the channel is full")
	ip, err := labAcquire(t, alloc)
	require.NoError(t, err)
	assert.Equal(t, "10.0.0.2", ip.String())
	_, err = labAcquire(t, alloc)
	assert.EqualError(t, err, "No more IP addresses available")
}

// labNatRules lists the rules of one nat chain as `iptables -t nat -S
// CHAIN` prints them, without the -P and -N lines.
func labNatRules(t *testing.T, ipt backend.IPTables, chain string) []string {
	t.Helper()
	lines, err := ipt.List("nat", chain)
	require.NoError(t, err, "the nat chain %s", chain)
	rules := []string{}
	for _, l := range lines {
		if strings.HasPrefix(l, "-A ") {
			rules = append(rules, l)
		}
	}
	return rules
}

// labDest is a container's address and port.
func labDest(ip string, port int) net.TCPAddr {
	return net.TCPAddr{IP: net.ParseIP(ip).To4(), Port: port}
}

// A fresh machine: the DOCKER chain, one jump to it from PREROUTING
// (packets coming in) and one from OUTPUT (the host's own), each with no
// match at all; then one DNAT rule per published port.
func TestCh00PortMapper(t *testing.T) {
	ipt := labtest.Host(t).Root().IPTables()
	mapper, err := newPortMapper(ipt)
	require.NoError(t, err, "a fresh machine has no DOCKER chain yet: cleanup ignores the errors of removing it")
	assert.Equal(t, []string{"-A PREROUTING -j DOCKER"}, labNatRules(t, ipt, "PREROUTING"),
		"every incoming packet goes through DOCKER: 0.1.0's jump has no match (no --dst-type LOCAL)")
	assert.Equal(t, []string{"-A OUTPUT -j DOCKER"}, labNatRules(t, ipt, "OUTPUT"),
		"so does every packet the host sends itself")
	assert.Empty(t, labNatRules(t, ipt, "DOCKER"), "no port is published yet")

	require.NoError(t, mapper.Map(49153, labDest("10.0.3.2", 80)))
	require.NoError(t, mapper.Map(49154, labDest("10.0.3.3", 8080)))
	assert.Equal(t, []string{
		"-A DOCKER -p tcp -m tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80",
		"-A DOCKER -p tcp -m tcp --dport 49154 -j DNAT --to-destination 10.0.3.3:8080",
	}, labNatRules(t, ipt, "DOCKER"), "TCP to the host port is rewritten to the container's address and port, one rule per port, in the order they were published")
}

// Unmap deletes exactly the rule Map added, and nothing else.
func TestCh00PortMapper_Unmap(t *testing.T) {
	ipt := labtest.Host(t).Root().IPTables()
	mapper, err := newPortMapper(ipt)
	require.NoError(t, err)
	require.NoError(t, mapper.Map(49153, labDest("10.0.3.2", 80)))
	require.NoError(t, mapper.Map(49154, labDest("10.0.3.3", 80)))
	require.NoError(t, mapper.Unmap(49153), "Unmap deletes (-D) the rule Map appended: the same arguments")
	assert.Equal(t, []string{"-A DOCKER -p tcp -m tcp --dport 49154 -j DNAT --to-destination 10.0.3.3:80"}, labNatRules(t, ipt, "DOCKER"))
	assert.EqualError(t, mapper.Unmap(49153), "Port is not mapped")
}

// A daemon that starts again finds the previous one's chain. cleanup
// takes the jumps and the chain away, rules and all, so setup starts from
// nothing: one jump each, an empty DOCKER. (That is how 0.1.0 dropped the
// mappings of containers still running.)
func TestCh00PortMapper_Restart(t *testing.T) {
	ipt := labtest.Host(t).Root().IPTables()
	first, err := newPortMapper(ipt)
	require.NoError(t, err)
	require.NoError(t, first.Map(49153, labDest("10.0.3.2", 80)))

	second, err := newPortMapper(ipt)
	require.NoError(t, err, "the second start must clean up first: flush the chain (-F) before deleting it (-X), or -X fails and -N finds it there")
	assert.Equal(t, []string{"-A PREROUTING -j DOCKER"}, labNatRules(t, ipt, "PREROUTING"), "one jump, not two")
	assert.Equal(t, []string{"-A OUTPUT -j DOCKER"}, labNatRules(t, ipt, "OUTPUT"), "one jump, not two")
	assert.Empty(t, labNatRules(t, ipt, "DOCKER"), "the previous daemon's DNAT rules are gone")
	assert.EqualError(t, second.Unmap(49153), "Port is not mapped", "cleanup also starts a new, empty table of mappings")
	require.NoError(t, second.Map(49153, labDest("10.0.3.4", 80)), "cleanup leaves a table of mappings Map can write to")
}

// The jumps are appended after the rules the machine already has, and
// cleanup removes only its own.
func TestCh00PortMapper_KeepsOtherRules(t *testing.T) {
	ipt := labtest.Host(t).Root().IPTables()
	require.NoError(t, ipt.Append("nat", "PREROUTING", "-p", "udp", "-j", "ACCEPT"))
	_, err := newPortMapper(ipt)
	require.NoError(t, err)
	assert.Equal(t, []string{"-A PREROUTING -p udp -j ACCEPT", "-A PREROUTING -j DOCKER"}, labNatRules(t, ipt, "PREROUTING"),
		"-A PREROUTING: after what was there")
}

// setup's failures say which step failed, and keep the kernel's cause.
func TestCh00PortMapper_SetupErrors(t *testing.T) {
	for failing, want := range map[string]string{
		"-t nat -N DOCKER":               "Unable to setup port networking: Failed to create DOCKER chain",
		"-t nat -A PREROUTING -j DOCKER": "Unable to setup port networking: Failed to inject docker in PREROUTING chain",
		"-t nat -A OUTPUT -j DOCKER":     "Unable to setup port networking: Failed to inject docker in OUTPUT chain",
	} {
		ipt := &stubIPTables{fail: func(argv string) error {
			if argv == failing {
				return backend.ErrnoError(syscall.EEXIST, "iptables", argv)
			}
			return nil
		}}
		_, err := newPortMapper(ipt)
		require.Error(t, err, "%s failed: newPortMapper must fail", failing)
		assert.True(t, strings.HasPrefix(err.Error(), want), "%s failed; the error should start with %q: %v", failing, want, err)
		assert.ErrorIs(t, err, syscall.EEXIST, "wrap the cause (%%w), as the iptables helper does")
	}
}

// On the real kernel (lab check --backend linux, as root), the nat table
// is what the fake kernel shows, dump for dump.
func TestCh00PortMapper_LinuxParity(t *testing.T) {
	real := linuxtest.NewHost(t) // skips, saying why, unless root on Linux
	faked := fake.NewBare()
	var dumps []string
	for _, h := range []backend.Host{real, faked} {
		mapper, err := newPortMapper(h.Root().IPTables())
		require.NoError(t, err)
		require.NoError(t, mapper.Map(49153, labDest("10.0.3.2", 80)))
		dump, err := h.Root().IPTables().Save()
		require.NoError(t, err)
		dumps = append(dumps, dump)
	}
	assert.Equal(t, dumps[1], dumps[0])
}
