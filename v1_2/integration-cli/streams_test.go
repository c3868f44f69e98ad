// Streams that end when their client goes (issue #10 item 3): 1,000
// aborted `events`, `logs -f` and `attach` streams (with and without a
// tty) against containers that print nothing, and the daemon's
// descriptor count (/proc/PID/fd) comes back to where it was; an attach
// whose client only half-closed stays, and goes once the client closes,
// over the unix socket and over TCP. Docker 1.2 kept each such stream
// (and its connection) until the next event or the container's next
// output.
package integrationcli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAbortedStreamsFake(t *testing.T)  { abortedStreams(t, "fake") }
func TestAbortedStreamsLinux(t *testing.T) { abortedStreams(t, "linux") }

// api sends one request to the daemon's unix socket and decodes a JSON
// answer into out (when not nil).
func api(t *testing.T, d *daemon, method, path string, body io.Reader, out any) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return net.Dial("unix", d.sock)
	}}}
	req, err := http.NewRequest(method, "http://docker"+path, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	require.Less(t, resp.StatusCode, 300, "%s %s: %s", method, path, data)
	if out != nil {
		require.NoError(t, json.Unmarshal(data, out), "%s", data)
	}
}

// fdCount is how many descriptors process pid holds.
func fdCount(t *testing.T, pid int) int {
	t.Helper()
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	require.NoError(t, err)
	return len(ents)
}

// openStream sends the request line and headers of a stream and reads
// the answer's headers, so that the daemon's handler is running.
func openStream(t *testing.T, network, addr, request string) net.Conn {
	t.Helper()
	c, err := net.Dial(network, addr)
	require.NoError(t, err)
	_, err = io.WriteString(c, request)
	require.NoError(t, err)
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	status, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Regexp(t, `^HTTP/1.1 (200|101)`, status)
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
	}
	c.SetReadDeadline(time.Time{})
	return c
}

func abortedStreams(t *testing.T, backend string) {
	tarball := busyboxTar(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	tcpAddr := l.Addr().String()
	l.Close()
	d := startDaemon(t, backend, "-H", "tcp://"+tcpAddr)

	f, err := os.Open(tarball)
	require.NoError(t, err)
	api(t, d, "POST", "/v1.14/images/create?fromSrc=-&repo=busybox", f, nil)
	f.Close()
	silent := []string{"sh", "-c", "while true; do sleep 1; done"}
	ids := map[string]string{}
	for _, name := range []string{"plain", "tty"} {
		var created struct{ Id string }
		cfg, _ := json.Marshal(map[string]any{"Image": "busybox", "Cmd": silent, "Tty": name == "tty",
			"AttachStdout": true, "AttachStderr": true})
		api(t, d, "POST", "/v1.14/containers/create?name="+name, strings.NewReader(string(cfg)), &created)
		api(t, d, "POST", "/v1.14/containers/"+name+"/start", strings.NewReader("{}"), nil)
		ids[name] = created.Id
	}
	t.Cleanup(func() {
		for name := range ids {
			api(t, d, "DELETE", "/v1.14/containers/"+name+"?force=1", nil, nil)
		}
	})

	kinds := map[string]string{
		"events":     "GET /v1.14/events HTTP/1.1\r\nHost: docker\r\n\r\n",
		"logs -f":    "GET /v1.14/containers/plain/logs?follow=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\n\r\n",
		"attach":     attachRequest("plain"),
		"attach -t":  attachRequest("tty"),
		"attach 1.2": "POST /v1.14/containers/plain/attach?stream=1&stdout=1&stderr=1 HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n",
	}
	abort := func(n int) {
		for _, req := range kinds {
			for i := 0; i < n; i++ {
				openStream(t, "unix", d.sock, req).Close()
			}
		}
	}
	settled := func(want int) func() bool {
		return func() bool { return fdCount(t, d.pid) <= want }
	}

	abort(3) // what the first streams open for good (the hang-up watcher)
	time.Sleep(time.Second)
	before := fdCount(t, d.pid)
	abort(1000)
	assert.Eventually(t, settled(before), 60*time.Second, 100*time.Millisecond,
		"descriptors after 1,000 aborted streams of each kind: %d before, %d now", before, fdCount(t, d.pid))

	// A client that half-closes (docker run without -i does at once) is
	// still attached; its close ends the attach. Over both sockets.
	for _, nw := range [][2]string{{"unix", d.sock}, {"tcp", tcpAddr}} {
		c := openStream(t, nw[0], nw[1], attachRequest("plain"))
		require.NoError(t, c.(interface{ CloseWrite() error }).CloseWrite())
		c.SetReadDeadline(time.Now().Add(1500 * time.Millisecond))
		_, err := c.Read(make([]byte, 1))
		var ne net.Error
		require.ErrorAs(t, err, &ne, "%s: a half-closed attach must stay open", nw[0])
		assert.True(t, ne.Timeout(), "%s: a half-closed attach must stay open, got %v", nw[0], err)
		c.Close()
	}
	assert.Eventually(t, settled(before), 60*time.Second, 100*time.Millisecond,
		"descriptors after the half-closed attaches closed: %d before, %d now", before, fdCount(t, d.pid))
}

// attachRequest is what today's CLI sends to attach to a container's
// output and stdin.
func attachRequest(name string) string {
	return "POST /v1.24/containers/" + name + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n" +
		"Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n"
}
