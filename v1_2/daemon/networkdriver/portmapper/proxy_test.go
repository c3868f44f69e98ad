// Tests for proxy.go and proxy_main.go that need no root and open no
// sockets: upstream's argv, docker-proxy's flags, and the fd-3 report of a
// child that cannot start (the real forwarding is in proxy_linux_test.go).
package portmapper

import (
	"bytes"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/internal/reexec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets this test binary be re-executed as docker-proxy.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}

func TestProxyCommandArgvIsUpstreams(t *testing.T) {
	p := NewProxyCommand("tcp", net.ParseIP("0.0.0.0"), 49153, net.ParseIP("172.17.0.2"), 80).(*proxyCommand)
	assert.Equal(t, []string{"docker-proxy", "-proto", "tcp", "-host-ip", "0.0.0.0", "-host-port", "49153",
		"-container-ip", "172.17.0.2", "-container-port", "80"}, p.args)

	in := NewProxyCommandIn("/run/netns/dockerlab")("udp", net.ParseIP("0.0.0.0"), 5353, net.ParseIP("172.17.0.2"), 53).(*proxyCommand)
	assert.Equal(t, []string{"-netns", "/run/netns/dockerlab"}, in.args[len(in.args)-2:])
}

func TestParseProxyFlags(t *testing.T) {
	var stderr bytes.Buffer
	host, container, nsPath, err := parseHostContainerAddrs([]string{
		"-proto", "udp", "-host-ip", "0.0.0.0", "-host-port", "5353",
		"-container-ip", "172.17.0.2", "-container-port", "53", "-netns", "/x"}, &stderr)
	require.NoError(t, err)
	assert.Equal(t, &net.UDPAddr{IP: net.ParseIP("0.0.0.0"), Port: 5353}, host)
	assert.Equal(t, &net.UDPAddr{IP: net.ParseIP("172.17.0.2"), Port: 53}, container)
	assert.Equal(t, proxyNetNS{both: "/x"}, nsPath)
	_, _, nsPath, err = parseHostContainerAddrs([]string{"-host-ip", "127.0.0.1", "-host-port", "8080",
		"-container-ip", "172.17.0.2", "-container-port", "80", "-dial-netns", "/y"}, &stderr)
	require.NoError(t, err)
	assert.Equal(t, proxyNetNS{dial: "/y"}, nsPath)

	for _, bad := range [][]string{
		{"-proto", "sctp", "-host-ip", "0.0.0.0", "-host-port", "1", "-container-ip", "1.2.3.4", "-container-port", "1"},
		{"-host-ip", "nope", "-host-port", "1", "-container-ip", "1.2.3.4", "-container-port", "1"},
		{"-host-ip", "0.0.0.0", "-host-port", "1", "-container-ip", "1.2.3.4"},
		{"-bogus"},
		{"-host-ip", "0.0.0.0", "-host-port", "1", "-container-ip", "1.2.3.4", "-container-port", "1", "-netns", "/a", "-dial-netns", "/b"},
	} {
		_, _, _, err := parseHostContainerAddrs(bad, &stderr)
		assert.Error(t, err, "%v", bad)
	}
	assert.Equal(t, 2, ProxyMain([]string{"-bogus"}, &stderr))
}

// reportBuffer records what proxyMain reports on its fd 3.
type reportBuffer struct {
	bytes.Buffer
	closed bool
}

func (r *reportBuffer) Close() error { r.closed = true; return nil }

func TestProxyMainReportsFailureOnFd3(t *testing.T) {
	var stderr bytes.Buffer
	var ready reportBuffer
	code := proxyMain([]string{"-proto", "sctp", "-host-ip", "0.0.0.0", "-host-port", "1",
		"-container-ip", "1.2.3.4", "-container-port", "1"}, &stderr, &ready)
	assert.Equal(t, 2, code)
	assert.Equal(t, "1\nunsupported protocol sctp", ready.String())
	assert.True(t, ready.closed, "the parent needs EOF")
}

// A re-executed child that cannot start: Start returns its reason, read
// from the pipe, and no process is left behind. No socket is opened.
func TestProxyCommandStartReportsChildFailure(t *testing.T) {
	p := NewProxyCommand("sctp", net.IPv4zero, 1, net.IPv4zero, 1)
	err := p.Start()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unsupported protocol sctp")
	assert.NoError(t, p.Stop(), "stopping a proxy that never ran is harmless")

	p = NewProxyCommandIn("/nonexistent/netns")("tcp", net.IPv4zero, 1, net.IPv4zero, 1)
	err = p.Start()
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "/nonexistent/netns"), err.Error())
}

func TestInProcessProxyBadProto(t *testing.T) {
	p := InNamespace(nil)("sctp", net.IPv4zero, 1, net.IPv4zero, 1)
	assert.Error(t, p.Start())
	assert.NoError(t, p.Stop())
}
