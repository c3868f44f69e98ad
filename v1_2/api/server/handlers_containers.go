// Handlers for the container routes that answer with a status or a JSON
// object: create, start, stop, kill, restart, pause, unpause, wait,
// resize, delete, inspect, list, top, changes, export, copy, commit.
//
// Upstream: api/server/server.go at v1.2.0 (postContainersCreate,
// postContainersStart, postContainersStop, …, getContainersJSON,
// getContainersByName, postCommit, postContainersCopy). See
// docs/upstream/v1.2.0.md §6.2 and §2.4 (the jobs' contracts).
// Book: ch.5 §5.4 and ch.12 (create and start, seen from the API).
package server

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/api"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
)

// postContainersCreate: the body is the container's Config (later
// clients add HostConfig to it; the create job reads both). 201 with
// {"Id", "Warnings"}: warnings are the job's stderr lines.
func postContainersCreate(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("create", r.Form.Get("name"))
	if err := decodeJSONBody(r, job.Env()); err != nil {
		return err
	}
	compatCreateEnv(job.Env())
	var stdout, warnings bytes.Buffer
	job.Stdout.Add(&stdout)
	job.Stderr.Add(&warnings)
	if err := job.Run(); err != nil {
		return err
	}
	var outWarnings []string
	scanner := bufio.NewScanner(&warnings)
	for scanner.Scan() {
		outWarnings = append(outWarnings, scanner.Text())
	}
	out := &engine.Env{}
	out.Set("Id", engine.Tail(&stdout, 1))
	out.SetList("Warnings", outWarnings)
	return writeJSON(w, http.StatusCreated, out)
}

