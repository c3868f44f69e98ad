// Package proxy is Docker 1.2.0's userland proxy: it listens on a host
// port and copies every TCP connection or UDP datagram to a container's
// address. It is what made `docker run -p` work for traffic from the host
// itself over loopback, which the DNAT rule in PREROUTING never sees.
//
// Upstream: pkg/proxy/proxy.go at v1.2.0, pkg/proxy/tcp_proxy.go at v1.2.0,
// pkg/proxy/udp_proxy.go at v1.2.0, pkg/proxy/stub_proxy.go at v1.2.0. See
// docs/upstream/v1.2.0.md §3.5 (portmapper runs it as "docker-proxy").
// Book: ch.7 §7.4 (port mapping).
//
// Divergence (the backend seam): a socket belongs to the network namespace
// of the thread that creates it. On the linux backend the bridge lives in
// a sandbox namespace, so the proxy must make its listening and its dialing
// sockets there. Every socket is therefore made inside an Enter function
// given to NewProxyIn (nil: the caller's own namespace, as upstream).
package proxy

import (
	"fmt"
	"net"
)

// Proxy forwards traffic from its frontend address to its backend address.
type Proxy interface {
	// Run forwards until Close; it blocks.
	Run()
	// Close stops forwarding and closes both ends.
	Close()
	// FrontendAddr is where the proxy listens (the real port when 0 was
	// asked for).
	FrontendAddr() net.Addr
	// BackendAddr is the address traffic is sent to.
	BackendAddr() net.Addr
}

// Enter runs fn so that the sockets fn makes belong to the right network
// namespace. docker-proxy (portmapper) passes one that runs fn on an OS thread
// switched into the backend's root namespace.
type Enter func(fn func() error) error

// here is the Enter of the caller's own namespace.
func here(fn func() error) error { return fn() }

// NewProxy makes a proxy in the caller's namespace.
func NewProxy(frontendAddr, backendAddr net.Addr) (Proxy, error) {
	return NewProxyIn(nil, frontendAddr, backendAddr)
}

// NewProxyIn makes a TCP or UDP proxy whose sockets are made through
// enter. Both addresses must be of the same kind.
func NewProxyIn(enter Enter, frontendAddr, backendAddr net.Addr) (Proxy, error) {
	return NewProxyBetween(enter, enter, frontendAddr, backendAddr)
}

// NewProxyBetween makes a proxy that listens through listen and dials the
// backend through dial: a bridge between two network namespaces. Not
// upstream: dockerlab's loopback forwarder listens on the VM's own
// 127.0.0.1 and dials containers inside the sandbox (portmapper).
func NewProxyBetween(listen, dial Enter, frontendAddr, backendAddr net.Addr) (Proxy, error) {
	if listen == nil {
		listen = here
	}
	if dial == nil {
		dial = here
	}
	switch front := frontendAddr.(type) {
	case *net.UDPAddr:
		back, ok := backendAddr.(*net.UDPAddr)
		if !ok {
			return nil, fmt.Errorf("proxy: udp frontend %v needs a udp backend, not %T", front, backendAddr)
		}
		return newUDPProxy(listen, dial, front, back)
	case *net.TCPAddr:
		back, ok := backendAddr.(*net.TCPAddr)
		if !ok {
			return nil, fmt.Errorf("proxy: tcp frontend %v needs a tcp backend, not %T", front, backendAddr)
		}
		return newTCPProxy(listen, dial, front, back)
	}
	// Upstream panicked here.
	return nil, fmt.Errorf("Unsupported protocol: %T", frontendAddr)
}
