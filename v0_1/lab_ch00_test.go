// Tests of the exercise ch00.ip-allocator (IPAllocator: the channel
// populate fills with every address, Acquire and Release):
// `dockerlab lab check ch00.ip-allocator`, or
// `go test ./v0_1 -run TestCh00IpAllocator`.
package docker

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
