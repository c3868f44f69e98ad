// Path variables travel with the request in its context, as mux.Vars did.
//
// Upstream: vendor/src/github.com/gorilla/mux/mux.go at v1.2.0 (Vars); as
// makeHttpHandler in api/server/server.go used it.
package server

import (
	"context"
	"net/http"
)

type varsKey struct{}

func withVars(r *http.Request, vars map[string]string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), varsKey{}, vars))
}

func varsOf(r *http.Request) map[string]string {
	v, _ := r.Context().Value(varsKey{}).(map[string]string)
	return v
}
