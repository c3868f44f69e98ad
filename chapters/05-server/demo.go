// Package chapter05 is the demo of book ch.5 Docker Server的创建: a
// daemon runs in a scratch directory, and the demo speaks HTTP to its
// unix socket by hand, printing for each request the router's decision
// (route and handler), the daemon's job log for it, and the response —
// request → router → handler → job → response, side by side.
//
// Reproduces upstream api/server/server.go at v1.2.0 (ServeApi,
// ListenAndServe, createRouter, makeHttpHandler, the handlers, httpError)
// through v1_2/api/server; see README.md (English) and README.zh.md.
package chapter05

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/api/server"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

// waitForDaemon bounds how long the demo waits for NewDaemon.
const waitForDaemon = 30 * time.Second

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	w := &chapterutil.SyncWriter{W: out}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch5-")
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}

	sockPath := filepath.Join(dir, "docker.sock")
	var f docker.DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	if err := fs.Parse([]string{"--trace", "-G", "", "-H", "unix://" + sockPath, "-g", filepath.Join(dir, "root"), "-p", filepath.Join(dir, "docker.pid")}); err != nil {
		return err
	}
	daemonLog := &chapterutil.PrefixWriter{Prefix: "    daemon │ ", W: w}
	trace := &traceFilter{w: w}
	fmt.Fprintf(w, "## ch.5 the Remote API server on the %s backend\n", h.Name())
	fmt.Fprintf(w, "## §5.2-5.3: mainDaemon runs the serveapi job; ServeApi starts one ListenAndServe per -H\n")
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() {
		done <- docker.MainDaemon(dctx, h, &f, nil, docker.Streams{Stdout: trace, Stderr: daemonLog})
	}()
	if _, err := docker.Get("unix://"+sockPath, "/_ping", waitForDaemon); err != nil {
		stop()
		return fmt.Errorf("%w (daemon: %v)", err, <-done)
	}
	time.Sleep(50 * time.Millisecond)
	daemonLog.Flush()
	trace.stop()

	fmt.Fprintf(w, "\n## §5.4 ListenAndServe's four parts (note 000): createRouter, the listener (unix %s, mode 0660),\n", sockPath)
	fmt.Fprintf(w, "## TLS (tcp only), http.Server.Serve. Each request below: router → handler → job(s) → response.\n")
	steps := []struct {
		title, method, path, ctype string
		body                       []byte
	}{
		{"ping: no job at all, the handler writes OK", "GET", "/_ping", "", nil},
		{"version: the version job's env, as JSON", "GET", "/v1.14/version", "", nil},
		{"import from the request body: fromSrc=- hands r.Body to the import job's stdin", "POST", "/v1.14/images/create?fromSrc=-&repo=ch5&tag=latest", "application/x-tar", chapterutil.OneFileTar("hello", "hello from chapter 5\n", 0o755)},
		{"images: the images job's table, streamed as a JSON list", "GET", "/v1.14/images/json", "", nil},
		{"create: the body decoded into the create job's env; 201 with the id from its stdout", "POST", "/v1.14/containers/create?name=ch5", "application/json", []byte(`{"Image":"ch5","Cmd":["/hello"]}`)},
		{"containers: the containers job, all=1", "GET", "/v1.14/containers/json?all=1", "", nil},
		{"an unknown container: the job's \"No such container\" becomes 404 (httpError)", "GET", "/v1.14/containers/nosuch/json", "", nil},
		{"a malformed body: the decoder's error, 500 as upstream", "POST", "/v1.14/containers/create", "application/json", []byte(`{"Image":`)},
		{"a version newer than the server's: refused before any handler", "GET", "/v1.99/version", "", nil},
		{"a path no route matches: gorilla/mux's 404", "PUT", "/v1.14/version", "", nil},
		{"delete: the delete job, 204 No Content", "DELETE", "/v1.14/containers/ch5?force=1", "", nil},
		{"rmi: the image_delete job's list of what it untagged and deleted", "DELETE", "/v1.14/images/ch5", "", nil},
	}
	for _, s := range steps {
		fmt.Fprintf(w, "\n## %s\n", s.title)
		fmt.Fprintf(w, "  request  │ %s %s\n", s.method, s.path)
		fmt.Fprintf(w, "  router   │ %s\n", server.Describe(s.method, strings.SplitN(s.path, "?", 2)[0]))
		status, hdr, body, err := request(sockPath, s.method, s.path, s.ctype, s.body)
		time.Sleep(30 * time.Millisecond) // the job log's last lines
		daemonLog.Flush()
		if err != nil {
			fmt.Fprintf(w, "  response │ error: %v\n", err)
			continue
		}
		fmt.Fprintf(w, "  response │ %s  Content-Type: %s  Api-Version: %s\n", status, hdr.Get("Content-Type"), hdr.Get("Api-Version"))
		if b := strings.TrimSpace(string(body)); b != "" {
			fmt.Fprintf(w, "           │ %s\n", shorten(b))
		}
	}

	fmt.Fprintln(w, "\n## stop the daemon (what SIGTERM does): the engine's shutdown hook closes the http.Server")
	stop()
	if err := <-done; err != nil {
		return err
	}
	daemonLog.Flush()
	fmt.Fprintln(w, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), w)
}

// request sends one HTTP/1.1 request over the unix socket.
func request(sock, method, path, ctype string, body []byte) (string, http.Header, []byte, error) {
	c, err := net.DialTimeout("unix", sock, 5*time.Second)
	if err != nil {
		return "", nil, nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	req, err := http.NewRequest(method, "http://docker"+path, bytes.NewReader(body))
	if err != nil {
		return "", nil, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if err := req.Write(c); err != nil {
		return "", nil, nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		return "", nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.Status, resp.Header, b, err
}

// shorten keeps a long JSON answer to one readable line.
func shorten(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 160 {
		return s[:157] + "..."
	}
	return s
}

// traceFilter shows mainDaemon's trace lines of ch.3 §3.3.8 (serveapi)
// and of acceptconnections while the daemon starts, then nothing.
type traceFilter struct {
	mu      sync.Mutex
	w       io.Writer
	stopped bool
}

func (t *traceFilter) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return len(b), nil
	}
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if strings.Contains(line, "serveapi") || strings.Contains(line, "acceptconnections") {
			fmt.Fprintf(t.w, "    trace  │ %s", line)
		}
	}
	return len(b), nil
}

func (t *traceFilter) stop() {
	t.mu.Lock()
	t.stopped = true
	t.mu.Unlock()
}
