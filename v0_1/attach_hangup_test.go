//go:build linux

// A client that leaves `attach` (or an attached `run`) while the
// container prints nothing must not leave its connection open in the
// daemon: 1,000 aborted attaches, and the daemon holds no more
// descriptors than before. A client that only half-closed (its stdin
// ended) stays attached. (Issue #10 item 3; 0.1.0 kept each one until the
// container's next output.)
package docker

import (
	"encoding/json"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

func TestAbortedAttachesReleaseDescriptors(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	listener, err := rcli.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { listener.Close() })
	go rcli.ServeListener(listener, srv)
	addr := listener.Addr().String()
	id := strings.TrimSpace(call(t, srv, "", "run", "-d", "busybox", "sh", "-c", "while true; do sleep 1; done"))
	require.Len(t, id, 16, id)

	dial := func(args ...string) net.Conn {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		line, _ := json.Marshal(args)
		_, err = conn.Write(append(line, '\n'))
		require.NoError(t, err)
		return conn
	}
	abort := func(n int) {
		for i := 0; i < n; i++ {
			dial("attach", id).Close()
		}
	}
	settled := func(before int) bool { runtime.GC(); return openFDs(t) <= before }

	abort(5) // what the first ones open for good (the watcher's epoll)
	require.Eventually(t, func() bool { runtime.GC(); return true }, time.Second, 10*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	before := openFDs(t)
	abort(1000)
	assert.Eventually(t, func() bool { return settled(before) }, 30*time.Second, 50*time.Millisecond,
		"descriptors after 1,000 aborted attaches: %d before, %d now", before, openFDs(t))

	// Half-closed is not gone: the attach stays until the client closes.
	conn := dial("attach", id)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	conn.SetReadDeadline(time.Now().Add(1500 * time.Millisecond))
	_, err = conn.Read(make([]byte, 1))
	var ne net.Error
	require.ErrorAs(t, err, &ne, "the daemon kept a half-closed attach open")
	assert.True(t, ne.Timeout(), "the daemon kept a half-closed attach open, got %v", err)
	conn.Close()
	assert.Eventually(t, func() bool { return settled(before) }, 30*time.Second, 50*time.Millisecond,
		"the half-closed attach, then closed, is released")

	// An attached run whose client leaves: the container runs on (and
	// holds what a running container holds: measured on a detached one),
	// the connection goes.
	b1 := openFDs(t)
	call(t, srv, "", "run", "-d", "busybox", "sh", "-c", "sleep 1000")
	time.Sleep(300 * time.Millisecond)
	require.Eventually(t, func() bool { runtime.GC(); return true }, time.Second, 10*time.Millisecond)
	perContainer := openFDs(t) - b1
	b2 := openFDs(t)
	c := dial("run", "busybox", "sh", "-c", "sleep 1000")
	time.Sleep(300 * time.Millisecond)
	c.Close()
	assert.Eventually(t, func() bool { return settled(b2 + perContainer) }, 30*time.Second, 50*time.Millisecond,
		"an attached run whose client left: %d before, %d per running container, %d now", b2, perContainer, openFDs(t))
}
