// Tests of the exercise ch01.pull-request (the path of `docker pull`
// through §1.2's architecture: the client's CmdPull turns the command into
// POST /images/create, the server's postImagesCreate turns the request into
// the engine's job "pull"): `dockerlab lab check ch01.pull-request`, or
// `go test ./v1_2/api/server -run TestCh01PullRequest`.
//
// Docker 1.2's own client talks to the server's router on a free port of
// 127.0.0.1; behind the router is an engine whose "pull" job only records
// what it was given and answers one progress line, so no registry and no
// kernel are needed.
package server

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/api/client"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/registry"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// labCh01Pull is what one run of the job "pull" was given.
type labCh01Pull struct {
	Args           []string
	JSON, Parallel bool
	Auth           registry.AuthConfig
	Meta           map[string][]string
}

// labCh01Daemon is the daemon's half of the path: the router (Server) in
// front of an engine (Engine) whose job "pull" (Job) is a recorder.
type labCh01Daemon struct {
	host string
	mu   sync.Mutex
	reqs []*http.Request
	jobs []labCh01Pull
}

func labCh01Start(t *testing.T) *labCh01Daemon {
	t.Helper()
	t.Setenv("HOME", t.TempDir()) // the client's ~/.dockercfg: none yet
	d := &labCh01Daemon{}
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("pull", func(job *engine.Job) engine.Status {
		p := labCh01Pull{Args: append([]string(nil), job.Args...), JSON: job.GetenvBool("json"), Parallel: job.GetenvBool("parallel")}
		job.GetenvJson("authConfig", &p.Auth)
		job.GetenvJson("metaHeaders", &p.Meta)
		d.mu.Lock()
		d.jobs = append(d.jobs, p)
		d.mu.Unlock()
		job.Stdout.Write(utils.NewStreamFormatter(p.JSON).FormatStatus("", "job pull(%s) ran", strings.Join(job.Args, ", ")))
		return engine.StatusOK
	}))
	t.Cleanup(eng.Shutdown)
	router := NewRouter(eng, false, "1.2.0")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.reqs = append(d.reqs, r.Clone(r.Context()))
		d.mu.Unlock()
		router.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	d.host = srv.Listener.Addr().String()
	return d
}

// pull runs Docker 1.2's client: `docker pull args…`. It answers what
// the client printed and the one job the request became.
func (d *labCh01Daemon) pull(t *testing.T, args ...string) (string, labCh01Pull) {
	t.Helper()
	d.mu.Lock()
	d.reqs, d.jobs = nil, nil
	d.mu.Unlock()
	var out bytes.Buffer
	cli := client.NewDockerCli(nil, &out, &out, "tcp", d.host, nil)
	err := cli.CmdPull(args...)
	require.NoError(t, err, "docker pull %s; the client printed:\n%s", strings.Join(args, " "), out.String())
	d.mu.Lock()
	defer d.mu.Unlock()
	require.Len(t, d.reqs, 1, "docker pull %s sends one request to the daemon", strings.Join(args, " "))
	req := d.reqs[0]
	assert.Equal(t, "POST", req.Method, "docker pull is a POST")
	assert.Equal(t, "/v1.14/images/create", req.URL.Path, "docker pull is POST /images/create (with the client's API version in front)")
	assert.NotEmpty(t, req.URL.Query().Get("fromImage"), "the image to pull goes in the query's fromImage")
	assert.NotEmpty(t, req.Header.Get("X-Registry-Auth"), "the client always sends X-Registry-Auth: the account for the name's registry from ~/.dockercfg, {} for none (base64url JSON)")
	require.Len(t, d.jobs, 1, "the server turns POST /images/create?fromImage=… into the engine's job \"pull\" and runs it; the client printed:\n%s", out.String())
	return out.String(), d.jobs[0]
}

// post sends one request straight to the server, as another client (an
// older one, a later one) would, and answers the job it became.
func (d *labCh01Daemon) post(t *testing.T, path string, header http.Header) labCh01Pull {
	t.Helper()
	d.mu.Lock()
	d.reqs, d.jobs = nil, nil
	d.mu.Unlock()
	req, err := http.NewRequest("POST", "http://"+d.host+path, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "POST %s: %s", path, body.String())
	d.mu.Lock()
	defer d.mu.Unlock()
	require.Len(t, d.jobs, 1, "POST %s becomes one job \"pull\"; the server answered: %s", path, body.String())
	return d.jobs[0]
}

