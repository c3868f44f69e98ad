// Upstream: pkg/graphdb/utils.go at v1.2.0 (path helpers).
// Book: ch.4 §4.8 graphdb; container names are "/name" and link edges
// "/parent/alias" (daemon.RegisterLink).
package graphdb

import (
	"path"
	"strings"
)

// split cuts a path at every "/": "/a/b" gives ["", "a", "b"].
func split(p string) []string {
	return strings.Split(p, "/")
}

// PathDepth counts the parts of a path: "/" is 1, "/a" is 2, "/a/b" is 3.
func PathDepth(p string) int {
	parts := split(p)
	if len(parts) == 2 && parts[1] == "" {
		return 1
	}
	return len(parts)
}

// splitPath separates the parent path from the last name: "/a/b" gives
// ("/a", "b") and "/a" gives ("", "a") — the empty parent resolves to the
// root in get. A missing leading "/" is added. An empty path is treated as
// "/" (upstream indexed p[0] and panicked on it).
func splitPath(p string) (parent, name string) {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	parent, name = path.Split(p)
	return strings.TrimSuffix(parent, "/"), name
}
