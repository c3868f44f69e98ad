package portmapper

import (
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestInKernelProxy(t *testing.T) {
	k := fake.New()
	// The "container": a listener on another local address of the root
	// namespace is enough to see the forwarding.
	backendL, err := k.Listen(backend.NSRef{}, "tcp", "127.0.0.2:80")
	require.NoError(t, err)
	defer backendL.Close()
	go func() {
		for {
			c, err := backendL.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Write(append([]byte("echo: "), b...))
			c.Close()
		}
	}()
	newProxy := InKernel(k)
	p := newProxy("tcp", net.IPv4zero, 8080, net.ParseIP("127.0.0.2"), 80)
	require.NoError(t, p.Start())
	// The port is taken now.
	assert.Error(t, newProxy("tcp", net.IPv4zero, 8080, net.ParseIP("127.0.0.2"), 80).Start())

	c, err := k.Dial(backend.NSRef{}, "tcp", "127.0.0.1:8080")
	require.NoError(t, err)
	io.WriteString(c, "hi")
	c.(interface{ CloseWrite() error }).CloseWrite()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "echo: hi", string(got))
	c.Close()

	require.NoError(t, p.Stop())
	require.NoError(t, p.Stop())
	_, err = k.Dial(backend.NSRef{}, "tcp", "127.0.0.1:8080")
	assert.Error(t, err)
	// UDP: accepted, nothing listens.
	u := newProxy("udp", net.IPv4zero, 53, net.ParseIP("127.0.0.2"), 53)
	require.NoError(t, u.Start())
	require.NoError(t, u.Stop())
}
