//go:build linux

// The reason for Enter: as root, a proxy whose sockets are made inside a
// throwaway network namespace serves that namespace and is invisible from
// the test's own one. This is how the daemon runs proxies on the linux
// backend's sandbox namespace.
package proxy

import (
	"io"
	"net"
	"runtime"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vishvananda/netns"
)

// enterPath runs fn on a fresh OS thread switched into the namespace at
// path; the thread is never unlocked, so it dies with its goroutine and
// no other goroutine ever runs in the wrong namespace.
func enterPath(path string) Enter {
	return func(fn func() error) error {
		done := make(chan error, 1)
		go func() {
			runtime.LockOSThread()
			ns, err := netns.GetFromPath(path)
			if err != nil {
				done <- err
				return
			}
			defer ns.Close()
			if err := netns.Set(ns); err != nil {
				done <- err
				return
			}
			done <- fn()
		}()
		return <-done
	}
}

func TestTCPProxyInsideNamespace(t *testing.T) {
	h := linuxtest.NewLinuxHost(t)
	require.NoError(t, h.Root().LinkSetUp("lo")) // a new namespace's lo starts down
	enter := enterPath(h.Options().NetNSPath)

	// An echo server in the namespace.
	var l net.Listener
	require.NoError(t, enter(func() (err error) {
		l, err = net.Listen("tcp", "127.0.0.1:0")
		return err
	}))
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

	p, err := NewProxyIn(enter, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, l.Addr())
	require.NoError(t, err)
	go p.Run()
	defer p.Close()

	// From inside the namespace the proxy echoes.
	var got []byte
	require.NoError(t, enter(func() error {
		c, err := net.Dial("tcp", p.FrontendAddr().String())
		if err != nil {
			return err
		}
		defer c.Close()
		c.Write([]byte("sandboxed"))
		c.(*net.TCPConn).CloseWrite()
		got, err = io.ReadAll(c)
		return err
	}))
	assert.Equal(t, "sandboxed", string(got))

	// From the test's own namespace nothing listens on that port (unless
	// something of the host's happens to, which would not echo this).
	if c, err := net.Dial("tcp", p.FrontendAddr().String()); err == nil {
		c.Close()
		t.Logf("host port %v is in use on the host too; skipping the isolation check", p.FrontendAddr())
	}
}
