// The userland proxy on a machine whose sockets are its own: the fake
// backend's in-memory kernel (backend/fake/sockets.go). It does what
// docker-proxy does — listen on the published host port, and for each
// connection dial the container's port and copy both ways — with the
// sockets of the simulated machine instead of the daemon's, so that
// `wget 127.0.0.1:8080` on the machine, or a container reaching the
// machine's address (both skip the DNAT rule, note 000), still gets to
// the container as in Docker 1.2.
//
// Upstream: daemon/networkdriver/portmapper/proxy.go at v1.2.0,
// pkg/proxy/tcp_proxy.go at v1.2.0 (the copy loop: each direction ends with
// CloseRead on its source and CloseWrite on its destination).
// Book: ch.7 §7.4 (`docker run -p`).
// Notes: 000 "外界访问Docker Container内部服务的流程".
//
// Only TCP: the fake machine has no UDP sockets, so a UDP mapping gets its
// iptables rule and no proxy.
package portmapper

import (
	"errors"
	"io"
	"net"
	"strconv"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

// SocketKernel is a machine that makes TCP sockets in its network
// namespaces (*fake.Kernel).
type SocketKernel interface {
	Listen(ns backend.NSRef, network, address string) (net.Listener, error)
	Dial(ns backend.NSRef, network, address string) (net.Conn, error)
}

// InKernel returns a NewProxy whose proxies listen and dial in the root
// network namespace of k, where docker0 and the published ports are.
func InKernel(k SocketKernel) func(string, net.IP, int, net.IP, int) UserlandProxy {
	return func(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
		return &kernelProxy{k: k, proto: proto,
			host:      net.JoinHostPort(hostIP.String(), strconv.Itoa(hostPort)),
			container: net.JoinHostPort(containerIP.String(), strconv.Itoa(containerPort))}
	}
}

type kernelProxy struct {
	k               SocketKernel
	proto           string
	host, container string

	mu    sync.Mutex
	l     net.Listener
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// Start binds the host port (an error if it is taken) and serves.
func (p *kernelProxy) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.proto == "udp":
		return nil // no UDP sockets on this machine: the DNAT rule only
	case p.proto != "tcp":
		return errors.New("unsupported protocol: want tcp or udp")
	case p.l != nil:
		return errors.New("proxy already started")
	}
	l, err := p.k.Listen(backend.NSRef{}, "tcp", p.host)
	if err != nil {
		return err
	}
	p.l, p.conns = l, map[net.Conn]bool{}
	p.wg.Add(1)
	go p.acceptLoop(l)
	return nil
}

func (p *kernelProxy) acceptLoop(l net.Listener) {
	defer p.wg.Done()
	for {
		client, err := l.Accept()
		if err != nil {
			return // closed by Stop
		}
		p.wg.Add(1)
		go p.serve(client)
	}
}

// serve forwards one connection, as pkg/proxy's clientLoop.
func (p *kernelProxy) serve(client net.Conn) {
	defer p.wg.Done()
	backendConn, err := p.k.Dial(backend.NSRef{}, "tcp", p.container)
	if err != nil {
		client.Close() // upstream logged "Can't forward traffic to backend"
		return
	}
	if !p.track(client, backendConn) {
		client.Close()
		backendConn.Close()
		return
	}
	var both sync.WaitGroup
	both.Add(2)
	go copyHalf(&both, backendConn, client)
	go copyHalf(&both, client, backendConn)
	both.Wait()
	client.Close()
	backendConn.Close()
	p.untrack(client, backendConn)
}

// copyHalf copies one direction, then passes the end of file on.
func copyHalf(wg *sync.WaitGroup, to, from net.Conn) {
	defer wg.Done()
	_, _ = io.Copy(to, from)
	if c, ok := from.(interface{ CloseRead() error }); ok {
		_ = c.CloseRead()
	}
	if c, ok := to.(interface{ CloseWrite() error }); ok {
		_ = c.CloseWrite()
	}
}

func (p *kernelProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l == nil {
		return false // stopping
	}
	for _, c := range cs {
		p.conns[c] = true
	}
	return true
}

func (p *kernelProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
	}
}

// Stop closes the port and every forwarded connection and waits for the
// goroutines, as upstream's Stop waited for the proxy process.
func (p *kernelProxy) Stop() error {
	p.mu.Lock()
	l := p.l
	p.l = nil
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	if l == nil {
		return nil
	}
	l.Close()
	p.wg.Wait()
	return nil
}
