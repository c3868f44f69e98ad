// What the server answers for the routes of commands that came after
// Docker 1.2: a JSON error the stock docker CLI prints, naming the
// command, the release it arrived in and its Remote API version, instead
// of gorilla/mux's bare "404 page not found" (or `docker stats` drawing a
// row of "--").
//
// Not upstream: Docker 1.2.0 had none of these routes and answered 404
// (docs/divergences.md "Remote API for later clients").
// Book: ch.5 §5.4 (the router: a path that matches no route).
package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// laterRoute is one route a later release added: a method and a pattern
// (as routeTable writes them), what the user typed, when it arrived.
type laterRoute struct {
	method, path string
	command      string // "docker exec"
	release, api string // "1.3.0", "1.15"
	instead      string // what works on 1.2, if anything
	pattern      *regexp.Regexp
}

// laterRoutes are the commands of today's docker CLI that reach the
// daemon (the CLI itself refuses those it knows need API 1.25 or later).
var laterRoutes = compileLater([]laterRoute{
	{method: "POST", path: "/containers/{name:.*}/exec", command: "docker exec", release: "1.3.0", api: "1.15",
		instead: "start a new container from the same image (docker run), or attach to this one (docker attach)"},
	{method: "POST", path: "/exec/{id:.*}/start", command: "docker exec", release: "1.3.0", api: "1.15"},
	{method: "POST", path: "/exec/{id:.*}/resize", command: "docker exec", release: "1.3.0", api: "1.15"},
	{method: "GET", path: "/exec/{id:.*}/json", command: "docker exec", release: "1.3.0", api: "1.15"},
	{method: "GET", path: "/containers/{name:.*}/stats", command: "docker stats", release: "1.5.0", api: "1.17",
		instead: "docker top shows the container's processes"},
	{method: "POST", path: "/containers/{name:.*}/rename", command: "docker rename", release: "1.5.0", api: "1.17"},
	{method: "PUT", path: "/containers/{name:.*}/archive", command: "docker cp into a container", release: "1.8.0", api: "1.20",
		instead: "docker cp out of a container works; to add files, commit an image that has them"},
	{method: "POST", path: "/containers/{name:.*}/update", command: "docker update", release: "1.10.0", api: "1.22"},
	{method: "*", path: "/volumes{rest:(/.*)?}", command: "docker volume", release: "1.9.0", api: "1.21",
		instead: "docker run -v HOST:CONTAINER binds a directory, as 1.2 did"},
	{method: "*", path: "/networks{rest:(/.*)?}", command: "docker network", release: "1.9.0", api: "1.21",
		instead: "docker run --net=bridge|none|host|container:NAME, and --link, as 1.2 did"},
})

func compileLater(routes []laterRoute) []laterRoute {
	for i := range routes {
		routes[i].pattern = compile(routes[i].path)
	}
	return routes
}

// findLater is the later route method and path belong to, if any.
func findLater(method, path string) *laterRoute {
	for i, l := range laterRoutes {
		if (l.method == method || l.method == "*") && l.pattern.MatchString(path) {
			return &laterRoutes[i]
		}
	}
	return nil
}

// message is what the CLI prints after "Error response from daemon: ".
func (l *laterRoute) message(method, path string) string {
	msg := fmt.Sprintf("%s came after Docker 1.2: it arrived in Docker %s (Remote API %s). This daemon is Docker 1.2.0 (API 1.14), rebuilt by dockerlab, and has no %s %s",
		l.command, l.release, l.api, method, strings.TrimSuffix(path, "/"))
	if l.instead != "" {
		msg += "; instead: " + l.instead
	}
	return msg
}

// writeLaterError answers 501 Not Implemented with {"message": …}, the
// shape the CLI decodes; 1.2 clients print the body as it is.
func writeLaterError(w http.ResponseWriter, l *laterRoute, method, path string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotImplemented)
	json.NewEncoder(w).Encode(map[string]string{"message": l.message(method, path)})
}