// `docker pull busybox`: client → POST /images/create → server →
// eng.Job("pull", "busybox", "") with its env → the job runs, and what it
// writes comes back through the server to the client's screen.
func TestCh01PullRequest(t *testing.T) {
	d := labCh01Start(t)
	out, job := d.pull(t, "busybox")
	assert.Equal(t, []string{"busybox", ""}, job.Args, "the job's arguments: the name, and the tag (\"\": every tag)")
	assert.True(t, job.JSON, `env "json": the server asks for JSON progress (API > 1.0), which the client renders`)
	assert.True(t, job.Parallel, `env "parallel": a client of API 1.14 (> 1.3) gets its images pulled in parallel`)
	assert.Contains(t, out, "job pull(busybox, ) ran", "the job's output streams back to the client, which prints it")
}

// NAME:TAG is split into the name and the tag; -t gives the tag too.
func TestCh01PullRequest_Tag(t *testing.T) {
	d := labCh01Start(t)
	_, job := d.pull(t, "busybox:ubuntu-14.04")
	assert.Equal(t, []string{"busybox", "ubuntu-14.04"}, job.Args, "docker pull busybox:ubuntu-14.04 pulls the tag ubuntu-14.04 of busybox (graph.ParseRepositoryTag)")
	_, job = d.pull(t, "-t", "v1", "student/app")
	assert.Equal(t, []string{"student/app", "v1"}, job.Args, "docker pull -t v1 student/app pulls the tag v1 (Docker 1.2 lost a given -t; dockerlab sends it)")
}

// A name on another registry: the colon of its port is not a tag, and the
// account saved in ~/.dockercfg for that registry goes along, in
// X-Registry-Auth, to the job's env authConfig.
func TestCh01PullRequest_RegistryHost(t *testing.T) {
	d := labCh01Start(t)
	cfg, err := registry.LoadConfig(os.Getenv("HOME"))
	require.NoError(t, err)
	cfg.Configs["127.0.0.1:5000"] = registry.AuthConfig{Username: "alice", Password: "wonderland", Email: "alice@example.com"}
	require.NoError(t, registry.SaveConfig(cfg))

	_, job := d.pull(t, "127.0.0.1:5000/library/busybox")
	assert.Equal(t, []string{"127.0.0.1:5000/library/busybox", ""}, job.Args, "a registry's port is not a tag: 127.0.0.1:5000/library/busybox has no tag")
	assert.Equal(t, "alice", job.Auth.Username, "the account saved for 127.0.0.1:5000 reaches the job (X-Registry-Auth → env authConfig)")
	assert.Equal(t, "wonderland", job.Auth.Password)

	_, job = d.pull(t, "localhost:5000/tools/app:v2")
	assert.Equal(t, []string{"localhost:5000/tools/app", "v2"}, job.Args, "only a colon after the last / starts a tag")
	assert.Empty(t, job.Auth.Username, "no account is saved for localhost:5000: the header carries {}")
}

// The server's half alone, as other clients call it: a client of API 1.3
// sends NAME:TAG in fromImage and gets no parallel pull; a later client
// names Docker Hub's images docker.io/library/NAME; X-Registry-Auth and
// X-Meta-* headers reach the job's env.
func TestCh01PullRequest_Server(t *testing.T) {
	d := labCh01Start(t)
	job := d.post(t, "/v1.3/images/create?fromImage=busybox:latest", http.Header{"X-Meta-Origin": {"lab"}})
	assert.Equal(t, []string{"busybox", "latest"}, job.Args, "with no tag= in the query, the server splits fromImage=NAME:TAG itself")
	assert.False(t, job.Parallel, `env "parallel" only for API versions above 1.3`)
	assert.True(t, job.JSON, `env "json" for API versions above 1.0`)
	assert.Equal(t, []string{"lab"}, job.Meta["X-Meta-Origin"], "X-Meta-* headers go to the job's env metaHeaders (they are sent on to the registry)")

	job = d.post(t, "/v1.3/images/create?fromImage="+url.QueryEscape("127.0.0.1:5000/library/busybox"), nil)
	assert.Equal(t, []string{"127.0.0.1:5000/library/busybox", ""}, job.Args, "the server's split keeps a registry's port too")

	auth := base64.URLEncoding.EncodeToString([]byte(`{"username":"carol","password":"secret"}`))
	job = d.post(t, "/v1.14/images/create?fromImage=docker.io/library/busybox&tag=1.36", http.Header{"X-Registry-Auth": {auth}})
	assert.Equal(t, []string{"busybox", "1.36"}, job.Args, "a later client's docker.io/library/busybox is 1.2's busybox (familiarRepo); a tag= given is used as it is")
	assert.True(t, job.Parallel)
	assert.Equal(t, "carol", job.Auth.Username, "X-Registry-Auth (base64url JSON) becomes the job's env authConfig")
}
