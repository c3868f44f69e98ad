package server

import (
	"archive/tar"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/stdcopy"
)

// call is what a test job saw: its name, args and env.
type call struct {
	name string
	args []string
	env  map[string]string
}

// fakeJobs is an engine whose every job is answered by a catch-all that
// records the call and answers from a table, as upstream's
// server_unit_test.go replaced the daemon's jobs with its own.
type fakeJobs struct {
	eng     *engine.Engine
	mu      sync.Mutex
	calls   []call
	answers map[string]func(job *engine.Job) engine.Status
}

func newFakeJobs(t *testing.T) *fakeJobs {
	f := &fakeJobs{eng: engine.New(), answers: map[string]func(*engine.Job) engine.Status{}}
	f.eng.Logging = false
	f.eng.RegisterCatchall(func(job *engine.Job) engine.Status {
		f.mu.Lock()
		f.calls = append(f.calls, call{job.Name, append([]string(nil), job.Args...), job.Environ()})
		h := f.answers[job.Name]
		f.mu.Unlock()
		if h != nil {
			return h(job)
		}
		return engine.StatusOK
	})
	// container_inspect answers for any container not named "missing".
	f.answers["container_inspect"] = func(job *engine.Job) engine.Status {
		if job.Args[0] == "missing" {
			return job.Errorf("No such container: %s", job.Args[0])
		}
		tty := job.Args[0] == "tty"
		fmt.Fprintf(job.Stdout, `{"Id":"%s","Name":"/%s","Config":{"Tty":%v},"State":{"Running":true,"StartedAt":"2026-01-01T00:00:00Z","ExitCode":3},"HostConfig":{}}`, strings.Repeat("a", 64), job.Args[0], tty)
		return engine.StatusOK
	}
	return f
}

func (f *fakeJobs) last(name string) *call {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.calls) - 1; i >= 0; i-- {
		if f.calls[i].name == name {
			c := f.calls[i]
			return &c
		}
	}
	return nil
}

// do sends one request through the router.
func (f *fakeJobs) do(method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	createRouter(f.eng, false, false, "1.2.0").ServeHTTP(w, req)
	return w
}

