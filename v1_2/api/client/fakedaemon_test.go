// A canned daemon for the client tests: an httptest server whose handlers
// the test writes, recording every request it gets (as upstream's client
// tests did, without a real daemon behind).
package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/pkg/stdcopy"
)

// seen is one request as the daemon got it.
type seen struct {
	Method, Path, Query, UserAgent, ContentType, Upgrade string
	Body                                                 string
}

type fakeDaemon struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc // "POST /containers/create" (path without /v1.14)
	got    []seen
}

func newFakeDaemon(t *testing.T) *fakeDaemon {
	d := &fakeDaemon{t: t, routes: map[string]http.HandlerFunc{}}
	d.srv = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.srv.Close)
	return d
}

func (d *fakeDaemon) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/v1.14")
	d.mu.Lock()
	d.got = append(d.got, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.UserAgent(), r.Header.Get("Content-Type"), r.Header.Get("Upgrade"), string(body)})
	h := d.routes[r.Method+" "+path]
	d.mu.Unlock()
	if h == nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	h(w, r)
}

// on sets the handler of "METHOD /path".
func (d *fakeDaemon) on(route string, h http.HandlerFunc) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.routes[route] = h
}

// json answers status with v as JSON.
func (d *fakeDaemon) json(route string, status int, v any) {
	d.on(route, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	})
}

// text answers status with a plain body (upstream's error answers).
func (d *fakeDaemon) text(route string, status int, body string) {
	d.on(route, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	})
}

// requests returns what the daemon got so far.
func (d *fakeDaemon) requests() []seen {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]seen(nil), d.got...)
}

// find returns the first request for METHOD path (path with /v1.14).
func (d *fakeDaemon) find(method, path string) (seen, bool) {
	for _, s := range d.requests() {
		if s.Method == method && s.Path == path {
			return s, true
		}
	}
	return seen{}, false
}

// attachHandler hijacks the connection and answers as a daemon would:
// upgrade gives "101 UPGRADED" (1.14+ with Upgrade: tcp), otherwise 1.2's
// "200 OK" followed by the raw stream. Without tty, stdout and stderr go
// framed. stdinSeen receives what the client sent on stdin.
func attachHandler(t *testing.T, upgrade, tty bool, stdout, stderr string, stdinSeen chan<- string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		require.NoError(t, err)
		defer conn.Close()
		if upgrade && r.Header.Get("Upgrade") == "tcp" {
			fmt.Fprint(conn, "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
		} else {
			fmt.Fprint(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n")
		}
		if stdinSeen != nil {
			in, _ := io.ReadAll(buf) // until the client half-closes
			stdinSeen <- string(in)
		}
		if tty {
			fmt.Fprint(conn, stdout+stderr)
			return
		}
		if stdout != "" {
			stdcopy.NewStdWriter(conn, stdcopy.Stdout).Write([]byte(stdout))
		}
		if stderr != "" {
			stdcopy.NewStdWriter(conn, stdcopy.Stderr).Write([]byte(stderr))
		}
	}
}

// client returns a DockerCli on d with captured output and the given stdin.
func (d *fakeDaemon) client(stdin string) (*DockerCli, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	addr := strings.TrimPrefix(d.srv.URL, "http://")
	return NewDockerCli(io.NopCloser(strings.NewReader(stdin)), &out, &errOut, "tcp", addr, nil), &out, &errOut
}
