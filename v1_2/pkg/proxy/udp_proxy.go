// UDP: one socket on the host port; for each client address a connected
// socket to the backend (a tiny userland conntrack), whose replies go back
// to that client. An entry dies after UDPConnTrackTimeout of silence.
//
// Upstream: pkg/proxy/udp_proxy.go at v1.2.0. See docs/upstream/v1.2.0.md
// §3.5.
package proxy

import (
	"errors"
	"log"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"
)

const (
	UDPConnTrackTimeout = 90 * time.Second
	UDPBufSize          = 65507 // the largest UDP payload over IPv4 (upstream: 2048)
)

// UDPProxy forwards UDP datagrams.
type UDPProxy struct {
	enter          Enter
	listener       *net.UDPConn
	frontendAddr   *net.UDPAddr
	backendAddr    *net.UDPAddr
	connTrackTable map[netip.AddrPort]*net.UDPConn
	connTrackLock  sync.Mutex
}

// NewUDPProxy listens on frontendAddr in the caller's namespace.
func NewUDPProxy(frontendAddr, backendAddr *net.UDPAddr) (*UDPProxy, error) {
	return NewUDPProxyIn(nil, frontendAddr, backendAddr)
}

// NewUDPProxyIn listens on frontendAddr inside enter.
func NewUDPProxyIn(enter Enter, frontendAddr, backendAddr *net.UDPAddr) (*UDPProxy, error) {
	if enter == nil {
		enter = here
	}
	return newUDPProxy(enter, enter, frontendAddr, backendAddr)
}

// newUDPProxy listens through listen; its dials go through dial.
func newUDPProxy(listen, dial Enter, frontendAddr, backendAddr *net.UDPAddr) (*UDPProxy, error) {
	var listener *net.UDPConn
	err := listen(func() (err error) {
		listener, err = net.ListenUDP("udp", frontendAddr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &UDPProxy{
		enter:          dial,
		listener:       listener,
		frontendAddr:   listener.LocalAddr().(*net.UDPAddr),
		backendAddr:    backendAddr,
		connTrackTable: map[netip.AddrPort]*net.UDPConn{},
	}, nil
}

// replyLoop sends the backend's answers to one client until the entry
// times out or the proxy closes.
func (proxy *UDPProxy) replyLoop(proxyConn *net.UDPConn, clientAddr *net.UDPAddr, key netip.AddrPort) {
	defer func() {
		proxy.connTrackLock.Lock()
		delete(proxy.connTrackTable, key)
		proxy.connTrackLock.Unlock()
		proxyConn.Close()
	}()
	buf := make([]byte, UDPBufSize)
	for {
		proxyConn.SetReadDeadline(time.Now().Add(UDPConnTrackTimeout))
		n, err := proxyConn.Read(buf)
		if err != nil {
			if errors.Is(err, syscall.ECONNREFUSED) {
				// Nothing listens in the container (yet): an ICMP
				// error for an earlier datagram. Keep the entry.
				continue
			}
			return
		}
		if _, err := proxy.listener.WriteToUDP(buf[:n], clientAddr); err != nil {
			return
		}
	}
}

// Run forwards datagrams until Close.
func (proxy *UDPProxy) Run() {
	buf := make([]byte, UDPBufSize)
	for {
		n, from, err := proxy.listener.ReadFromUDP(buf)
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.Printf("Stopping proxy on udp/%v for udp/%v (%s)", proxy.frontendAddr, proxy.backendAddr, err)
			}
			return
		}
		key := from.AddrPort()
		proxy.connTrackLock.Lock()
		proxyConn, hit := proxy.connTrackTable[key]
		if !hit {
			err = proxy.enter(func() (err error) {
				proxyConn, err = net.DialUDP("udp", nil, proxy.backendAddr)
				return err
			})
			if err != nil {
				log.Printf("Can't proxy a datagram to udp/%s: %s\n", proxy.backendAddr, err)
				proxy.connTrackLock.Unlock()
				continue
			}
			proxy.connTrackTable[key] = proxyConn
			go proxy.replyLoop(proxyConn, from, key)
		}
		proxy.connTrackLock.Unlock()
		if _, err := proxyConn.Write(buf[:n]); err != nil {
			log.Printf("Can't proxy a datagram to udp/%s: %s\n", proxy.backendAddr, err)
		}
	}
}

// Close stops the proxy and drops every conntrack entry.
func (proxy *UDPProxy) Close() {
	proxy.listener.Close()
	proxy.connTrackLock.Lock()
	defer proxy.connTrackLock.Unlock()
	for _, conn := range proxy.connTrackTable {
		conn.Close()
	}
}

func (proxy *UDPProxy) FrontendAddr() net.Addr { return proxy.frontendAddr }
func (proxy *UDPProxy) BackendAddr() net.Addr  { return proxy.backendAddr }
