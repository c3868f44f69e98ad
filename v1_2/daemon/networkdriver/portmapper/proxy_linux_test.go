//go:build linux

// Root tests: a real docker-proxy process (this test binary re-executed)
// and the in-process proxy, both with their sockets inside a throwaway
// network namespace. Nothing listens in the machine's own namespace.
package portmapper

import (
	"errors"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/v1_2/pkg/proxy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoServerIn starts a TCP echo server on 127.0.0.1 inside the namespace
// reached by enter and returns its port.
func echoServerIn(t *testing.T, enter proxy.Enter) int {
	t.Helper()
	var l net.Listener
	require.NoError(t, enter(func() (err error) {
		l, err = net.Listen("tcp", "127.0.0.1:0")
		return err
	}))
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
	return l.Addr().(*net.TCPAddr).Port
}

// roundTrip connects to 127.0.0.1:port inside the namespace and returns
// what comes back for msg.
func roundTrip(enter proxy.Enter, port int, msg string) (string, error) {
	var got []byte
	err := enter(func() error {
		c, err := net.Dial("tcp", (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}).String())
		if err != nil {
			return err
		}
		defer c.Close()
		c.Write([]byte(msg))
		c.(*net.TCPConn).CloseWrite()
		got, err = io.ReadAll(c)
		return err
	})
	return string(got), err
}

// namespace gives a throwaway namespace with lo up, and an Enter into it.
func namespace(t *testing.T) (string, proxy.Enter) {
	h := linuxtest.NewLinuxHost(t)
	require.NoError(t, h.Root().LinkSetUp("lo")) // a new namespace's lo starts down
	path := h.Options().NetNSPath
	enter, err := enterNetNS(path)
	require.NoError(t, err)
	return path, enter
}

func TestProxyCommandForwardsInsideNamespace(t *testing.T) {
	path, enter := namespace(t)
	echoPort := echoServerIn(t, enter)
	const hostPort = 49153 // free: the namespace is new

	p := NewProxyCommandIn(path)("tcp", net.ParseIP("127.0.0.1"), hostPort, net.ParseIP("127.0.0.1"), echoPort)
	require.NoError(t, p.Start())
	assert.Error(t, p.Start(), "a second Start is refused")
	pid := p.(*proxyCommand).Pid()
	require.NotZero(t, pid)

	got, err := roundTrip(enter, hostPort, "through docker-proxy")
	require.NoError(t, err)
	assert.Equal(t, "through docker-proxy", got)

	// A second proxy on the same port: the child's bind fails and Start
	// says so (the fd-3 report).
	dup := NewProxyCommandIn(path)("tcp", net.ParseIP("127.0.0.1"), hostPort, net.ParseIP("127.0.0.1"), echoPort)
	err = dup.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "address already in use")

	require.NoError(t, p.Stop())
	require.NoError(t, p.Stop(), "stopping twice is harmless")
	assert.True(t, errors.Is(syscall.Kill(pid, 0), syscall.ESRCH), "the docker-proxy process is gone")
	_, err = roundTrip(enter, hostPort, "x")
	assert.Error(t, err, "nobody listens after Stop")
}

func TestInProcessProxyForwardsInsideNamespace(t *testing.T) {
	_, enter := namespace(t)
	echoPort := echoServerIn(t, enter)
	const hostPort = 49154

	p := InNamespace(enter)("tcp", net.ParseIP("127.0.0.1"), hostPort, net.ParseIP("127.0.0.1"), echoPort)
	require.NoError(t, p.Start())
	assert.Error(t, p.Start(), "a second Start is refused")
	got, err := roundTrip(enter, hostPort, "ping")
	require.NoError(t, err)
	assert.Equal(t, "ping", got)

	require.NoError(t, p.Stop())
	require.NoError(t, p.Stop(), "stopping twice is harmless")
	_, err = roundTrip(enter, hostPort, "x")
	assert.Error(t, err, "nobody listens after Stop")
}
