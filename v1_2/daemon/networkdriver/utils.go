// Overlap checks, range arithmetic and interface queries.
//
// Upstream: daemon/networkdriver/utils.go at v1.2.0. See
// docs/upstream/v1.2.0.md §3.1 step 2 (createBridge) and §3.6
// (network_test.go).
// Book: ch.6 §6.4.
// Notes: 000 "创建Docker网络设备".
package networkdriver

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
)

// ErrNoDefaultRoute: the main table has no 0.0.0.0/0 route.
var ErrNoDefaultRoute = errors.New("no default route")

// CheckNameserverOverlaps refuses toCheck when it contains a nameserver
// (given as CIDRs, e.g. "10.0.2.3/32"): the containers would lose DNS.
func CheckNameserverOverlaps(nameservers []string, toCheck *net.IPNet) error {
	for _, ns := range nameservers {
		_, nsNetwork, err := net.ParseCIDR(ns)
		if err != nil {
			return err
		}
		if NetworkOverlaps(toCheck, nsNetwork) {
			return ErrNetworkOverlapsWithNameservers
		}
	}
	return nil
}

// CheckRouteOverlaps refuses toCheck when a route of the main table
// already leads into it. Default routes do not count: they overlap
// everything (upstream's netlink left their destination nil).
func CheckRouteOverlaps(toCheck *net.IPNet) error {
	n, err := rootNet()
	if err != nil {
		return err
	}
	routes, err := n.RouteList()
	if err != nil {
		return err
	}
	for _, r := range routes {
		if isDefault(r.Dst) || r.Dst.IP.To4() == nil {
			continue
		}
		if NetworkOverlaps(toCheck, r.Dst) {
			return ErrNetworkOverlaps
		}
	}
	return nil
}

func isDefault(dst *net.IPNet) bool {
	if dst == nil {
		return true
	}
	ones, _ := dst.Mask.Size()
	return ones == 0
}

// NetworkOverlaps says whether two networks share an address. Two CIDR
// blocks either nest or are disjoint, so it is enough to test whether
// either one contains the other's first address.
func NetworkOverlaps(netX *net.IPNet, netY *net.IPNet) bool {
	if firstIP, _ := NetworkRange(netX); netY.Contains(firstIP) {
		return true
	}
	if firstIP, _ := NetworkRange(netY); netX.Contains(firstIP) {
		return true
	}
	return false
}

// NetworkRange returns the first (network) and last (broadcast) address
// of an IPv4 network.
func NetworkRange(network *net.IPNet) (net.IP, net.IP) {
	netIP := network.IP.To4()
	mask := ipv4Mask(network.Mask)
	firstIP := netIP.Mask(mask)
	lastIP := make(net.IP, net.IPv4len)
	for i := range lastIP {
		lastIP[i] = netIP[i] | ^mask[i]
	}
	return firstIP, lastIP
}

// ipv4Mask accepts a 4-byte mask or a 16-byte one (as net.IPv4Mask in
// 16-byte form, or a mask parsed from an IPv4-mapped address).
func ipv4Mask(m net.IPMask) net.IPMask {
	if len(m) == net.IPv6len {
		return m[12:]
	}
	return m
}

// NetworkSize is the number of addresses a mask covers, network and
// broadcast included (/24 → 256). A /0 overflows int32 to 0, as upstream.
func NetworkSize(mask net.IPMask) int32 {
	m := ipv4Mask(mask)
	inv := make([]byte, net.IPv4len)
	for i := range inv {
		inv[i] = ^m[i]
	}
	return int32(binary.BigEndian.Uint32(inv)) + 1
}

// GetIfaceAddr returns the first IPv4 address of the named link, with its
// prefix (e.g. 172.17.42.1/16), as a *net.IPNet.
func GetIfaceAddr(name string) (net.Addr, error) {
	n, err := rootNet()
	if err != nil {
		return nil, err
	}
	if _, err := n.LinkByName(name); err != nil {
		return nil, err
	}
	addrs, err := n.AddrList(name)
	if err != nil {
		return nil, err
	}
	var addrs4 []net.Addr
	for _, a := range addrs {
		if a.IPNet != nil && a.IPNet.IP.To4() != nil {
			addrs4 = append(addrs4, a.IPNet)
		}
	}
	switch {
	case len(addrs4) == 0:
		return nil, fmt.Errorf("Interface %v has no IP addresses", name)
	case len(addrs4) > 1:
		fmt.Printf("Interface %v has more than 1 IPv4 address. Defaulting to using %v\n",
			name, addrs4[0].(*net.IPNet).IP)
	}
	return addrs4[0], nil
}

// GetDefaultRouteIface returns the link the default route goes through.
// Only Index, Name, MTU, HardwareAddr and the up flag are filled in: what
// a backend.Link knows.
func GetDefaultRouteIface() (*net.Interface, error) {
	n, err := rootNet()
	if err != nil {
		return nil, err
	}
	routes, err := n.RouteList()
	if err != nil {
		return nil, fmt.Errorf("unable to get routes: %v", err)
	}
	for _, r := range routes {
		if !isDefault(r.Dst) {
			continue
		}
		l, err := n.LinkByName(r.LinkName)
		if err != nil {
			return nil, err
		}
		iface := &net.Interface{Index: l.Index, Name: l.Name, MTU: l.MTU, HardwareAddr: l.HardwareAddr}
		if l.Up {
			iface.Flags |= net.FlagUp
		}
		return iface, nil
	}
	return nil, ErrNoDefaultRoute
}
