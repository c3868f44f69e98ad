// Attach over a websocket: GET /containers/{name}/attach/ws, what a web
// page used to reach a container's terminal in 2014.
//
// Upstream: api/server/server.go at v1.2.0 (wsContainersAttach). See
// docs/upstream/v1.2.0.md §6.2.
// Book: ch.5 §5.4.
//
// As in 1.2: the query names the streams (logs, stream, stdin, stdout,
// stderr), the container must exist before the handshake (404 otherwise),
// and the attach job reads the websocket as stdin and writes stdout and
// stderr into it, unframed, until the container ends. 1.2 used
// code.google.com/p/go.net/websocket; dockerlab uses gorilla/websocket,
// and differs where 1.2 was unsafe or broke the protocol
// (docs/divergences.md "Remote API server"):
//   - output goes in binary messages: 1.2 sent text frames, which RFC 6455
//     says must hold UTF-8, and a container's bytes need not;
//   - a page of another origin is refused (403) — 1.2 took any Origin, so
//     any web page could drive a container of a daemon on TCP;
//   - every read is bounded (one message at most maxWSMessage bytes) and
//     timed: the peer must answer a ping every wsPingEvery, or the
//     connection ends, so a vanished client does not hold the attach for
//     ever; a write that cannot finish in wsWriteWait ends it too.
package server

import (
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
)

const (
	maxWSMessage = 1 << 20          // one message from the client, at most
	wsPingEvery  = 30 * time.Second // a ping this often keeps the read deadline moving
	wsPongWait   = 2 * wsPingEvery  // no pong (or message) for this long: the peer is gone
	wsWriteWait  = 10 * time.Second // one write, handshake included
)

// wsUpgrader keeps gorilla's origin check: no Origin header (a program) or
// one naming this host (a page served by it).
var wsUpgrader = websocket.Upgrader{HandshakeTimeout: wsWriteWait, ReadBufferSize: 4096, WriteBufferSize: 4096}

func wsContainersAttach(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := containerTty(eng, vars["name"]); err != nil {
		return err // 404 before the handshake, as 1.2's container_inspect
	}
	conn, err := wsUpgrader.Upgrade(w, r, nil)
	if err != nil {
		return nil // Upgrade has answered (400, 403 …) itself
	}
	ws := newWSStream(conn)
	defer ws.close()

	job := eng.Job("attach", vars["name"])
	for _, k := range []string{"logs", "stream", "stdin", "stdout", "stderr"} {
		job.Setenv(k, r.Form.Get(k))
	}
	job.Stdin.Add(ws)
	job.Stdout.Add(ws)
	job.Stderr.Set(ws)
	if err := job.Run(); err != nil {
		ws.Write([]byte("Error attaching: " + err.Error() + "\n"))
	}
	return nil
}

// wsStream is a websocket seen as a byte stream: Read returns the bytes
// of one message after another (until the peer closes, or goes silent),
// Write sends each call as one binary message.
type wsStream struct {
	conn *websocket.Conn
	cur  io.Reader // the message being read

	wmu  sync.Mutex // one writer at a time (stdout, stderr, pings)
	done chan struct{}
	once sync.Once
}

func newWSStream(conn *websocket.Conn) *wsStream {
	s := &wsStream{conn: conn, done: make(chan struct{})}
	conn.SetReadLimit(maxWSMessage)
	conn.SetReadDeadline(time.Now().Add(wsPongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(wsPongWait))
	})
	go s.ping()
	return s
}

// ping keeps asking the peer for a pong until the stream is closed.
func (s *wsStream) ping() {
	t := time.NewTicker(wsPingEvery)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.wmu.Lock()
			err := s.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteWait))
			s.wmu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

// Read reads the next bytes the peer sent. A close from the peer, a
// message over the limit or a silent peer ends the stream (io.EOF, or the
// error that says why).
func (s *wsStream) Read(p []byte) (int, error) {
	for {
		if s.cur == nil {
			_, r, err := s.conn.NextReader()
			if err != nil {
				if websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) {
					return 0, io.EOF
				}
				return 0, err
			}
			s.conn.SetReadDeadline(time.Now().Add(wsPongWait)) // a message is a sign of life too
			s.cur = r
		}
		n, err := s.cur.Read(p)
		if errors.Is(err, io.EOF) {
			s.cur = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

// Write sends p as one binary message.
func (s *wsStream) Write(p []byte) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
	if err := s.conn.WriteMessage(websocket.BinaryMessage, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// close says goodbye (a close message) and closes the connection.
func (s *wsStream) close() {
	s.once.Do(func() {
		close(s.done)
		s.wmu.Lock()
		s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(wsWriteWait))
		s.wmu.Unlock()
		s.conn.Close()
	})
}
