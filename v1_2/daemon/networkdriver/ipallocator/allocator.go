// Package ipallocator hands out container addresses on the bridge network,
// round-robin.
//
// Upstream: daemon/networkdriver/ipallocator/allocator.go at v1.2.0. See
// docs/upstream/v1.2.0.md §3.3, §3.6 (allocator_test.go).
// Book: ch.7 §7.4 (container start: allocate_interface → RequestIP); ch.6
// §6.5 (the bridge's network, the allocate_interface handler registered).
//
// Docker 0.1.0 pre-filled a channel with every address; 1.2.0 keeps only
// the taken ones, as offsets ("positions") from the network address, and
// remembers the last position handed out. The next request scans forward
// from there and wraps around, so a released address is not reused until
// the scan comes back to it: on 192.168.0.1/24, release .9 after handing
// out .2-.9 and the next address is .10, not .9.
package ipallocator

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver"
)

// allocatedMap is the set of taken positions of one network (not safe for
// concurrent use: the package lock guards it).
type allocatedMap struct {
	p    map[int32]struct{}
	last int32
}

func newAllocatedMap() *allocatedMap {
	return &allocatedMap{p: make(map[int32]struct{})}
}

// networkSet keys each network by its CIDR string, e.g. "172.17.42.1/16"
// (the gateway's address with its prefix, as GetIfaceAddr returns it).
type networkSet map[string]*allocatedMap

var (
	ErrNoAvailableIPs     = errors.New("no available ip addresses on network")
	ErrIPAlreadyAllocated = errors.New("ip already allocated")
)

var (
	lock         = sync.Mutex{}
	allocatedIPs = networkSet{}
)

// RequestIP takes an address on network: the next free one when ip is nil,
// otherwise ip itself if nobody has it. Like upstream, a requested ip is
// not checked against the network's range.
func RequestIP(network *net.IPNet, ip *net.IP) (*net.IP, error) {
	if err := checkArgs(network, ip); err != nil {
		return nil, err
	}
	lock.Lock()
	defer lock.Unlock()
	key := network.String()
	allocated, ok := allocatedIPs[key]
	if !ok {
		allocated = newAllocatedMap()
		allocatedIPs[key] = allocated
	}
	if ip == nil {
		return allocated.getNextIP(network)
	}
	return allocated.checkIP(network, ip)
}

// ReleaseIP gives ip back to network's pool. It always returns nil for
// valid arguments: releasing a free address is not an error.
func ReleaseIP(network *net.IPNet, ip *net.IP) error {
	if err := checkArgs(network, ip); err != nil {
		return err
	}
	if ip == nil {
		return fmt.Errorf("ipallocator: no ip to release on %s", network)
	}
	lock.Lock()
	defer lock.Unlock()
	if allocated, exists := allocatedIPs[network.String()]; exists {
		delete(allocated.p, getPosition(network, ip))
	}
	return nil
}

// checkArgs turns what made upstream panic (a nil network, an IPv6
// address) into an error.
func checkArgs(network *net.IPNet, ip *net.IP) error {
	if network == nil || network.IP.To4() == nil || len(network.Mask) == 0 {
		return fmt.Errorf("ipallocator: not an IPv4 network: %v", network)
	}
	if ip != nil && ip.To4() == nil {
		return fmt.Errorf("ipallocator: not an IPv4 address: %v", *ip)
	}
	return nil
}

// getPosition is ip's offset from the network address.
func getPosition(network *net.IPNet, ip *net.IP) int32 {
	first, _ := networkdriver.NetworkRange(network)
	return ipToInt(ip) - ipToInt(&first)
}

// checkIP marks a requested address as taken.
func (allocated *allocatedMap) checkIP(network *net.IPNet, ip *net.IP) (*net.IP, error) {
	pos := getPosition(network, ip)
	if _, ok := allocated.p[pos]; ok {
		return nil, ErrIPAlreadyAllocated
	}
	allocated.p[pos] = struct{}{}
	allocated.last = pos
	return ip, nil
}

// getNextIP scans positions 1..size-2 (never the network address, never
// the broadcast address) starting after the last one handed out. It skips
// the bridge's own address (network.IP, 172.17.42.1 for docker0) and
// network+1 (172.17.0.1): the /16 ranges kept their old /24 gateway
// addresses, and .1 stays reserved for whoever expects a gateway there.
//
//lab:exercise ch06.request-ip
func (allocated *allocatedMap) getNextIP(network *net.IPNet) (*net.IP, error) {
	var (
		ownIP    = ipToInt(&network.IP)
		first, _ = networkdriver.NetworkRange(network)
		base     = ipToInt(&first)
		max      = networkdriver.NetworkSize(network.Mask) - 2
		pos      = allocated.last
		firstIP  = base + 1
	)
	for i := int32(0); i < max; i++ {
		// A requested address below the network (RequestIP does no range
		// check) leaves last negative; Go's % keeps the sign, so bring it
		// back into 0..max-1 or the scan would hand out addresses below
		// the network, as upstream could.
		pos = (pos%max+max)%max + 1
		next := base + pos
		if next == ownIP || next == firstIP {
			continue
		}
		if _, ok := allocated.p[pos]; ok {
			continue
		}
		allocated.p[pos] = struct{}{}
		allocated.last = pos
		return intToIP(next), nil
	}
	return nil, ErrNoAvailableIPs
}

// ipToInt reads an IPv4 address as a big-endian 32-bit number.
func ipToInt(ip *net.IP) int32 {
	return int32(binary.BigEndian.Uint32(ip.To4()))
}

// intToIP is the inverse of ipToInt.
func intToIP(n int32) *net.IP {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, uint32(n))
	ip := net.IP(b)
	return &ip
}