// postContainersStart: a body, when there is one, is a HostConfig and
// must say it is JSON. 304 when the container already runs.
func postContainersStart(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	job := eng.Job("start", vars["name"])
	if r.Body != nil && r.ContentLength > 0 {
		if !api.MatchesContentType(r.Header.Get("Content-Type"), "application/json") {
			return fmt.Errorf("Content-Type of application/json is required")
		}
		if err := decodeJSONBody(r, job.Env()); err != nil {
			return err
		}
		compatCreateEnv(job.Env())
	}
	if err := job.Run(); err != nil {
		if err.Error() == "Container already started" {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// postContainersStop: 304 when the container is not running.
func postContainersStop(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("stop", vars["name"])
	job.Setenv("t", r.Form.Get("t"))
	if err := job.Run(); err != nil {
		if err.Error() == "Container already stopped" {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func postContainersKill(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("kill", vars["name"])
	if sig := r.Form.Get("signal"); sig != "" {
		job.Args = append(job.Args, sig)
	}
	return runNoContent(job, w)
}

func postContainersRestart(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("restart", vars["name"])
	job.Setenv("t", r.Form.Get("t"))
	return runNoContent(job, w)
}

func postContainersPause(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	return runNoContent(eng.Job("pause", vars["name"]), w)
}

func postContainersUnpause(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	return runNoContent(eng.Job("unpause", vars["name"]), w)
}

// postContainersWait answers {"StatusCode": N} once the container stops.
// Later clients may add ?condition=not-running|next-exit|removed; 1.2's
// wait has one meaning (wait until it is not running) and it is used for
// all three.
func postContainersWait(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	out, err := runBuffered(eng.Job("wait", vars["name"]))
	if err != nil {
		return err
	}
	env := &engine.Env{}
	if code, err := strconv.Atoi(lastLine(out)); err == nil {
		env.SetInt("StatusCode", code) // a number: upstream relied on Set's JSON sniffing
	} else {
		env.Set("StatusCode", lastLine(out)) // what the job said, as it said it
	}
	return writeJSON(w, http.StatusOK, env)
}

// postContainersResize: the tty size, h and w. 1.2 answered 200 with no body.
func postContainersResize(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	return eng.Job("resize", vars["name"], r.Form.Get("h"), r.Form.Get("w")).Run()
}

func deleteContainers(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	release := beginDelete(vars["name"]) // holds the "destroy" event: compat_deletes.go
	defer release()
	job := eng.Job("delete", vars["name"])
	job.Setenv("forceRemove", r.Form.Get("force"))
	job.Setenv("removeVolume", r.Form.Get("v"))
	job.Setenv("removeLink", r.Form.Get("link"))
	if err := runNoContent(job, w); err != nil {
		return err
	}
	// The answer goes onto the connection before the event is let go:
	// released first, a busy machine could send "destroy" while the 204
	// still sat in the server's buffer (compat_deletes.go).
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

// getContainersJSON lists containers. API < 1.5 wanted Ports as one string.
func getContainersJSON(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("containers")
	for _, k := range []string{"all", "size", "since", "before", "limit"} {
		job.Setenv(k, r.Form.Get(k))
	}
	filters, err := compatListFilters(r.Form.Get("filters"))
	if err != nil {
		return err
	}
	job.Setenv("filters", filters)
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	if version.LessThan("1.5") {
		outs := engine.NewTable("", 0)
		if _, err := outs.ReadListFrom(out); err != nil {
			return err
		}
		for _, c := range outs.Data {
			ports := engine.NewTable("", 0)
			ports.ReadListFrom([]byte(c.Get("Ports")))
			c.Set("Ports", api.DisplayablePorts(ports))
		}
		var b bytes.Buffer
		if _, err := outs.WriteListTo(&b); err != nil {
			return err
		}
		return writeRawJSON(w, http.StatusOK, b.Bytes())
	}
	return writeRawJSON(w, http.StatusOK, compatContainerList(out))
}

// getContainersByName is inspect. Before 1.12 it answered the raw struct.
func getContainersByName(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	job := eng.Job("container_inspect", vars["name"])
	if version.LessThan("1.12") {
		job.SetenvBool("raw", true)
	}
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, compatContainerInspect(out))
}

func getContainersTop(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if version.LessThan("1.4") {
		return fmt.Errorf("top was improved a lot since 1.3, Please upgrade your docker client.")
	}
	if err := parseForm(r); err != nil {
		return err
	}
	out, err := runBuffered(eng.Job("top", vars["name"], r.Form.Get("ps_args")))
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, out)
}

func getContainersChanges(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	out, err := runBuffered(eng.Job("container_changes", vars["name"]))
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, out)
}

// getContainersExport streams the container's file system as a tar.
func getContainersExport(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	w.Header().Set("Content-Type", "application/x-tar")
	return streamRaw(eng.Job("export", vars["name"]), w)
}

// postContainersCopy: {"Resource": "/path"} → a tar of that path.
func postContainersCopy(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if ct := r.Header.Get("Content-Type"); !api.MatchesContentType(ct, "application/json") {
		return fmt.Errorf("Content-Type not supported: %s", ct)
	}
	var copyData engine.Env
	if err := decodeJSONBody(r, &copyData); err != nil {
		return err
	}
	resource := copyData.Get("Resource")
	if resource == "" {
		return fmt.Errorf("Path cannot be empty")
	}
	job := eng.Job("container_copy", vars["name"], strings.TrimPrefix(resource, "/"))
	w.Header().Set("Content-Type", "application/x-tar")
	err := streamRaw(job, w)
	if err != nil && strings.Contains(err.Error(), "no such file or directory") {
		return fmt.Errorf("Could not find the file %s in container %s", resource, vars["name"])
	}
	return err
}

// postCommit makes an image of a container. Since 1.13 the container is
// paused while it is copied unless pause=0.
func postCommit(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	var config engine.Env
	if r.ContentLength != 0 {
		// Upstream only logged a bad config; a client may send "null".
		if err := decodeJSONBody(r, &config); err != nil && errors.Is(err, errBodyTooLarge) {
			return err
		}
	}
	job := eng.Job("commit", r.Form.Get("container"))
	if r.FormValue("pause") == "" && version.GreaterThanOrEqualTo("1.13") {
		job.Setenv("pause", "1")
	} else {
		job.Setenv("pause", r.FormValue("pause"))
	}
	job.Setenv("repo", r.Form.Get("repo"))
	job.Setenv("tag", r.Form.Get("tag"))
	job.Setenv("author", r.Form.Get("author"))
	job.Setenv("comment", r.Form.Get("comment"))
	job.SetenvSubEnv("config", &config)
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	env := &engine.Env{}
	env.Set("Id", lastLine(out))
	return writeJSON(w, http.StatusCreated, env)
}

// runNoContent runs job and answers 204.
func runNoContent(job *engine.Job, w http.ResponseWriter) error {
	if err := job.Run(); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// lastLine is engine.Tail(out, 1) for a byte slice.
func lastLine(out []byte) string {
	return engine.Tail(bytes.NewBuffer(out), 1)
}
