// Package server is the daemon's Remote API server: the "serveapi" job
// that opens one listener per -H address, and the "acceptconnections" job
// that lets them start answering once the daemon is ready.
//
// Upstream: api/server/server.go at v1.2.0 (ServeApi, ListenAndServe,
// AcceptConnections, createRouter). See docs/upstream/v1.2.0.md §6.3.
// Book: ch.5 (Docker Server的创建): §5.2 the "serveapi" job, §5.3 ServeApi, §5.4
// ListenAndServe (router, listener, http.Server).
//
// Why two jobs: mainDaemon starts serveapi straight away, so that the
// socket exists as early as possible, while NewDaemon still runs in a
// goroutine. A client that connects in between is not refused: its
// connection waits (pkg/listenbuffer) until acceptconnections says
// the daemon is there to answer it.
//
// The routes are in router.go (the table), handlers_*.go (one file per
// group of routes), streams.go and handlers_attach.go (what streams), and
// compat.go (what later clients need added: docs/divergences.md).
package server

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/listenbuffer"
)

// ServeApi is the "serveapi" job. Its args are addresses such as
// unix:///run/dockerlab/v1.2/docker.sock or tcp://127.0.0.1:2375. It
// returns when every server has stopped (engine shutdown closes them) or
// as soon as one fails.
//
//lab:exercise ch05.serve-api
func ServeApi(job *engine.Job) engine.Status {
	if len(job.Args) == 0 {
		return job.Errorf("usage: %s PROTO://ADDR [PROTO://ADDR ...]", job.Name)
	}
	errs := make(chan error, len(job.Args))
	for _, protoAddr := range job.Args {
		proto, addr, ok := strings.Cut(protoAddr, "://")
		if !ok {
			return job.Errorf("invalid address %q: want PROTO://ADDR (unix:///path or tcp://host:port)", protoAddr)
		}
		go func() {
			job.Logf("Listening for HTTP on %s (%s)", proto, addr)
			errs <- ListenAndServe(proto, addr, job)
		}()
	}
	for range job.Args {
		if err := <-errs; err != nil {
			return job.Error(err)
		}
	}
	return engine.StatusOK
}

// ListenAndServe opens one listener and serves the router on it until the
// engine shuts down. Its four parts are note 000's: the router, the
// listener (unix, tcp or fd), TLS for tcp, and the http.Server.
func ListenAndServe(proto, addr string, job *engine.Job) error {
	eng := job.Eng
	router := createRouter(eng, job.GetenvBool("Logging"), job.GetenvBool("EnableCors"), job.Getenv("Version"))
	var (
		l   net.Listener
		err error
	)
	switch proto {
	case "unix":
		l, err = listenUnix(addr, job.Getenv("SocketGroup"), job)
	case "tcp":
		l, err = listenTCP(addr, job)
	case "fd":
		return serveFd(addr, router, job)
	default:
		return fmt.Errorf("Invalid protocol format: %q (want unix or tcp)", proto)
	}
	if err != nil {
		return err
	}
	if proto == "tcp" {
		tl, err := wrapTLS(l, job)
		if err != nil {
			l.Close()
			return err
		}
		l = tl
	}
	if job.GetenvBool("BufferRequests") {
		l = listenbuffer.NewListenBuffer(l, activation(eng))
	}
	srv := newHTTPServer(router)
	eng.OnShutdown(func() { srv.Close() })
	if eng.IsShutdown() {
		// Shut down between the listen and the hook: the hook came too late.
		srv.Close()
	}
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// How long a client may take to send a request's headers, and how long a
// kept-alive connection may wait for its next request. Variables so that
// tests can shorten them.
var (
	headerTimeout = 10 * time.Second
	idleTimeout   = 2 * time.Minute
)

// newHTTPServer is the http.Server of every listener. Not upstream: Docker
// 1.2's had no timeout at all, so a client that sent its headers a byte a
// minute (slowloris) held a connection and a goroutine for ever; 200 of
// them were 200 descriptors. The timeouts bound only the headers and the
// wait between requests: once a handler runs there is no deadline (the
// server clears the header deadline when ReadTimeout is zero), so attach,
// logs -f, events and a long import or load stream as long as they need
// (docs/divergences.md "Remote API server").
func newHTTPServer(router http.Handler) *http.Server {
	return &http.Server{
		Handler:           router,
		ReadHeaderTimeout: headerTimeout,
		IdleTimeout:       idleTimeout,
	}
}

// serveFd serves the router on every activated listener addr selects,
// once acceptconnections has run (upstream waited on the activation lock
// before serving, and so does this).
func serveFd(addr string, router http.Handler, job *engine.Job) error {
	eng := job.Eng
	ls, err := listenFD(addr)
	if err != nil {
		return err
	}
	errs := make(chan error, len(ls))
	for _, l := range ls {
		l = listenbuffer.NewListenBuffer(l, activation(eng))
		srv := newHTTPServer(router)
		eng.OnShutdown(func() { srv.Close() })
		if eng.IsShutdown() {
			srv.Close()
		}
		go func() { errs <- srv.Serve(l) }()
	}
	for range ls {
		if err := <-errs; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// AcceptConnections is the "acceptconnections" job: from now on the
// listeners answer. Running it twice is harmless.
func AcceptConnections(job *engine.Job) engine.Status {
	ch := activation(job.Eng)
	activationMu.Lock()
	defer activationMu.Unlock()
	select {
	case <-ch:
	default:
		close(ch)
	}
	return engine.StatusOK
}

// activations holds one activation channel per engine. Upstream had one
// global channel per process; dockerlab tests run several daemons in one
// process, so each engine gets its own. Not in the engine's Hack table:
// NewDaemon writes that table from another goroutine at the same time.
var (
	activationMu sync.Mutex
	activations  = map[*engine.Engine]chan struct{}{}
)

func activation(eng *engine.Engine) chan struct{} {
	activationMu.Lock()
	defer activationMu.Unlock()
	ch, ok := activations[eng]
	if !ok {
		ch = make(chan struct{})
		activations[eng] = ch
		// Forget the engine once it shuts down, so the map does not grow.
		eng.OnShutdown(func() {
			activationMu.Lock()
			delete(activations, eng)
			activationMu.Unlock()
		})
	}
	return ch
}
