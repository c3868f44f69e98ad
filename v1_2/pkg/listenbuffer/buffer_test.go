package listenbuffer

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeldUntilReady(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ready := make(chan struct{})
	bl := NewListenBuffer(l, ready)
	defer bl.Close()

	// The client connects (the kernel completes the handshake) before
	// anyone accepts.
	c, err := net.Dial("tcp", l.Addr().String())
	require.NoError(t, err)
	defer c.Close()

	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := bl.Accept()
		if err == nil {
			accepted <- conn
		}
		close(accepted)
	}()
	close(ready)
	conn, ok := <-accepted
	require.True(t, ok)
	conn.Close()
}

func TestCloseWhileWaiting(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	bl := NewListenBuffer(l, make(chan struct{}))
	errs := make(chan error, 1)
	go func() {
		_, err := bl.Accept()
		errs <- err
	}()
	require.NoError(t, bl.Close())
	assert.ErrorIs(t, <-errs, net.ErrClosed)

}
