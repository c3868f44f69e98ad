// The router: every route of the Remote API v1.14, each served bare and
// under /v{version}, and makeHttpHandler that wraps each handler.
//
// Upstream: api/server/server.go at v1.2.0 (createRouter, makeHttpHandler,
// HttpApiFunc, optionsHandler, writeCorsHeaders, ServeRequest). See
// docs/upstream/v1.2.0.md §6.1-6.2.
// Book: ch.5 §5.4 创建router.
// Notes: 000 (ListenAndServe's first part: createRouter).
//
// Upstream used gorilla/mux: a route such as "/containers/{name:.*}/json"
// became a regular expression. dockerlab compiles the same patterns with
// regexp, so the table below reads as upstream's map did.
//
// Not upstream (docs/divergences.md, "Remote API for later clients"):
//   - versions up to 1.24 are served (1.2 refused anything past 1.14),
//     so docker-py 7, which refuses APIs below 1.24, can talk to it;
//   - every answer carries "Api-Version: 1.14" and HEAD /_ping answers,
//     which is how later clients learn what to speak;
//   - a few routes later clients call (GET /images/get?names=…) are added;
//   - the routes of commands that came later (exec, stats, cp into …)
//     answer a JSON error naming the release they need (compat_later.go).
package server

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/api"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
)

// HttpApiFunc is one route's handler. vars holds the path's named parts
// ("name"); version is the API version the client asked for.
type HttpApiFunc func(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error

// maxServedVersion is the newest API version answered (see the header).
const maxServedVersion version.Version = "1.24"

// routeTable is upstream's createRouter map, plus the additions marked.
func routeTable() map[string]map[string]HttpApiFunc {
	return map[string]map[string]HttpApiFunc{
		"GET": {
			"/_ping":                          ping,
			"/events":                         getEvents,
			"/info":                           getInfo,
			"/version":                        getVersion,
			"/images/json":                    getImagesJSON,
			"/images/viz":                     getImagesViz,
			"/images/search":                  getImagesSearch,
			"/images/get":                     getImagesGetNames, // not upstream: later clients' save
			"/images/{name:.*}/get":           getImagesGet,
			"/images/{name:.*}/history":       getImagesHistory,
			"/images/{name:.*}/json":          getImagesByName,
			"/containers/ps":                  getContainersJSON,
			"/containers/json":                getContainersJSON,
			"/containers/{name:.*}/export":    getContainersExport,
			"/containers/{name:.*}/changes":   getContainersChanges,
			"/containers/{name:.*}/json":      getContainersByName,
			"/containers/{name:.*}/top":       getContainersTop,
			"/containers/{name:.*}/logs":      getContainersLogs,
			"/containers/{name:.*}/attach/ws": wsContainersAttach,
			"/containers/{name:.*}/archive":   getContainersArchive, // not upstream: later clients' cp
		},
		"HEAD": {
			"/_ping":                        ping,                 // not upstream: later clients ping with HEAD first
			"/containers/{name:.*}/archive": getContainersArchive, // not upstream: later clients' cp
		},
		"POST": {
			"/auth":                         postAuth,
			"/commit":                       postCommit,
			"/build":                        postBuild,
			"/images/create":                postImagesCreate,
			"/images/load":                  postImagesLoad,
			"/images/{name:.*}/push":        postImagesPush,
			"/images/{name:.*}/tag":         postImagesTag,
			"/containers/create":            postContainersCreate,
			"/containers/{name:.*}/kill":    postContainersKill,
			"/containers/{name:.*}/pause":   postContainersPause,
			"/containers/{name:.*}/unpause": postContainersUnpause,
			"/containers/{name:.*}/restart": postContainersRestart,
			"/containers/{name:.*}/start":   postContainersStart,
			"/containers/{name:.*}/stop":    postContainersStop,
			"/containers/{name:.*}/wait":    postContainersWait,
			"/containers/{name:.*}/resize":  postContainersResize,
			"/containers/{name:.*}/attach":  postContainersAttach,
			"/containers/{name:.*}/copy":    postContainersCopy,
		},
		"DELETE": {
			"/containers/{name:.*}": deleteContainers,
			"/images/{name:.*}":     deleteImages,
		},
		"OPTIONS": {
			"": optionsHandler,
		},
	}
}

// route is one compiled entry of the table.
type route struct {
	method  string
	path    string         // as written in the table
	pattern *regexp.Regexp // path with {name:.*} as a named group
	handler HttpApiFunc
}

// Router is createRouter's result: it implements http.Handler.
type Router struct {
	routes []route
	any    map[string]HttpApiFunc // method → handler for route "" (any path)
	wrap   func(method, path string, h HttpApiFunc) http.HandlerFunc
}

var pathVar = regexp.MustCompile(`\{([a-z]+):([^}]*)\}`)

// compile turns "/containers/{name:.*}/json" into ^/containers/(?P<name>.*)/json$.
func compile(path string) *regexp.Regexp {
	var b strings.Builder
	last := 0
	for _, m := range pathVar.FindAllStringSubmatchIndex(path, -1) {
		b.WriteString(regexp.QuoteMeta(path[last:m[0]]))
		fmt.Fprintf(&b, "(?P<%s>%s)", path[m[2]:m[3]], path[m[4]:m[5]])
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(path[last:]))
	return regexp.MustCompile("^" + b.String() + "$")
}

// createRouter builds the router for eng. logging prints "[info] METHOD
// URI" for each request on the engine's stderr; enableCors adds the CORS
// headers; dockerVersion goes in the Server header.
func createRouter(eng *engine.Engine, logging, enableCors bool, dockerVersion string) *Router {
	r := &Router{any: map[string]HttpApiFunc{}}
	r.wrap = func(method, path string, h HttpApiFunc) http.HandlerFunc {
		return makeHttpHandler(eng, logging, method, path, h, enableCors, dockerVersion)
	}
	for method, routes := range routeTable() {
		for path, h := range routes {
			if path == "" {
				r.any[method] = h
				continue
			}
			r.routes = append(r.routes, route{method: method, path: path, pattern: compile(path), handler: h})
		}
	}
	// gorilla/mux tried routes in the order they were added, and Go's map
	// order made that order random. dockerlab fixes it: literal paths
	// first, then longer patterns first, so "/containers/{name}/attach/ws"
	// is tried before a pattern that would swallow it.
	sort.Slice(r.routes, func(i, j int) bool {
		a, b := r.routes[i], r.routes[j]
		if ha, hb := strings.Contains(a.path, "{"), strings.Contains(b.path, "{"); ha != hb {
			return !ha
		}
		if len(a.path) != len(b.path) {
			return len(a.path) > len(b.path)
		}
		return a.path < b.path
	})
	return r
}

// NewRouter is createRouter for callers outside this package (chapter 5
// and tests): CORS off.
func NewRouter(eng *engine.Engine, logging bool, daemonVersion string) http.Handler {
	return createRouter(eng, logging, false, daemonVersion)
}

var versionPrefix = regexp.MustCompile(`^/v([0-9.]+)(/.*)$`)

// ServeHTTP finds the route for r. A path may start with /v{version};
// the handler learns that version through the "version" var.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, ver := r.URL.Path, ""
	if m := versionPrefix.FindStringSubmatch(path); m != nil {
		ver, path = m[1], m[2]
	}
	for _, rte := range rt.routes {
		if rte.method != r.Method {
			continue
		}
		m := rte.pattern.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		vars := map[string]string{"version": ver}
		for i, name := range rte.pattern.SubexpNames() {
			if name != "" {
				vars[name] = m[i]
			}
		}
		rt.wrap(rte.method, rte.path, rte.handler).ServeHTTP(w, withVars(r, vars))
		return
	}
	if h, ok := rt.any[r.Method]; ok {
		rt.wrap(r.Method, "", h).ServeHTTP(w, withVars(r, map[string]string{"version": ver}))
		return
	}
	w.Header().Set("Api-Version", string(api.APIVERSION))
	// Not upstream: a later command's route says which release it needs
	// (compat_later.go).
	if l := findLater(r.Method, path); l != nil {
		writeLaterError(w, l, r.Method, path)
		return
	}
	// gorilla/mux's answer, also for a known path with the wrong method
	// (mux of 2014 had no 405).
	http.NotFound(w, r)
}

