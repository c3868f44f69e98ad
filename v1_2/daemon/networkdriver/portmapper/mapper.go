// Package portmapper publishes a container port on the host: a host port
// from portallocator, a DNAT/ACCEPT pair in the DOCKER chain, and a
// userland proxy for traffic the DNAT rule cannot see (from the host
// itself over loopback).
//
// Upstream: daemon/networkdriver/portmapper/mapper.go at v1.2.0. See
// docs/upstream/v1.2.0.md §3.5, §3.6 (mapper_test.go).
// Book: ch.7 §7.4 (`docker run -p`: the DNAT rule in DOCKER).
// Notes: 000 "外界访问Docker Container内部服务的流程" (DNAT from host ip:port_1 to
// container ip:port_0).
//
// Divergences (fixed upstream bugs; see docs/divergences.md):
//   - when the proxy failed to start, upstream removed the rules and freed
//     the port but left the mapping in its table, so the host port stayed
//     "already mapped" for good; here the mapping goes too.
//   - a nil hostIP (which the allocator already treated as 0.0.0.0) is
//     0.0.0.0 here too, instead of the key "<nil>:port" and "-d <nil>".
//   - on the linux backend's sandbox a published port also answers on the
//     VM's own 127.0.0.1, through a loopback forwarder (loopback.go).
package portmapper

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portallocator"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
)

// mapping is one published port.
type mapping struct {
	proto             string
	userlandProxy     UserlandProxy
	loopbackForwarder UserlandProxy // dockerlab's, loopback.go; nil when none
	host              net.Addr
	container         net.Addr
}

var (
	chain *iptables.Chain // nil: no iptables (--iptables=false, or tests)
	lock  sync.Mutex

	// currentMappings is keyed by getKey(host), e.g. "0.0.0.0:49153/tcp".
	currentMappings = make(map[string]*mapping)
)

var (
	ErrUnknownBackendAddressType = errors.New("unknown container address type not supported")
	ErrPortMappedForIP           = errors.New("port is already mapped to ip")
	ErrPortNotMapped             = errors.New("port is not mapped")
)

// SetIptablesChain sets the chain Map adds its DNAT rules to; the bridge
// driver calls it with the DOCKER chain.
func SetIptablesChain(c *iptables.Chain) {
	lock.Lock()
	chain = c
	lock.Unlock()
}

// Map publishes container (a *net.TCPAddr or *net.UDPAddr) on
// hostIP:hostPort (hostPort 0: a free port of the dynamic range) and
// returns the host address it got.
func Map(container net.Addr, hostIP net.IP, hostPort int) (host net.Addr, err error) {
	lock.Lock()
	defer lock.Unlock()

	if hostIP == nil {
		hostIP = net.IPv4zero
	}
	var (
		m                 *mapping
		proto             string
		allocatedHostPort int
		proxy             UserlandProxy
	)
	switch c := container.(type) {
	case *net.TCPAddr:
		proto = "tcp"
		if allocatedHostPort, err = portallocator.RequestPort(hostIP, proto, hostPort); err != nil {
			return nil, err
		}
		m = &mapping{proto: proto, host: &net.TCPAddr{IP: hostIP, Port: allocatedHostPort}, container: container}
		proxy = NewProxy(proto, hostIP, allocatedHostPort, c.IP, c.Port)
	case *net.UDPAddr:
		proto = "udp"
		if allocatedHostPort, err = portallocator.RequestPort(hostIP, proto, hostPort); err != nil {
			return nil, err
		}
		m = &mapping{proto: proto, host: &net.UDPAddr{IP: hostIP, Port: allocatedHostPort}, container: container}
		proxy = NewProxy(proto, hostIP, allocatedHostPort, c.IP, c.Port)
	default:
		return nil, ErrUnknownBackendAddressType
	}

	// From here on, any failure gives the host port back.
	defer func() {
		if err != nil {
			portallocator.ReleasePort(hostIP, proto, allocatedHostPort)
		}
	}()

	key := getKey(m.host)
	if _, exists := currentMappings[key]; exists {
		return nil, ErrPortMappedForIP
	}

	//lab:begin ch07.allocate-port
	//lab:stub _ = proxy
	//lab:stub return nil, lab.TODO("ch07.allocate-port")
	containerIP, containerPort := getIPAndPort(m.container)
	if err := forward(iptables.Add, m.proto, hostIP, allocatedHostPort, containerIP.String(), containerPort); err != nil {
		return nil, err
	}

	m.userlandProxy = proxy
	currentMappings[key] = m

	if err := proxy.Start(); err != nil {
		// Undo the rules and the table entry before saying no.
		forward(iptables.Delete, m.proto, hostIP, allocatedHostPort, containerIP.String(), containerPort)
		delete(currentMappings, key)
		return nil, err
	}
	startLoopbackForwarder(m, hostIP, allocatedHostPort)
	return m.host, nil
	//lab:end ch07.allocate-port
}

// Unmap stops the proxy of a published port, removes its rules and gives
// the host port back.
func Unmap(host net.Addr) error {
	lock.Lock()
	defer lock.Unlock()

	key := getKey(host)
	data, exists := currentMappings[key]
	if !exists {
		return ErrPortNotMapped
	}

	data.userlandProxy.Stop()
	if data.loopbackForwarder != nil {
		data.loopbackForwarder.Stop()
	}
	delete(currentMappings, key)

	containerIP, containerPort := getIPAndPort(data.container)
	hostIP, hostPort := getIPAndPort(data.host)
	if err := forward(iptables.Delete, data.proto, hostIP, hostPort, containerIP.String(), containerPort); err != nil {
		return err
	}
	return portallocator.ReleasePort(hostIP, data.proto, hostPort)
}

// getKey names a host address in currentMappings: "ip:port/proto".
func getKey(a net.Addr) string {
	switch t := a.(type) {
	case *net.TCPAddr:
		return fmt.Sprintf("%s:%d/%s", t.IP.String(), t.Port, "tcp")
	case *net.UDPAddr:
		return fmt.Sprintf("%s:%d/%s", t.IP.String(), t.Port, "udp")
	}
	return ""
}

func getIPAndPort(a net.Addr) (net.IP, int) {
	switch t := a.(type) {
	case *net.TCPAddr:
		return t.IP, t.Port
	case *net.UDPAddr:
		return t.IP, t.Port
	}
	return nil, 0
}

// forward adds or deletes the iptables rules of one mapping, if there is
// a chain.
func forward(action iptables.Action, proto string, sourceIP net.IP, sourcePort int, containerIP string, containerPort int) error {
	if chain == nil {
		return nil
	}
	return chain.Forward(action, sourceIP, sourcePort, proto, containerIP, containerPort)
}
