// Tests for proxy.go: the in-process proxy really forwards on loopback,
// and docker-proxy's flags parse as upstream's did.
package portmapper

import (
	"bytes"
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInProcessProxyForwards(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	back := l.Addr().(*net.TCPAddr)

	// Find a free host port, then let the proxy take it.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hostPort := probe.Addr().(*net.TCPAddr).Port
	probe.Close()

	p := NewProxyCommand("tcp", net.ParseIP("127.0.0.1"), hostPort, back.IP, back.Port)
	require.NoError(t, p.Start())
	assert.Error(t, p.Start(), "a second Start is refused")

	c, err := net.Dial("tcp", (&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: hostPort}).String())
	require.NoError(t, err)
	c.Write([]byte("ping"))
	c.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "ping", string(got))
	c.Close()

	require.NoError(t, p.Stop())
	require.NoError(t, p.Stop(), "stopping twice is harmless")
	_, err = net.Dial("tcp", (&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: hostPort}).String())
	assert.Error(t, err, "nobody listens after Stop")
}

func TestInProcessProxyBadProto(t *testing.T) {
	p := NewProxyCommand("sctp", net.IPv4zero, 1, net.IPv4zero, 1)
	assert.Error(t, p.Start())
	assert.NoError(t, p.Stop())
}

func TestParseProxyFlags(t *testing.T) {
	var stderr bytes.Buffer
	host, container, err := parseHostContainerAddrs([]string{
		"-proto", "udp", "-host-ip", "0.0.0.0", "-host-port", "5353",
		"-container-ip", "172.17.0.2", "-container-port", "53"}, &stderr)
	require.NoError(t, err)
	assert.Equal(t, &net.UDPAddr{IP: net.ParseIP("0.0.0.0"), Port: 5353}, host)
	assert.Equal(t, &net.UDPAddr{IP: net.ParseIP("172.17.0.2"), Port: 53}, container)

	for _, bad := range [][]string{
		{"-proto", "sctp", "-host-ip", "0.0.0.0", "-host-port", "1", "-container-ip", "1.2.3.4", "-container-port", "1"},
		{"-host-ip", "nope", "-host-port", "1", "-container-ip", "1.2.3.4", "-container-port", "1"},
		{"-host-ip", "0.0.0.0", "-host-port", "1", "-container-ip", "1.2.3.4"},
		{"-bogus"},
	} {
		_, _, err := parseHostContainerAddrs(bad, &stderr)
		assert.Error(t, err, "%v", bad)
	}
	assert.Equal(t, 2, ProxyMain([]string{"-bogus"}, &stderr))
}