// makeHttpHandler wraps one handler: logging, the version check, CORS,
// the headers later clients read, and the error → status mapping.
func makeHttpHandler(eng *engine.Engine, logging bool, localMethod, localRoute string, handlerFunc HttpApiFunc, enableCors bool, dockerVersion string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if logging {
			fmt.Fprintf(eng.Stderr, "[info] %s %s\n", r.Method, r.RequestURI)
		}
		vars := varsOf(r)
		ver := version.Version(vars["version"])
		if ver == "" {
			ver = api.APIVERSION
		}
		w.Header().Set("Api-Version", string(api.APIVERSION))
		if dockerVersion != "" {
			w.Header().Set("Server", "Docker/"+dockerVersion+" (linux)")
		}
		w.Header().Set("Ostype", "linux")
		if enableCors {
			w.Header().Add("Access-Control-Allow-Origin", "*")
			w.Header().Add("Access-Control-Allow-Headers", "Origin, X-Requested-With, Content-Type, Accept")
			w.Header().Add("Access-Control-Allow-Methods", "GET, POST, DELETE, PUT, OPTIONS")
		}
		if ver.GreaterThan(maxServedVersion) {
			http.Error(w, fmt.Sprintf("client and server don't have same version (client : %s, server: %s)", ver, api.APIVERSION), http.StatusNotFound)
			return
		}
		if err := handlerFunc(eng, ver, w, r, vars); err != nil {
			if logging {
				fmt.Fprintf(eng.Stderr, "[error] Handler for %s %s returned error: %s\n", localMethod, localRoute, err)
			}
			httpError(w, err)
		}
	}
}

// ServeRequest serves one request as API version apiversion, as
// upstream's tests did: the path is given without the /v prefix.
func ServeRequest(eng *engine.Engine, apiversion version.Version, w http.ResponseWriter, req *http.Request) {
	router := createRouter(eng, false, true, "")
	req.URL.Path = fmt.Sprintf("/v%s%s", apiversion, req.URL.Path)
	router.ServeHTTP(w, req)
}

func optionsHandler(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	w.WriteHeader(http.StatusOK)
	return nil
}
