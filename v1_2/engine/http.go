// Upstream: engine/http.go at v1.2.0.
// Book: ch.5 (Docker Server) — the API server hands /version, /info and
// /images/viz straight to this method, so an HTTP request becomes a job.
package engine

import (
	"net/http"
	"path"
)

// ServeHTTP runs the job named by the last element of the URL path, with the
// "a" query values as its arguments, and streams its stdout and stderr into
// the response. The status is always 200: headers go out before the job runs,
// so a failing job can only show its failure in the body.
func (eng *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	args, ok := r.URL.Query()["a"]
	if !ok {
		args = []string{}
	}
	w.Header().Set("Job-Name", name)
	for _, arg := range args {
		w.Header().Add("Job-Args", arg)
	}
	job := eng.Job(name, args...)
	job.Stdout.Add(w)
	job.Stderr.Add(w)
	w.WriteHeader(http.StatusOK)
	job.Run()
}
