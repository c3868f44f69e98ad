//go:build unix

package server

import (
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// TestServeFd: fd:// serves sockets handed over by socket activation
// (LISTEN_PID, LISTEN_FDS), and only after acceptconnections.
func TestServeFd(t *testing.T) {
	// activated makes a listening socket on a descriptor of its own and
	// points listenFdsStart at it, as systemd's fd 3 would be. listenFD
	// takes the descriptor over (and closes it), so each use makes one.
	activated := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		f, err := l.(*net.TCPListener).File()
		require.NoError(t, err)
		// A bare descriptor no *os.File owns: listenFD closes it, and no
		// finalizer may close that number again later.
		fd, err := syscall.Dup(int(f.Fd()))
		require.NoError(t, err)
		f.Close()
		l.Close() // the socket stays open through fd
		listenFdsStart = fd
		return l.Addr().String()
	}
	old := listenFdsStart
	defer func() { listenFdsStart = old }()
	t.Setenv("LISTEN_PID", strconv.Itoa(os.Getpid()))
	t.Setenv("LISTEN_FDS", "1")

	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("serveapi", ServeApi))
	require.NoError(t, eng.Register("acceptconnections", AcceptConnections))
	activated()
	assert.ErrorContains(t, eng.Job("serveapi", "fd://99").Run(), "Too few socket activated files")

	addr := activated()
	done := make(chan error, 1)
	go func() { done <- eng.Job("serveapi", "fd://*").Run() }()
	require.NoError(t, eng.Job("acceptconnections").Run())
	var body []byte
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + "/_ping")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ = io.ReadAll(resp.Body)
		return true
	}, 5*time.Second, 20*time.Millisecond)
	assert.Equal(t, "OK", string(body))
	eng.Shutdown()
	require.NoError(t, <-done)
}
