// Rows: address and port allocation, v1.2 next to v0.1 (book ch.6 §6.4
// "ipallocator/portallocator"; docs/benchmarks.md).
//
// The teaching point: Docker 0.1.0 (v0_1/network.go) put every address of
// the bridge's network into a buffered channel when the daemon started, so
// it paid time and memory for the whole subnet up front and Acquire was a
// channel receive. Docker 1.2.0 (v1_2/daemon/networkdriver/ipallocator)
// keeps only the taken positions in a map and scans round-robin from the
// last one handed out, so nothing is paid up front and a request gets
// slower only as the network fills up. The reference is v1.2 on an empty /16.
package main

import (
	"fmt"
	"math/rand"
	"net"
	"strings"

	docker01 "github.com/dockerlab/dockerlab/v0_1"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/ipallocator"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portallocator"
)

const (
	allocOps = 1000
	ipRef    = "v1.2 RequestIP+ReleaseIP, /16 0% full"
	v01Ref   = "v0.1 NewIPAllocator (pre-fill), /24"
)

func allocRows() []row {
	const slash16 = "IP allocation on a /16: v1.2 lazy map vs v0.1 pre-filled channel"
	const sizes = "v0.1 IPAllocator pre-fill by network size"
	rows := []row{
		v12RequestIPRow(slash16, "10.1.0.1/16", 0, ""),
		v12RequestIPRow(slash16, "10.2.0.1/16", 50, ipRef),
		v12RequestIPRow(slash16, "10.3.0.1/16", 99, ipRef),
		v01PrefillRow(slash16, "10.4.0.1/16", " (whole subnet up front)", ipRef),
		{
			Group:     slash16,
			Name:      "v0.1 Acquire+Release, /16 (pre-filled)",
			Reference: ipRef,
			Ops:       allocOps,
			Mem:       true,
			Prepare: func() (func() error, func(), error) {
				network, err := bridgeCIDR("10.5.0.1/16")
				if err != nil {
					return nil, nil, err
				}
				alloc, err := docker01.NewIPAllocator(network)
				if err != nil {
					return nil, nil, err
				}
				return func() error {
					for i := 0; i < allocOps; i++ {
						ip, err := alloc.Acquire()
						if err != nil {
							return err
						}
						if err := alloc.Release(ip); err != nil {
							return err
						}
					}
					return nil
				}, nil, nil
			},
		},
		v01PrefillRow(sizes, "10.6.0.1/24", "", ""),
		v01PrefillRow(sizes, "10.7.0.1/20", "", v01Ref),
		v01PrefillRow(sizes, "10.8.0.1/16", "", v01Ref),
		{
			Group:     "v1.2 portallocator",
			Name:      "v1.2 RequestPort(0.0.0.0, tcp, 0)+ReleasePort",
			Reference: ipRef,
			Ops:       allocOps,
			Mem:       true,
			Prepare: func() (func() error, func(), error) {
				ip := net.IPv4zero
				return func() error {
						for i := 0; i < allocOps; i++ {
							port, err := portallocator.RequestPort(ip, "tcp", 0)
							if err != nil {
								return err
							}
							if err := portallocator.ReleasePort(ip, "tcp", port); err != nil {
								return err
							}
						}
						return nil
					}, func() {
						portallocator.ReleaseAll()
					}, nil
			},
		},
	}
	rows[0].Key = "v1.2 ip 0%"
	rows[5].Key = "v0.1 /24"
	return rows
}

// v12RequestIPRow measures a request and a release on a /16 that is
// percent full. The taken addresses are scattered at random (a fixed
// seed), as containers coming and going leave them, so the round-robin
// scan meets about 100/(100-percent) taken positions per request.
func v12RequestIPRow(group, cidr string, percent int, reference string) row {
	name := fmt.Sprintf("v1.2 RequestIP+ReleaseIP, /16 %d%% full", percent)
	return row{
		Group:     group,
		Name:      name,
		Reference: reference,
		Ops:       allocOps,
		Mem:       true,
		Prepare: func() (func() error, func(), error) {
			network, err := bridgeCIDR(cidr)
			if err != nil {
				return nil, nil, err
			}
			taken, err := fillNetwork(network, percent)
			if err != nil {
				return nil, nil, err
			}
			release := func() {
				for _, ip := range taken {
					ipallocator.ReleaseIP(network, ip)
				}
			}
			return func() error {
				for i := 0; i < allocOps; i++ {
					ip, err := ipallocator.RequestIP(network, nil)
					if err != nil {
						return err
					}
					if err := ipallocator.ReleaseIP(network, ip); err != nil {
						return err
					}
				}
				return nil
			}, release, nil
		},
	}
}

// fillNetwork takes percent of the addresses a request could get
// (positions 2 … size-2: not the network, network+1 — the bridge here —
// or the broadcast address), in random order.
func fillNetwork(network *net.IPNet, percent int) ([]*net.IP, error) {
	ones, bits := network.Mask.Size()
	size := 1 << (bits - ones)
	candidates := size - 3
	count := candidates * percent / 100
	base := network.IP.Mask(network.Mask).To4()
	first := int(base[0])<<24 | int(base[1])<<16 | int(base[2])<<8 | int(base[3])
	rng := rand.New(rand.NewSource(1))
	taken := make([]*net.IP, 0, count)
	for _, off := range rng.Perm(candidates)[:count] {
		n := first + 2 + off
		ip := net.IPv4(byte(n>>24), byte(n>>16), byte(n>>8), byte(n)).To4()
		got, err := ipallocator.RequestIP(network, &ip)
		if err != nil {
			return taken, fmt.Errorf("fill %v to %d%%: %v: %w", network, percent, ip, err)
		}
		taken = append(taken, got)
	}
	return taken, nil
}

// v01PrefillRow measures building a v0.1 allocator: one channel slot and
// one net.IP per address. suffix tells apart two rows on the same size.
func v01PrefillRow(group, cidr, suffix, reference string) row {
	prefix := cidr[strings.IndexByte(cidr, '/'):]
	return row{
		Group:     group,
		Name:      "v0.1 NewIPAllocator (pre-fill), " + prefix + suffix,
		Reference: reference,
		Mem:       true,
		Prepare: func() (func() error, func(), error) {
			network, err := bridgeCIDR(cidr)
			if err != nil {
				return nil, nil, err
			}
			return func() error {
				_, err := docker01.NewIPAllocator(network)
				return err
			}, nil, nil
		},
	}
}

// bridgeCIDR parses the bridge's address with its prefix, as both daemons
// see it (network.IP is the bridge's own address, not the network's).
func bridgeCIDR(s string) (*net.IPNet, error) {
	ip, network, err := net.ParseCIDR(s)
	if err != nil {
		return nil, err
	}
	network.IP = ip.To4()
	return network, nil
}
