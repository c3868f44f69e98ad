// Handlers for the daemon as a whole: ping, version, info, events, auth,
// search, and the routes 1.2 kept for old clients or left to later work.
//
// Upstream: api/server/server.go at v1.2.0 (ping, getVersion, getInfo,
// getEvents, postAuth, getImagesSearch, getImagesViz); postBuild is in
// handlers_build.go. See docs/upstream/v1.2.0.md §6.2.
// Book: ch.5 §5.4.
package server

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
)

func ping(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return nil
	}
	_, err := w.Write([]byte("OK"))
	return err
}

// getVersion and getInfo: upstream handed them to eng.ServeHTTP, which
// runs the job named by the path's last word. dockerlab runs the job
// itself so a failure gets a status code, and compat.go adds the fields
// later clients decode (see docs/divergences.md).
func getVersion(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	out, err := runBuffered(eng.Job("version"))
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, compatVersion(out))
}

func getInfo(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	out, err := runBuffered(eng.Job("info"))
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, compatInfo(eng, out))
}

// getEvents streams the events job's JSON objects, flushed one by one.
// compat.go filters them (later clients send filters) and adds the
// fields later clients read.
func getEvents(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	filter, err := parseEventFilters(r.Form.Get("filters"))
	if err != nil {
		return err
	}
	job := eng.Job("events")
	since := eventTime(r.Form.Get("since"))
	if since == "" {
		// Not upstream: a listener without since also gets the events of
		// the second it connected in. Headers go out before the job has
		// subscribed, and a client that starts a container right after
		// (docker run) must not miss its "die".
		since = strconv.FormatInt(time.Now().Unix(), 10)
	}
	job.Setenv("since", since)
	job.Setenv("until", eventTime(r.Form.Get("until")))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	out := newWriteFlusher(w)
	out.Write(nil) // headers out now: the client waits for them
	pr, pw := io.Pipe()
	job.Stdout.Add(pw)
	done := make(chan struct{})
	go func() {
		defer close(done)
		copyEvents(eng, out, pr, filter)
		// From now on the job's next write fails, which ends it.
		pr.CloseWithError(io.ErrClosedPipe)
	}()
	// A client that goes away ends the job at once: it is hung up, and
	// its next write fails too, the pipe reader being closed.
	go func() {
		select {
		case <-r.Context().Done():
			job.Hangup()
			pr.CloseWithError(r.Context().Err())
		case <-done:
		}
	}()
	err = job.Run()
	pw.Close()
	<-done
	if err != nil && r.Context().Err() == nil {
		fmt.Fprintf(out, "{\"error\":%q}\n", err.Error())
	}
	return nil
}

func postAuth(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	if err != nil {
		return fmt.Errorf("%w: %v", errBodyTooLarge, err)
	}
	job := eng.Job("auth")
	job.Setenv("authConfig", string(body))
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	if status := lastLine(out); status != "" {
		env := &engine.Env{}
		env.Set("Status", status)
		return writeJSON(w, http.StatusOK, env)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func getImagesSearch(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("search", r.Form.Get("term"))
	job.SetenvJson("metaHeaders", metaHeaders(r))
	job.SetenvJson("authConfig", registryAuth(r))
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, out)
}

// getImagesViz: gone from the server since API 1.7 (the client draws it).
func getImagesViz(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if version.GreaterThan("1.6") {
		w.WriteHeader(http.StatusNotFound)
		return fmt.Errorf("This is now implemented in the client.")
	}
	out, err := runBuffered(eng.Job("viz"))
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
