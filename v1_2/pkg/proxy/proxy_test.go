// Tests for the userland proxy: TCP and UDP echo through the proxy on
// loopback (no root needed), in the spirit of upstream's
// pkg/proxy/network_proxy_test.go (v1.2.0), written anew.
package proxy

import (
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var payload = []byte("Buffalo buffalo Buffalo buffalo buffalo buffalo Buffalo buffalo")

func tcpEcho(t *testing.T) *net.TCPAddr {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	return l.Addr().(*net.TCPAddr)
}

func udpEcho(t *testing.T) *net.UDPAddr {
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			c.WriteTo(buf[:n], from)
		}
	}()
	return c.LocalAddr().(*net.UDPAddr)
}

func TestTCPProxy(t *testing.T) {
	backend := tcpEcho(t)
	p, err := NewProxy(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, backend)
	require.NoError(t, err)
	go p.Run()
	defer p.Close()
	assert.NotZero(t, p.FrontendAddr().(*net.TCPAddr).Port, "the real port, not 0")
	assert.Equal(t, backend, p.BackendAddr())

	for i := 0; i < 3; i++ {
		c, err := net.Dial("tcp", p.FrontendAddr().String())
		require.NoError(t, err)
		_, err = c.Write(payload)
		require.NoError(t, err)
		c.(*net.TCPConn).CloseWrite() // the echo sees EOF, the proxy passes it on
		got, err := io.ReadAll(c)
		require.NoError(t, err)
		assert.Equal(t, payload, got)
		c.Close()
	}
}

func TestTCPProxyCloseCutsConnections(t *testing.T) {
	backend := tcpEcho(t)
	p, err := NewProxy(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, backend)
	require.NoError(t, err)
	done := make(chan struct{})
	go func() { p.Run(); close(done) }()

	c, err := net.Dial("tcp", p.FrontendAddr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("x"))
	require.NoError(t, err)
	buf := make([]byte, 1)
	_, err = io.ReadFull(c, buf)
	require.NoError(t, err)

	p.Close()
	<-done // Run returns
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Read(buf)
	assert.Error(t, err, "the open connection is cut")
	_, err = net.Dial("tcp", p.FrontendAddr().String())
	assert.Error(t, err, "nobody listens any more")
}

func TestTCPProxyBackendDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := l.Addr().(*net.TCPAddr)
	l.Close()
	p, err := NewProxy(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, dead)
	require.NoError(t, err)
	go p.Run()
	defer p.Close()
	c, err := net.Dial("tcp", p.FrontendAddr().String())
	require.NoError(t, err)
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Read(make([]byte, 1))
	assert.Error(t, err, "the proxy hangs up when the backend refuses")
}

func TestUDPProxy(t *testing.T) {
	backend := udpEcho(t)
	p, err := NewProxy(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, backend)
	require.NoError(t, err)
	go p.Run()
	defer p.Close()

	for i := 0; i < 2; i++ { // two clients, two conntrack entries
		c, err := net.Dial("udp", p.FrontendAddr().String())
		require.NoError(t, err)
		_, err = c.Write(payload)
		require.NoError(t, err)
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 2048)
		n, err := c.Read(buf)
		require.NoError(t, err)
		assert.Equal(t, payload, buf[:n])
		c.Close()
	}
}

func TestEnterIsUsed(t *testing.T) {
	backend := tcpEcho(t)
	var calls atomic.Int32
	enter := func(fn func() error) error { calls.Add(1); return fn() }
	p, err := NewProxyIn(enter, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, backend)
	require.NoError(t, err)
	go p.Run()
	defer p.Close()
	c, err := net.Dial("tcp", p.FrontendAddr().String())
	require.NoError(t, err)
	c.Write([]byte("hi"))
	c.(*net.TCPConn).CloseWrite()
	_, err = io.ReadAll(c)
	require.NoError(t, err)
	c.Close()
	assert.Equal(t, int32(2), calls.Load(), "listen and dial both go through enter")
}

func TestBadAddresses(t *testing.T) {
	_, err := NewProxy(&net.IPAddr{IP: net.IPv4(127, 0, 0, 1)}, &net.TCPAddr{})
	assert.Error(t, err)
	_, err = NewProxy(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, &net.UDPAddr{})
	assert.Error(t, err)
	_, err = NewProxy(&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}, &net.TCPAddr{})
	assert.Error(t, err)
}

func TestStubProxy(t *testing.T) {
	f, b := &net.TCPAddr{Port: 1}, &net.TCPAddr{Port: 2}
	p, err := NewStubProxy(f, b)
	require.NoError(t, err)
	p.Run()
	p.Close()
	assert.Equal(t, f, p.FrontendAddr())
	assert.Equal(t, b, p.BackendAddr())
}
