// The two handlers that carry a container's own streams: logs (over the
// HTTP response) and attach (over the raw connection, hijacked from the
// HTTP server).
//
// Upstream: api/server/server.go at v1.2.0 (getContainersLogs,
// postContainersAttach, hijackServer; wsContainersAttach is in
// handlers_attach_ws.go). See
// docs/upstream/v1.2.0.md §6.2.
// Book: ch.5 §5.4; ch.12 (docker run attaches before it starts).
//
// Without a tty a container has two output streams, and one connection
// carries both: each write is framed by pkg/stdcopy (stream byte + length).
// With a tty there is one stream and the bytes go raw.
package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"

	"github.com/dockerlab/dockerlab/pkg/hangup"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/stdcopy"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
)

// containerTty inspects the container: it answers whether it has a tty,
// or the inspect job's error (404 for an unknown container).
func containerTty(eng *engine.Engine, name string) (bool, error) {
	out, err := runBuffered(eng.Job("container_inspect", name))
	if err != nil {
		return false, err
	}
	var c struct {
		Config *struct{ Tty bool }
	}
	if err := json.Unmarshal(out, &c); err != nil {
		return false, fmt.Errorf("container_inspect %s: %w", name, err)
	}
	return c.Config != nil && c.Config.Tty, nil
}

// muxStreams gives the stdout and stderr writers for out: framed when the
// container has no tty (and the client is 1.6 or later), raw otherwise.
func muxStreams(out io.Writer, tty bool, v version.Version) (stdout, stderr io.Writer) {
	if !tty && v.GreaterThanOrEqualTo("1.6") {
		return stdcopy.NewStdWriter(out, stdcopy.Stdout), stdcopy.NewStdWriter(out, stdcopy.Stderr)
	}
	return out, out
}

func getContainersLogs(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	logsJob := eng.Job("logs", vars["name"])
	for _, k := range []string{"follow", "tail", "stdout", "stderr", "timestamps"} {
		logsJob.Setenv(k, r.Form.Get(k))
	}
	// Checked before anything is sent: after the first byte the status is gone.
	if !logsJob.GetenvBool("stdout") && !logsJob.GetenvBool("stderr") {
		return fmt.Errorf("Bad parameters: you must choose at least one stream")
	}
	tty, err := containerTty(eng, vars["name"])
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	out := newWriteFlusher(w)
	out.Write(nil) // headers now: `logs -f` may wait long for its first line
	stdout, stderr := muxStreams(out, tty, version)
	logsJob.Stdout.Add(stdout)
	logsJob.Stderr.Set(stderr)
	// A client that leaves `logs -f` hangs the job up, which ends it even
	// while the container writes nothing (not upstream: docs/divergences.md
	// "Streams end when the client goes").
	defer context.AfterFunc(r.Context(), logsJob.Hangup)()
	if err := logsJob.Run(); err != nil {
		fmt.Fprintf(stdout, "Error running logs job: %s\n", err)
	}
	return nil
}

// postContainersAttach takes the connection over from the HTTP server.
// A 1.2 client sent a plain POST and read "200 OK" then raw bytes; later
// clients ask for "Upgrade: tcp" and expect "101 UPGRADED" (not upstream:
// see docs/divergences.md).
func postContainersAttach(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	tty, err := containerTty(eng, vars["name"])
	if err != nil {
		return err
	}
	conn, brw, err := hijackServer(w)
	if err != nil {
		return err
	}
	defer closeConn(conn)

	if r.Header.Get("Upgrade") == "tcp" {
		fmt.Fprintf(conn, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
	} else {
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n")
	}
	stdout, stderr := muxStreams(&lockedWriter{w: conn}, tty, version)

	job := eng.Job("attach", vars["name"])
	for _, k := range []string{"logs", "stream", "stdin", "stdout", "stderr"} {
		job.Setenv(k, r.Form.Get(k))
	}
	// The HTTP server no longer watches a hijacked connection: a client
	// that closes it entirely hangs the job up (pkg/hangup), so an attach
	// to a silent container does not keep the connection and its
	// descriptor until the container's next output (not upstream:
	// docs/divergences.md "Streams end when the client goes").
	defer hangup.Watch(conn, job.Hangup)()
	// brw.Reader first: stdin the client sent with the request may
	// already sit in the server's buffer.
	job.Stdin.Add(brw.Reader)
	job.Stdout.Add(stdout)
	job.Stderr.Set(stderr)
	if err := job.Run(); err != nil {
		fmt.Fprintf(stdout, "Error attaching: %s\n", err)
	}
	return nil
}

// hijackServer takes the raw connection of w.
func hijackServer(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("this connection cannot be hijacked")
	}
	return hj.Hijack()
}

// closeConn ends an attach: the write side first, so a client that
// half-closes on its own sees a clean EOF, then the whole connection,
// which also ends the attach job's read of stdin.
func closeConn(conn net.Conn) {
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	conn.Close()
}

// lockedWriter serialises the stdout and stderr frames on one connection.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
