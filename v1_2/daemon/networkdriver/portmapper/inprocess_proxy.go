// The in-process userland proxy: a pkg/proxy Proxy on a goroutine of the
// daemon, its sockets made through an Enter function.
//
// Not upstream: Docker 1.2.0 always re-executed itself as docker-proxy (see
// proxy.go, proxy_main.go; docs/upstream/v1.2.0.md §3.5).
//
// Why it is kept: it is the shortest way to read what docker-proxy does
// (listen, dial, copy) without a second process, and it serves callers
// that want a proxy in a namespace of their own choosing (InNamespace).
// The daemon no longer uses it by default: on the linux backend it uses
// the re-executed docker-proxy (proxy.go), on the fake backend a
// proxy that opens no sockets (see docs/divergences.md "The userland proxy").
package portmapper

import (
	"errors"
	"net"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/pkg/proxy"
)

// InNamespace returns a NewProxy whose proxies make their sockets through
// enter (see pkg/proxy.Enter).
func InNamespace(enter proxy.Enter) func(string, net.IP, int, net.IP, int) UserlandProxy {
	return func(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
		return newInProcessProxy(enter, proto, hostIP, hostPort, containerIP, containerPort)
	}
}

// inProcessProxy runs a pkg/proxy Proxy on a goroutine.
type inProcessProxy struct {
	enter           proxy.Enter
	host, container net.Addr

	mu   sync.Mutex
	p    proxy.Proxy
	done chan struct{} // closed when Run returns
}

func newInProcessProxy(enter proxy.Enter, proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) *inProcessProxy {
	host, container := addrs(proto, hostIP, hostPort, containerIP, containerPort)
	return &inProcessProxy{enter: enter, host: host, container: container}
}

// addrs builds the two addresses; an unknown proto gives nil ones, which
// Start reports.
func addrs(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) (net.Addr, net.Addr) {
	switch proto {
	case "tcp":
		return &net.TCPAddr{IP: hostIP, Port: hostPort}, &net.TCPAddr{IP: containerIP, Port: containerPort}
	case "udp":
		return &net.UDPAddr{IP: hostIP, Port: hostPort}, &net.UDPAddr{IP: containerIP, Port: containerPort}
	}
	return nil, nil
}

// Start binds the host port and starts forwarding.
func (pp *inProcessProxy) Start() error {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.host == nil {
		return errors.New("unsupported protocol: want tcp or udp")
	}
	if pp.p != nil {
		return errors.New("proxy already started")
	}
	p, err := proxy.NewProxyIn(pp.enter, pp.host, pp.container)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	pp.p, pp.done = p, done
	go func() { p.Run(); close(done) }()
	return nil
}

// Stop closes the proxy and waits for it to finish, as upstream's Stop
// signalled the proxy process and waited for it.
func (pp *inProcessProxy) Stop() error {
	pp.mu.Lock()
	p, done := pp.p, pp.done
	pp.p = nil
	pp.mu.Unlock()
	if p == nil {
		return nil
	}
	p.Close()
	<-done
	return nil
}
