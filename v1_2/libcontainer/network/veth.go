// The veth strategy: the bridge mode's cable. In the machine's namespace:
// create a pair vethXXXX/vethYYYY, make the first a port of the bridge,
// set its MTU, bring it up and move the second into the container's
// namespace. Inside: rename it eth0, give it the address and MTU, bring it
// up, route everything else through the gateway (the bridge's address).
//
// Upstream: vendor/src/github.com/docker/libcontainer/network/veth.go at
// v1.2.0.
// Book: ch.13 §13.5 网络栈资源 / 配置网络栈, ch.14 §14.3 网络.
// Notes: 001 "docker网络"; 003 "Docker容器中的网络".
package network

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"

	"github.com/dockerlab/dockerlab/backend"
)

// DefaultDevice is the name the inside end gets.
const DefaultDevice = "eth0"

// Veth is the strategy of the bridge mode.
type Veth struct{}

func (v *Veth) Create(root backend.Net, n *Network, nspid int, state *NetworkState) error {
	return v.create(root, n, backend.NSPid(nspid), state)
}

// create is Create with the target namespace as a reference (tests move
// the end into a named namespace).
func (*Veth) create(root backend.Net, n *Network, target backend.NSRef, state *NetworkState) error {
	if n.Bridge == "" {
		return fmt.Errorf("veth: no bridge given")
	}
	if n.VethPrefix == "" {
		return fmt.Errorf("veth: no veth prefix given")
	}
	//lab:begin ch07.veth-pair
	host, child, err := createVethPair(root, n.VethPrefix, n.Mtu)
	if err != nil {
		return err
	}
	steps := []struct {
		what string
		do   func() error
	}{
		{"attach " + host + " to " + n.Bridge, func() error { return root.LinkSetMaster(host, n.Bridge) }},
		{"set mtu of " + host, func() error { return setMtu(root, host, n.Mtu) }},
		{"bring " + host + " up", func() error { return root.LinkSetUp(host) }},
		{"move " + child + " into namespace " + target.String(), func() error {
			return root.LinkSetNs(child, target)
		}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			root.LinkDel(host) // its peer goes with it
			return fmt.Errorf("veth: %s: %w", s.what, err)
		}
	}
	state.VethHost, state.VethChild = host, child
	return nil
	//lab:end ch07.veth-pair
}

func (*Veth) Initialize(ns backend.Net, n *Network, state *NetworkState) error {
	child := state.VethChild
	if child == "" {
		return fmt.Errorf("veth: the child's end is not known (Create did not run)")
	}
	//lab:begin ch07.veth-pair
	ip, ipnet, err := net.ParseCIDR(n.Address)
	if err != nil {
		return fmt.Errorf("veth: address %q: %w", n.Address, err)
	}
	addr := &net.IPNet{IP: ip, Mask: ipnet.Mask}
	steps := []struct {
		what string
		do   func() error
	}{
		{"bring " + child + " down", func() error { return ns.LinkSetDown(child) }},
		{"rename " + child + " to " + DefaultDevice, func() error { return ns.LinkSetName(child, DefaultDevice) }},
		{"set " + DefaultDevice + " address " + n.Address, func() error { return ns.AddrAdd(DefaultDevice, addr) }},
		{"set " + DefaultDevice + " mtu", func() error { return setMtu(ns, DefaultDevice, n.Mtu) }},
		{"bring " + DefaultDevice + " up", func() error { return ns.LinkSetUp(DefaultDevice) }},
	}
	if n.Gateway != "" {
		gw := net.ParseIP(n.Gateway)
		if gw == nil {
			return fmt.Errorf("veth: gateway %q is not an IP address", n.Gateway)
		}
		steps = append(steps, struct {
			what string
			do   func() error
		}{"default route via " + n.Gateway, func() error {
			return ns.RouteAdd(backend.Route{Dst: backend.DefaultDst(), Gw: gw, LinkName: DefaultDevice})
		}})
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			return fmt.Errorf("veth: %s: %w", s.what, err)
		}
	}
	return nil
	//lab:end ch07.veth-pair
}

// createVethPair makes two random names with prefix and the pair, trying
// again if a name is taken (a 4-hex-digit suffix collides now and then).
func createVethPair(root backend.Net, prefix string, mtu int) (string, string, error) {
	last := fmt.Errorf("no free name with prefix %q", prefix)
	for try := 0; try < 10; try++ {
		host, err := randomName(prefix, 4)
		if err != nil {
			return "", "", err
		}
		child, err := randomName(prefix, 4)
		if err != nil {
			return "", "", err
		}
		if host == child {
			continue
		}
		if last = root.AddVeth(host, child, mtu); last == nil {
			return host, child, nil
		}
		if !errors.Is(last, backend.ErrExists) {
			break
		}
	}
	return "", "", fmt.Errorf("veth: create pair: %w", last)
}

// randomName is prefix plus size random hex digits.
func randomName(prefix string, size int) (string, error) {
	b := make([]byte, (size+1)/2)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(b)[:size], nil
}

func setMtu(n backend.Net, link string, mtu int) error {
	if mtu <= 0 {
		return nil // keep the kernel's default (1500)
	}
	return n.LinkSetMTU(link, mtu)
}