// TestEveryRouteCallsItsJob: each route of upstream's table, bare and
// under /v1.14 and /v1.24, reaches the job upstream's handler ran.
func TestEveryRouteCallsItsJob(t *testing.T) {
	cases := []struct {
		method, path, body string
		job                string
		args               []string
		code               int
	}{
		{"GET", "/events?until=1", "", "events", nil, 200},
		{"GET", "/info", "", "info", nil, 200},
		{"GET", "/version", "", "version", nil, 200},
		{"GET", "/images/json?all=1", "", "images", nil, 200},
		{"GET", "/images/search?term=busybox", "", "search", []string{"busybox"}, 200},
		{"GET", "/images/busybox/get", "", "image_export", []string{"busybox"}, 200},
		{"GET", "/images/get?names=busybox&names=other", "", "image_export", []string{"busybox", "other"}, 200},
		{"GET", "/images/lib/busybox:1/history", "", "history", []string{"lib/busybox:1"}, 200},
		{"GET", "/images/busybox/json", "", "image_inspect", []string{"busybox"}, 200},
		{"GET", "/containers/ps", "", "containers", nil, 200},
		{"GET", "/containers/json?all=1", "", "containers", nil, 200},
		{"GET", "/containers/web/export", "", "export", []string{"web"}, 200},
		{"GET", "/containers/web/changes", "", "container_changes", []string{"web"}, 200},
		{"GET", "/containers/web/json", "", "container_inspect", []string{"web"}, 200},
		{"GET", "/containers/web/top?ps_args=aux", "", "top", []string{"web", "aux"}, 200},
		{"GET", "/containers/web/logs?stdout=1", "", "logs", []string{"web"}, 200},
		{"POST", "/auth", `{}`, "auth", nil, 204},
		{"POST", "/commit?container=web&repo=r", `{}`, "commit", []string{"web"}, 201},
		{"POST", "/images/create?fromSrc=-&repo=r&tag=t", "tar", "import", []string{"-", "r", "t"}, 200},
		{"POST", "/images/create?fromImage=busybox:1", "", "pull", []string{"busybox", "1"}, 200},
		{"POST", "/images/load", "tar", "load", nil, 200},
		{"POST", "/images/busybox/push", "", "push", []string{"busybox"}, 200},
		{"POST", "/images/busybox/tag?repo=r&tag=t", "", "tag", []string{"busybox", "r", "t"}, 201},
		{"POST", "/containers/create?name=web", `{"Image":"busybox"}`, "create", []string{"web"}, 201},
		{"POST", "/containers/web/kill?signal=KILL", "", "kill", []string{"web", "KILL"}, 204},
		{"POST", "/containers/web/pause", "", "pause", []string{"web"}, 204},
		{"POST", "/containers/web/unpause", "", "unpause", []string{"web"}, 204},
		{"POST", "/containers/web/restart?t=1", "", "restart", []string{"web"}, 204},
		{"POST", "/containers/web/start", "", "start", []string{"web"}, 204},
		{"POST", "/containers/web/stop?t=1", "", "stop", []string{"web"}, 204},
		{"POST", "/containers/web/wait", "", "wait", []string{"web"}, 200},
		{"POST", "/containers/web/resize?h=24&w=80", "", "resize", []string{"web", "24", "80"}, 200},
		{"DELETE", "/containers/web?force=1&v=1", "", "delete", []string{"web"}, 204},
		{"DELETE", "/images/busybox?force=1", "", "image_delete", []string{"busybox"}, 200},
	}
	for _, prefix := range []string{"", "/v1.14", "/v1.24"} {
		for _, c := range cases {
			f := newFakeJobs(t)
			var w *httptest.ResponseRecorder
			if c.method == "POST" && strings.HasPrefix(c.body, "{") {
				w = f.do(c.method, prefix+c.path, c.body, "Content-Type", "application/json")
			} else {
				w = f.do(c.method, prefix+c.path, c.body)
			}
			assert.Equal(t, c.code, w.Code, "%s %s%s: %s", c.method, prefix, c.path, w.Body)
			got := f.last(c.job)
			if assert.NotNil(t, got, "%s %s%s did not run %s", c.method, prefix, c.path, c.job) && c.args != nil {
				assert.Equal(t, c.args, got.args, "%s %s", c.method, c.path)
			}
			assert.Equal(t, "1.14", w.Header().Get("Api-Version"))
		}
	}
}

func TestJobEnvFromQuery(t *testing.T) {
	f := newFakeJobs(t)
	f.do("DELETE", "/containers/web?force=1&v=1&link=0", "")
	assert.Equal(t, map[string]string{"forceRemove": "1", "removeVolume": "1", "removeLink": "0"}, f.last("delete").env)
	f.do("GET", "/containers/json?all=1&limit=3&size=1&since=a&before=b", "")
	env := f.last("containers").env
	assert.Equal(t, "1", env["all"])
	assert.Equal(t, "3", env["limit"])
	assert.Equal(t, "a", env["since"])
	f.do("POST", "/v1.14/commit?container=web&repo=r&tag=t&author=me&comment=c", "")
	env = f.last("commit").env
	assert.Equal(t, "1", env["pause"]) // since 1.13 commit pauses unless told not to
	assert.Equal(t, "me", env["author"])
	f.do("POST", "/v1.12/commit?container=web", "")
	assert.Equal(t, "", f.last("commit").env["pause"])
	// Later clients' filters {"status":{"exited":true}} reach the job in 1.2's form.
	f.do("GET", `/containers/json?filters={"status":{"exited":true}}`, "")
	assert.Equal(t, `{"status":["exited"]}`, f.last("containers").env["filters"])
}

