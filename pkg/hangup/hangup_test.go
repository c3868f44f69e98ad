//go:build linux

package hangup

import (
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pair returns the server's and the client's end of a new connection.
func pair(t *testing.T, network string) (server, client net.Conn) {
	t.Helper()
	addr := "127.0.0.1:0"
	if network == "unix" {
		addr = filepath.Join(t.TempDir(), "s.sock")
	}
	l, err := net.Listen(network, addr)
	require.NoError(t, err)
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	client, err = net.Dial(network, l.Addr().String())
	require.NoError(t, err)
	server = <-accepted
	require.NotNil(t, server)
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

func closeWrite(t *testing.T, c net.Conn) {
	require.NoError(t, c.(interface{ CloseWrite() error }).CloseWrite())
}

// A client that half-closes (it sent all its input and reads on) is not
// gone; when it then closes, it is.
func TestHalfCloseThenClose(t *testing.T) {
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			server, client := pair(t, network)
			gone := make(chan struct{})
			stop := Watch(server, func() { close(gone) })
			defer stop()

			closeWrite(t, client)
			// Still reachable: the server can answer, the client reads.
			_, err := server.Write([]byte("answer"))
			require.NoError(t, err)
			buf := make([]byte, 6)
			_, err = client.Read(buf)
			require.NoError(t, err)
			select {
			case <-gone:
				t.Fatal("a half-closed client was taken for gone")
			case <-time.After(1500 * time.Millisecond): // over one recheck
			}

			client.Close()
			waitGone(t, gone)
		})
	}
}

func waitGone(t *testing.T, gone <-chan struct{}) {
	t.Helper()
	select {
	case <-gone:
	case <-time.After(20 * time.Second):
		t.Fatal("the client's close was not noticed")
	}
}

// A client that closes at once is noticed without any read or write.
func TestCloseNoticed(t *testing.T) {
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			server, client := pair(t, network)
			gone := make(chan struct{})
			defer Watch(server, func() { close(gone) })()
			client.Close()
			waitGone(t, gone)
		})
	}
}

// After stop, nothing is called, and many watches leave no descriptor.
func TestStop(t *testing.T) {
	server, client := pair(t, "unix")
	called := make(chan struct{}, 1)
	stop := Watch(server, func() { called <- struct{}{} })
	stop()
	stop() // twice is harmless
	client.Close()
	select {
	case <-called:
		t.Fatal("hangup called after stop")
	case <-time.After(300 * time.Millisecond):
	}
	assert.Empty(t, w.byID)
}
