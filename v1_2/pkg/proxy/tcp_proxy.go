// TCP: one listener; for each accepted client, a connection to the
// backend and two copy loops, one per direction.
//
// Upstream: pkg/proxy/tcp_proxy.go at v1.2.0. See docs/upstream/v1.2.0.md
// §3.5.
package proxy

import (
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"syscall"
)

// TCPProxy forwards TCP connections.
type TCPProxy struct {
	enter        Enter
	listener     *net.TCPListener
	frontendAddr *net.TCPAddr
	backendAddr  *net.TCPAddr

	mu     sync.Mutex
	conns  map[*net.TCPConn]struct{} // open client and backend connections, closed by Close
	closed bool
}

// NewTCPProxy listens on frontendAddr in the caller's namespace.
func NewTCPProxy(frontendAddr, backendAddr *net.TCPAddr) (*TCPProxy, error) {
	return NewTCPProxyIn(nil, frontendAddr, backendAddr)
}

// NewTCPProxyIn listens on frontendAddr inside enter.
func NewTCPProxyIn(enter Enter, frontendAddr, backendAddr *net.TCPAddr) (*TCPProxy, error) {
	if enter == nil {
		enter = here
	}
	return newTCPProxy(enter, enter, frontendAddr, backendAddr)
}

// newTCPProxy listens through listen; its dials go through dial.
func newTCPProxy(listen, dial Enter, frontendAddr, backendAddr *net.TCPAddr) (*TCPProxy, error) {
	var listener *net.TCPListener
	err := listen(func() (err error) {
		listener, err = net.ListenTCP("tcp", frontendAddr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &TCPProxy{
		enter:    dial,
		listener: listener,
		// With port 0 the kernel chose one; report the real one.
		frontendAddr: listener.Addr().(*net.TCPAddr),
		backendAddr:  backendAddr,
		conns:        map[*net.TCPConn]struct{}{},
	}, nil
}

// clientLoop connects client to the backend and copies both ways until
// both directions are done.
func (proxy *TCPProxy) clientLoop(client *net.TCPConn) {
	defer proxy.forget(client)
	var backend *net.TCPConn
	err := proxy.enter(func() (err error) {
		backend, err = net.DialTCP("tcp", nil, proxy.backendAddr)
		return err
	})
	if err != nil {
		log.Printf("Can't forward traffic to backend tcp/%v: %s\n", proxy.backendAddr, err)
		client.Close()
		return
	}
	defer proxy.forget(backend)
	if !proxy.track(backend) {
		client.Close()
		backend.Close()
		return
	}
	var wg sync.WaitGroup
	broker := func(to, from *net.TCPConn) {
		defer wg.Done()
		_, err := io.Copy(to, from)
		if errors.Is(err, syscall.EPIPE) {
			// The writer's side was shut down; tell the reader's peer.
			from.CloseWrite()
		}
		// Half-close: the other direction may still have data.
		to.CloseWrite()
	}
	wg.Add(2)
	go broker(client, backend)
	go broker(backend, client)
	wg.Wait()
	client.Close()
	backend.Close()
}

func (proxy *TCPProxy) track(c *net.TCPConn) bool {
	proxy.mu.Lock()
	defer proxy.mu.Unlock()
	if proxy.closed {
		return false
	}
	proxy.conns[c] = struct{}{}
	return true
}

func (proxy *TCPProxy) forget(c *net.TCPConn) {
	proxy.mu.Lock()
	delete(proxy.conns, c)
	proxy.mu.Unlock()
}

// Run accepts clients until Close.
func (proxy *TCPProxy) Run() {
	for {
		client, err := proxy.listener.AcceptTCP()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.Printf("Stopping proxy on tcp/%v for tcp/%v (%s)", proxy.frontendAddr, proxy.backendAddr, err)
			}
			return
		}
		if !proxy.track(client) {
			client.Close()
			return
		}
		go proxy.clientLoop(client)
	}
}

// Close stops listening and cuts every open connection.
func (proxy *TCPProxy) Close() {
	proxy.mu.Lock()
	proxy.closed = true
	for c := range proxy.conns {
		c.Close() // both copy loops of its clientLoop then end
	}
	proxy.mu.Unlock()
	proxy.listener.Close()
}

func (proxy *TCPProxy) FrontendAddr() net.Addr { return proxy.frontendAddr }
func (proxy *TCPProxy) BackendAddr() net.Addr  { return proxy.backendAddr }