func TestCreateAnswer(t *testing.T) {
	f := newFakeJobs(t)
	f.answers["create"] = func(job *engine.Job) engine.Status {
		assert.Equal(t, "busybox", job.Getenv("Image"))
		// Later clients send HostConfig in create: it reaches the job.
		assert.Contains(t, job.Getenv("HostConfig"), "PortBindings")
		job.Errorf("Your kernel does not support swap limit capabilities.")
		job.Printf("%s\n", strings.Repeat("c", 64))
		return engine.StatusOK
	}
	w := f.do("POST", "/v1.24/containers/create", `{"Image":"busybox","HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":"8080"}]}}}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	var out struct {
		Id       string
		Warnings []string
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &out))
	assert.Equal(t, strings.Repeat("c", 64), out.Id)
	assert.Equal(t, []string{"Your kernel does not support swap limit capabilities."}, out.Warnings)
}

func TestStatusCodes(t *testing.T) {
	f := newFakeJobs(t)
	fail := func(msg string) func(*engine.Job) engine.Status {
		return func(job *engine.Job) engine.Status { return job.Errorf("%s", msg) }
	}
	f.answers["start"] = fail("Container already started")
	f.answers["stop"] = fail("Container already stopped")
	f.answers["kill"] = fail("No such container: nope")
	f.answers["delete"] = fail("Conflict, You cannot remove a running container. Stop the container before attempting removal or use -f")
	f.answers["tag"] = fail("Bad parameter: tag")
	f.answers["pause"] = fail("Impossible to pause")
	f.answers["restart"] = fail("something broke")
	f.answers["wait"] = func(job *engine.Job) engine.Status { job.Printf("3\n"); return engine.StatusOK }
	for _, c := range []struct {
		method, path string
		code         int
		body         string
	}{
		{"POST", "/containers/x/start", 304, ""},
		{"POST", "/containers/x/stop", 304, ""},
		{"POST", "/containers/nope/kill", 404, "No such container: nope\n"},
		{"DELETE", "/containers/x", 409, ""},
		{"POST", "/images/x/tag", 400, ""},
		{"POST", "/containers/x/pause", 406, ""},
		{"POST", "/containers/x/restart", 500, "something broke\n"},
		{"POST", "/containers/x/wait", 200, `{"StatusCode":3}` + "\n"},
		{"GET", "/containers/missing/logs?stdout=1", 404, ""},
		{"GET", "/containers/x/logs", 400, "Bad parameters: you must choose at least one stream\n"},
		{"POST", "/containers/missing/attach?stream=1", 404, ""},
		{"GET", "/v1.25/info", 404, "client and server don't have same version (client : 1.25, server: 1.14)\n"},
		{"GET", "/no/such/route", 404, "404 page not found\n"},
		{"PUT", "/containers/x/start", 404, "404 page not found\n"}, // wrong method: mux of 2014 answered 404
		{"GET", "/containers/x/start", 404, "404 page not found\n"},
		{"OPTIONS", "/anything", 200, ""},
		{"GET", "/_ping", 200, "OK"},
		{"HEAD", "/_ping", 200, ""},
		{"GET", "/images/viz", 404, "This is now implemented in the client.\n"},
		{"GET", "/containers/x/attach/ws", 400, ""},       // not a websocket handshake
		{"GET", "/containers/missing/attach/ws", 404, ""}, // checked before the handshake
	} {
		w := f.do(c.method, c.path, "")
		assert.Equal(t, c.code, w.Code, "%s %s: %s", c.method, c.path, w.Body)
		if c.body != "" {
			assert.Equal(t, c.body, w.Body.String(), "%s %s", c.method, c.path)
		}
	}
}

func TestBadBodies(t *testing.T) {
	f := newFakeJobs(t)
	// Malformed JSON: upstream answered the decoder's error with 500.
	w := f.do("POST", "/containers/create", `{"Image":`, "Content-Type", "application/json")
	assert.Equal(t, 500, w.Code)
	assert.Nil(t, f.last("create"), "the job must not run")
	// A start body that is not JSON.
	w = f.do("POST", "/containers/x/start", `x`, "Content-Type", "text/plain")
	assert.Equal(t, 500, w.Code)
	assert.Equal(t, "Content-Type of application/json is required\n", w.Body.String())
	// Oversized body.
	big := `{"Image":"` + strings.Repeat("x", maxJSONBody) + `"}`
	w = f.do("POST", "/containers/create", big, "Content-Type", "application/json")
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	// Filters that are not JSON.
	w = f.do("GET", "/containers/json?filters=nope", "")
	assert.Equal(t, 400, w.Code)
	// copy without a resource, or without JSON.
	w = f.do("POST", "/containers/x/copy", `{}`, "Content-Type", "application/json")
	assert.Equal(t, "Path cannot be empty\n", w.Body.String())
	w = f.do("POST", "/containers/x/copy", `{}`)
	assert.Equal(t, 500, w.Code)
}

func TestLegacyShapes(t *testing.T) {
	f := newFakeJobs(t)
	f.answers["images"] = func(job *engine.Job) engine.Status {
		job.Stdout.Write([]byte(`[{"Id":"abc","RepoTags":["busybox:latest","host:5000/b:1"],"Created":7,"Size":1,"VirtualSize":2}]`))
		return engine.StatusOK
	}
	w := f.do("GET", "/v1.6/images/json", "")
	var rows []map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &rows))
	require.Len(t, rows, 2)
	assert.Equal(t, "busybox", rows[0]["Repository"])
	assert.Equal(t, "latest", rows[0]["Tag"])
	assert.Equal(t, "host:5000/b", rows[1]["Repository"])

	f.answers["containers"] = func(job *engine.Job) engine.Status {
		job.Stdout.Write([]byte(`[{"Id":"abc","Status":"Up 3 seconds","Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"}]}]`))
		return engine.StatusOK
	}
	w = f.do("GET", "/v1.4/containers/json", "")
	assert.Contains(t, w.Body.String(), `"Ports":"0.0.0.0:8080-\u003e80/tcp"`)
	w = f.do("GET", "/containers/json", "")
	assert.Contains(t, w.Body.String(), `"State":"running"`)
}

func TestCompatInfoAndInspect(t *testing.T) {
	f := newFakeJobs(t)
	f.answers["info"] = func(job *engine.Job) engine.Status {
		env := &engine.Env{}
		env.SetBool("IPv4Forwarding", true)
		env.SetBool("Debug", false)
		env.WriteTo(job.Stdout)
		return engine.StatusOK
	}
	// docker info (API 1.19 and later) prints Running, Paused and Stopped
	// under Containers: counted from the list of all containers.
	f.answers["containers"] = func(job *engine.Job) engine.Status {
		if job.Getenv("all") == "1" {
			io.WriteString(job.Stdout, `[{"Status":"Up 2 seconds"},{"Status":"Up 1 second (Paused)"},{"Status":"Exited (0) 3 seconds ago"},{"Status":""}]`)
		}
		return engine.StatusOK
	}
	var info struct {
		IPv4Forwarding    bool
		Debug             bool
		ServerVersion     string
		ContainersRunning int
		ContainersPaused  int
		ContainersStopped int
	}
	require.NoError(t, json.Unmarshal(f.do("GET", "/info", "").Body.Bytes(), &info))
	assert.True(t, info.IPv4Forwarding)
	assert.Equal(t, "1.2.0", info.ServerVersion)
	assert.Equal(t, 1, info.ContainersRunning)
	assert.Equal(t, 1, info.ContainersPaused)
	assert.Equal(t, 2, info.ContainersStopped)

	var c struct {
		State      struct{ Status string }
		HostConfig struct{ LogConfig struct{ Type string } }
	}
	require.NoError(t, json.Unmarshal(f.do("GET", "/v1.24/containers/web/json", "").Body.Bytes(), &c))
	assert.Equal(t, "running", c.State.Status)
	assert.Equal(t, "json-file", c.HostConfig.LogConfig.Type)
}

func TestLogsFraming(t *testing.T) {
	f := newFakeJobs(t)
	f.answers["logs"] = func(job *engine.Job) engine.Status {
		job.Stdout.Write([]byte("out\n"))
		job.Stderr.Write([]byte("err\n"))
		return engine.StatusOK
	}
	w := f.do("GET", "/containers/web/logs?stdout=1&stderr=1", "")
	require.Equal(t, 200, w.Code)
	var o, e bytes.Buffer
	_, err := stdcopy.StdCopy(&o, &e, w.Body)
	require.NoError(t, err)
	assert.Equal(t, "out\n", o.String())
	assert.Equal(t, "err\n", e.String())
	assert.Equal(t, "1", f.last("logs").env["stdout"])

	// With a tty the bytes go raw.
	w = f.do("GET", "/containers/tty/logs?stdout=1&stderr=1", "")
	assert.Equal(t, "out\nerr\n", w.Body.String())
	// Before 1.6 too.
	w = f.do("GET", "/v1.5/containers/web/logs?stdout=1&stderr=1", "")
	assert.Equal(t, "out\nerr\n", w.Body.String())
}

func TestStreamErrorAfterStart(t *testing.T) {
	f := newFakeJobs(t)
	f.answers["import"] = func(job *engine.Job) engine.Status {
		io.Copy(io.Discard, job.Stdin)
		job.Stdout.Write([]byte(`{"status":"Downloading"}` + "\r\n"))
		return job.Errorf("Bad tar")
	}
	w := f.do("POST", "/images/create?fromSrc=-", "not a tar")
	assert.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), `"error":"Bad tar"`)
	// Before the first message: a status code.
	f.answers["import"] = func(job *engine.Job) engine.Status { return job.Errorf("Bad parameter: repo") }
	w = f.do("POST", "/images/create?fromSrc=-", "x")
	assert.Equal(t, 400, w.Code)
}

func TestRouteOrder(t *testing.T) {
	r := createRouter(engine.New(), false, false, "")
	// Literal routes come before patterns that could swallow them.
	seen := map[string]int{}
	for i, rt := range r.routes {
		seen[rt.method+" "+rt.path] = i
	}
	assert.Less(t, seen["GET /containers/json"], seen["GET /containers/{name:.*}/json"])
	assert.Less(t, seen["GET /containers/{name:.*}/attach/ws"], seen["GET /containers/{name:.*}/json"])
	assert.Less(t, seen["GET /images/get"], seen["GET /images/{name:.*}/get"])
}

func TestCompatCreateBody(t *testing.T) {
	f := newFakeJobs(t)
	w := f.do("POST", "/v1.14/containers/create", `{"Image":"busybox","HostConfig":{"NetworkMode":"default","Memory":8388608,"CpusetCpus":"0"}}`, "Content-Type", "application/json")
	require.Equal(t, 201, w.Code)
	env := f.last("create").env
	assert.JSONEq(t, `{"NetworkMode":"bridge","Memory":8388608,"CpusetCpus":"0"}`, env["HostConfig"])
	assert.Equal(t, "8388608", env["Memory"])
	assert.Equal(t, "0", env["Cpuset"])
	w = f.do("POST", "/containers/x/start", `{"NetworkMode":"default"}`, "Content-Type", "application/json")
	require.Equal(t, 204, w.Code)
	assert.Equal(t, "bridge", f.last("start").env["NetworkMode"])
}

func TestFamiliarRepo(t *testing.T) {
	f := newFakeJobs(t)
	f.do("POST", "/images/busybox/tag?repo=docker.io/library/busybox&tag=v1", "")
	assert.Equal(t, []string{"busybox", "busybox", "v1"}, f.last("tag").args)
	f.do("POST", "/images/busybox/tag?repo=docker.io/me/app&tag=v1", "")
	assert.Equal(t, "me/app", f.last("tag").args[1])
	f.do("POST", "/images/busybox/tag?repo=localhost:5000/app&tag=v1", "")
	assert.Equal(t, "localhost:5000/app", f.last("tag").args[1])
}

func TestDescribe(t *testing.T) {
	assert.Equal(t, "POST /containers/{name:.*}/start → postContainersStart (name=web, version=1.14)", Describe("POST", "/v1.14/containers/web/start"))
	assert.Equal(t, "GET /_ping → ping (version=none, so 1.14)", Describe("GET", "/_ping"))
	assert.Equal(t, "no route: 404 page not found", Describe("PUT", "/version"))
}

func TestArchiveForLaterCp(t *testing.T) {
	f := newFakeJobs(t)
	f.answers["container_copy"] = func(job *engine.Job) engine.Status {
		if job.Args[1] != "tmp/x" {
			return job.Errorf("lstat /x/%s: no such file or directory", job.Args[1])
		}
		tw := tar.NewWriter(job.Stdout)
		tw.WriteHeader(&tar.Header{Name: "x", Mode: 0o644, Size: 3, Typeflag: tar.TypeReg, ModTime: time.Unix(1408000000, 0)})
		tw.Write([]byte("hi\n"))
		tw.Close()
		return engine.StatusOK
	}
	for _, method := range []string{"GET", "HEAD"} {
		w := f.do(method, "/v1.14/containers/web/archive?path=/tmp/x", "")
		require.Equal(t, 200, w.Code, w.Body.String())
		raw, err := base64.StdEncoding.DecodeString(w.Header().Get("X-Docker-Container-Path-Stat"))
		require.NoError(t, err)
		assert.JSONEq(t, `{"name":"x","size":3,"mode":420,"mtime":"2014-08-14T07:06:40Z","linkTarget":""}`, string(raw))
		if method == "GET" {
			tr := tar.NewReader(w.Body)
			hdr, err := tr.Next()
			require.NoError(t, err)
			assert.Equal(t, "x", hdr.Name)
			body, _ := io.ReadAll(tr)
			assert.Equal(t, "hi\n", string(body))
		}
	}
	w := f.do("GET", "/containers/web/archive?path=/nope", "")
	assert.Equal(t, 404, w.Code, w.Body.String())
	w = f.do("GET", "/containers/web/archive", "")
	assert.Equal(t, 400, w.Code)
}

// The routes of commands that came after 1.2 answer a JSON error the CLI
// prints, naming the command and its release; any other path is still
// 1.2's 404.
func TestLaterCommandsSayWhenTheyArrived(t *testing.T) {
	f := newFakeJobs(t)
	for _, c := range []struct{ method, path, want string }{
		{"POST", "/v1.14/containers/web/exec", "docker exec came after Docker 1.2: it arrived in Docker 1.3.0 (Remote API 1.15). This daemon is Docker 1.2.0 (API 1.14), rebuilt by dockerlab, and has no POST /containers/web/exec; instead: "},
		{"POST", "/v1.24/exec/abc/start", "docker exec came after Docker 1.2: it arrived in Docker 1.3.0"},
		{"GET", "/v1.14/containers/web/stats?stream=0", "docker stats came after Docker 1.2: it arrived in Docker 1.5.0 (Remote API 1.17)"},
		{"POST", "/containers/web/rename?name=x", "docker rename came after Docker 1.2: it arrived in Docker 1.5.0"},
		{"PUT", "/v1.24/containers/web/archive?path=/tmp", "docker cp into a container came after Docker 1.2: it arrived in Docker 1.8.0 (Remote API 1.20)"},
		{"POST", "/containers/web/update", "docker update came after Docker 1.2: it arrived in Docker 1.10.0 (Remote API 1.22)"},
		{"GET", "/v1.14/volumes", "docker volume came after Docker 1.2: it arrived in Docker 1.9.0 (Remote API 1.21)"},
		{"POST", "/volumes/create", "docker volume came after"},
		{"GET", "/networks", "docker network came after Docker 1.2: it arrived in Docker 1.9.0"},
		{"DELETE", "/networks/n1", "docker network came after"},
	} {
		w := f.do(c.method, c.path, "")
		assert.Equal(t, http.StatusNotImplemented, w.Code, "%s %s", c.method, c.path)
		assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
		var body struct{ Message string }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), w.Body.String())
		assert.Contains(t, body.Message, c.want, "%s %s", c.method, c.path)
	}
	w := f.do("GET", "/volumesx", "")
	assert.Equal(t, 404, w.Code)
	assert.Equal(t, "404 page not found\n", w.Body.String())
}
