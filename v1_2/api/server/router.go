// The routes served so far.
//
// Upstream: api/server/server.go at v1.2.0 (createRouter, makeHttpHandler,
// ping, getVersion, getInfo). Reference upstream-v1_2.md §6.1-6.2. Book
// ch.5 §5.4 创建router.
//
// Upstream used gorilla/mux; each route was registered twice, bare and
// under /v{version}. A request for an API newer than the server's was
// refused. dockerlab matches the same paths with a few lines of its own.
package server

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

var versionPrefix = regexp.MustCompile(`^/v([0-9.]+)(/.*)$`)

// NewRouter returns the handler for one engine. logging prints
// "[info] METHOD URI" on the engine's stderr for each request.
func NewRouter(eng *engine.Engine, logging bool, daemonVersion string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if logging {
			fmt.Fprintf(eng.Stderr, "[info] %s %s\n", r.Method, r.RequestURI)
		}
		path := r.URL.Path
		if m := versionPrefix.FindStringSubmatch(path); m != nil {
			if newerThan(m[1], dockerversion.APIVERSION) {
				http.Error(w, fmt.Sprintf("client and server don't have same version (client : %s, server: %s)", m[1], dockerversion.APIVERSION), http.StatusNotFound)
				return
			}
			path = m[2]
		}
		if daemonVersion != "" {
			// Upstream sets this on every answer (docker CLI reads it).
			w.Header().Set("Server", "Docker/"+daemonVersion+" (linux)")
		}
		switch {
		case r.Method == http.MethodGet && path == "/_ping":
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("OK"))
		case r.Method == http.MethodGet && path == "/version":
			serveJob(eng, w, "version")
		case r.Method == http.MethodGet && path == "/info":
			serveJob(eng, w, "info")
		default:
			// gorilla/mux's answer for an unknown route.
			http.NotFound(w, r)
		}
	})
}

// serveJob runs a job whose stdout is one JSON env and sends that
// stdout as it is (upstream handed these routes to eng.ServeHTTP). It is
// buffered so that a failing job still gets an error status.
func serveJob(eng *engine.Engine, w http.ResponseWriter, name string) {
	job := eng.Job(name)
	var out bytes.Buffer
	job.Stdout.Add(&out)
	if err := job.Run(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(out.Bytes())
}

// newerThan compares dotted versions numerically ("1.9" < "1.14").
func newerThan(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x > y
		}
	}
	return false
}
