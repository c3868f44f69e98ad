// Tests for userland_proxy.go: which proxy each backend gets.
package daemon

import (
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portmapper"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func TestRootNetNSPathFollowsLinuxNew(t *testing.T) {
	assert.Equal(t, "/run/netns/dockerlab", rootNetNSPath(linux.Options{SandboxName: "dockerlab"}))
	assert.Equal(t, "/tmp/ns/root", rootNetNSPath(linux.Options{NetNSPath: "/tmp/ns/root", HostNetwork: true}))
	assert.Equal(t, "", rootNetNSPath(linux.Options{HostNetwork: true, SandboxName: "dockerlab"}))
}

// On the fake, a published port's proxy relays through the in-memory
// kernel's sockets: a connection to the machine's 127.0.0.1:8080 reaches
// the "container" listener behind it.
func TestFakeBackendGetsInKernelProxy(t *testing.T) {
	saved := portmapper.NewProxy
	defer func() { portmapper.NewProxy = saved }()
	k := fake.New()
	line := chooseUserlandProxy(&Config{Host: k}, engine.New())
	assert.Contains(t, line, "fake kernel's own sockets")

	backendAddr := "10.0.2.15:9999" // eth0 of fake.New's machine
	l, err := k.Listen(backend.NSRef{}, "tcp", backendAddr)
	require.NoError(t, err)
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			io.WriteString(c, "from the container\n")
			c.Close()
		}
	}()

	p := portmapper.NewProxy("tcp", net.ParseIP("127.0.0.1"), 8080, net.ParseIP("10.0.2.15"), 9999)
	require.NoError(t, p.Start())
	defer p.Stop()
	c, err := k.Dial(backend.NSRef{}, "tcp", "127.0.0.1:8080")
	require.NoError(t, err)
	defer c.Close()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "from the container\n", string(got))
}
