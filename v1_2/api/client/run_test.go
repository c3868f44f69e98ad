package client

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runDaemon answers create, start, wait and inspect for container "c1".
func runDaemon(t *testing.T, exitCode int) *fakeDaemon {
	d := newFakeDaemon(t)
	d.json("POST /containers/create", 201, map[string]any{"Id": "c1", "Warnings": []string{"Your kernel does not support swap limit capabilities."}})
	d.text("POST /containers/c1/start", 204, "")
	d.json("POST /containers/c1/wait", 200, map[string]any{"StatusCode": exitCode})
	d.json("GET /containers/c1/json", 200, map[string]any{"State": map[string]any{"Running": false, "ExitCode": exitCode}})
	d.text("DELETE /containers/c1", 204, "")
	return d
}

// order returns "METHOD path" of each request.
func order(d *fakeDaemon) []string {
	var out []string
	for _, r := range d.requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func TestRunAttachedUpgradesThenStartsThenWaits(t *testing.T) {
	d := runDaemon(t, 0)
	d.on("POST /containers/c1/attach", attachHandler(t, true, false, "hi\n", "oops\n", nil))
	cli, out, errOut := d.client("")
	require.NoError(t, cli.Cmd("run", "-p", "8080:80", "--name", "web", "busybox", "echo", "hi"))
	assert.Equal(t, "hi\n", out.String())
	assert.Equal(t, "WARNING: Your kernel does not support swap limit capabilities.\noops\n", errOut.String())
	assert.Equal(t, []string{
		"POST /v1.14/containers/create",
		"POST /v1.14/containers/c1/attach",
		"POST /v1.14/containers/c1/start",
		"POST /v1.14/containers/c1/wait",
	}, order(d))

	create, _ := d.find("POST", "/v1.14/containers/create")
	assert.Equal(t, "name=web", create.Query)
	assert.Equal(t, "application/json", create.ContentType)
	var config map[string]any
	require.NoError(t, json.Unmarshal([]byte(create.Body), &config))
	assert.Equal(t, "busybox", config["Image"])
	assert.Equal(t, []any{"echo", "hi"}, config["Cmd"])
	assert.Equal(t, true, config["AttachStdout"])
	assert.NotContains(t, config, "HostConfig", "1.2 sent the HostConfig with start")

	attach, _ := d.find("POST", "/v1.14/containers/c1/attach")
	assert.Equal(t, "stderr=1&stdout=1&stream=1", attach.Query)
	assert.Equal(t, "tcp", attach.Upgrade)

	start, _ := d.find("POST", "/v1.14/containers/c1/start")
	var hostConfig map[string]any
	require.NoError(t, json.Unmarshal([]byte(start.Body), &hostConfig))
	assert.Equal(t, map[string]any{"80/tcp": []any{map[string]any{"HostIp": "", "HostPort": "8080"}}}, hostConfig["PortBindings"])
}

func TestRunOnA12DaemonThatAnswers200(t *testing.T) {
	d := runDaemon(t, 0)
	d.on("POST /containers/c1/attach", attachHandler(t, false, true, "raw tty output\r\n", "", nil))
	cli, out, _ := d.client("")
	require.NoError(t, cli.Cmd("run", "-t", "busybox", "sh"))
	assert.Equal(t, "raw tty output\r\n", out.String())
	// A tty run reads the exit code from inspect, not from wait.
	assert.Equal(t, "GET /v1.14/containers/c1/json", order(d)[3])
}

func TestRunExitStatusAndRm(t *testing.T) {
	d := runDaemon(t, 3)
	d.on("POST /containers/c1/attach", attachHandler(t, true, false, "", "", nil))
	cli, _, _ := d.client("")
	err := cli.Cmd("run", "--rm", "busybox", "sh", "-c", "exit 3")
	var st *StatusError
	require.ErrorAs(t, err, &st)
	assert.Equal(t, 3, st.ExitStatus())
	del, ok := d.find("DELETE", "/v1.14/containers/c1")
	require.True(t, ok, "--rm removes the container")
	assert.Equal(t, "v=1", del.Query)
}

func TestRunDetachedPrintsID(t *testing.T) {
	d := runDaemon(t, 0)
	cli, out, _ := d.client("")
	cid := filepath.Join(t.TempDir(), "cid")
	require.NoError(t, cli.Cmd("run", "-d", "--cidfile", cid, "busybox", "httpd", "-f"))
	assert.Equal(t, "c1\n", out.String())
	assert.Equal(t, []string{"POST /v1.14/containers/create", "POST /v1.14/containers/c1/start"}, order(d))
	data, err := os.ReadFile(cid)
	require.NoError(t, err)
	assert.Equal(t, "c1", string(data))
	// A second run with the same file is refused before any request.
	assert.ErrorContains(t, cli.Cmd("run", "-d", "--cidfile", cid, "busybox"), "Container ID file found")
}

func TestRunInteractiveSendsStdin(t *testing.T) {
	d := runDaemon(t, 0)
	stdin := make(chan string, 1)
	d.on("POST /containers/c1/attach", attachHandler(t, true, false, "HELLO\n", "", stdin))
	cli, out, _ := d.client("hello\n")
	require.NoError(t, cli.Cmd("run", "-i", "busybox", "tr", "a-z", "A-Z"))
	assert.Equal(t, "hello\n", <-stdin)
	assert.Equal(t, "HELLO\n", out.String())
	attach, _ := d.find("POST", "/v1.14/containers/c1/attach")
	assert.Equal(t, "stderr=1&stdin=1&stdout=1&stream=1", attach.Query)
}

func TestRunUnknownImagePullsThenRetries(t *testing.T) {
	// No registry: the daemon's pull job fails, and that is run's error.
	d := newFakeDaemon(t)
	d.text("POST /containers/create", 404, "No such image: nothere (tag: latest)")
	d.text("POST /images/create", 500, "Error: image library/nothere not found")
	cli, _, errOut := d.client("")
	err := cli.Cmd("run", "nothere")
	assert.EqualError(t, err, "Error: Error: image library/nothere not found")
	assert.Equal(t, "Unable to find image 'nothere' locally\n", errOut.String())
	assert.Equal(t, []string{"POST /v1.14/containers/create", "POST /v1.14/images/create"}, order(d), "no start")
	pull, _ := d.find("POST", "/v1.14/images/create")
	assert.Equal(t, "fromImage=nothere&tag=latest", pull.Query)

	// A pull that works is followed by a second create, then the run.
	d = runDaemon(t, 0)
	created := 0
	d.on("POST /containers/create", func(w http.ResponseWriter, r *http.Request) {
		if created++; created == 1 {
			http.Error(w, "No such image: busybox", 404)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		io.WriteString(w, `{"Id":"c1"}`)
	})
	d.on("POST /images/create", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"Pulling repository busybox"}`)
	})
	cli, out, errOut := d.client("")
	require.NoError(t, cli.Cmd("run", "-d", "busybox:1"))
	assert.Equal(t, "c1\n", out.String())
	assert.Equal(t, "Unable to find image 'busybox:1' locally\nPulling repository busybox\n", errOut.String())
	pull, _ = d.find("POST", "/v1.14/images/create")
	assert.Equal(t, "fromImage=busybox&tag=1", pull.Query)
	assert.Equal(t, []string{"POST /v1.14/containers/create", "POST /v1.14/images/create", "POST /v1.14/containers/create", "POST /v1.14/containers/c1/start"}, order(d))
}

func TestPullPushSearch(t *testing.T) {
	d := newFakeDaemon(t)
	d.text("POST /images/create", 500, "Invalid Registry endpoint: dial tcp: no such host")
	d.text("POST /images/mine/box/push", 500, "No such repository: mine/box")
	d.json("GET /images/search", 200, []map[string]any{
		{"name": "busybox", "description": "Busybox base image.", "star_count": 42, "is_official": true},
		{"name": "me/box", "description": strings.Repeat("long ", 20), "star_count": 1, "is_automated": true},
	})
	cli, out, _ := d.client("")
	assert.EqualError(t, cli.Cmd("pull", "-t", "latest", "busybox"), "Error: Invalid Registry endpoint: dial tcp: no such host")
	pull, _ := d.find("POST", "/v1.14/images/create")
	assert.Equal(t, "fromImage=busybox&tag=latest", pull.Query)

	assert.EqualError(t, cli.Cmd("push", "mine/box"), "Error: No such repository: mine/box")
	assert.ErrorContains(t, cli.Cmd("push", "me/box"), "Invalid namespace name (me)", "1.2's client checked the name first")
	assert.ErrorContains(t, cli.Cmd("push", "busybox"), `You cannot push a "root" repository`)

	require.NoError(t, cli.Cmd("search", "box"))
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL\s+AUTOMATED$`, lines[0])
	assert.Regexp(t, `^busybox\s+Busybox base image\.\s+42\s+\[OK\]\s*$`, lines[1])
	assert.Regexp(t, `^me/box\s+long long long long long long long long lo\.\.\.\s+1\s+\[OK\]$`, lines[2])
	out.Reset()
	require.NoError(t, cli.Cmd("search", "-s", "10", "box"))
	assert.NotContains(t, out.String(), "me/box", "--stars filters")
}

func TestRunBadFlags(t *testing.T) {
	d := newFakeDaemon(t)
	cli, _, errOut := d.client("")
	assert.EqualError(t, cli.Cmd("run", "-d", "--rm", "busybox"), "Conflicting options: --rm and -d")
	var st *StatusError
	require.ErrorAs(t, cli.Cmd("run"), &st) // no image
	assert.Equal(t, 2, st.StatusCode)
	require.ErrorAs(t, cli.Cmd("run", "--nope", "busybox"), &st)
	assert.Equal(t, 2, st.StatusCode)
	assert.Contains(t, errOut.String(), "flag provided but not defined: -nope")
	assert.Empty(t, d.requests())
}

func TestCreateSendsHostConfigAlong(t *testing.T) {
	d := runDaemon(t, 0)
	cli, out, _ := d.client("")
	require.NoError(t, cli.Cmd("create", "-p", "80", "busybox", "true"))
	assert.Equal(t, "c1\n", out.String())
	create, _ := d.find("POST", "/v1.14/containers/create")
	var body map[string]any
	require.NoError(t, json.Unmarshal([]byte(create.Body), &body))
	assert.Equal(t, "busybox", body["Image"])
	require.Contains(t, body, "HostConfig")
	assert.Contains(t, body["HostConfig"].(map[string]any)["PortBindings"], "80/tcp")
}

func TestStartAttachAndAttach(t *testing.T) {
	d := runDaemon(t, 0)
	d.json("GET /containers/c1/json", 200, map[string]any{"Config": map[string]any{"Tty": false, "OpenStdin": false},
		"State": map[string]any{"Running": true, "ExitCode": 0}})
	d.on("POST /containers/c1/attach", attachHandler(t, true, false, "again\n", "", nil))
	cli, out, _ := d.client("")
	// With -a alone 1.2 also printed the name (its check is !a || !i).
	require.NoError(t, cli.Cmd("start", "-ai", "c1"))
	assert.Equal(t, "again\n", out.String(), "start -ai prints the output, not the name")
	assert.Equal(t, []string{"GET /v1.14/containers/c1/json", "POST /v1.14/containers/c1/attach", "POST /v1.14/containers/c1/start"}, order(d))

	out.Reset()
	require.NoError(t, cli.Cmd("start", "c1"))
	assert.Equal(t, "c1\n", out.String())

	out.Reset()
	require.NoError(t, cli.Cmd("attach", "c1"))
	assert.Equal(t, "again\n", out.String())

	// attach to a stopped container is refused before connecting.
	d.json("GET /containers/c1/json", 200, map[string]any{"State": map[string]any{"Running": false}})
	assert.EqualError(t, cli.Cmd("attach", "c1"), "You cannot attach to a stopped container, start it first")
}

func TestAttachErrorAnswerIsAnError(t *testing.T) {
	d := runDaemon(t, 0)
	d.text("POST /containers/c1/attach", 404, "No such container: c1")
	cli, _, _ := d.client("")
	err := cli.Cmd("run", "busybox")
	assert.EqualError(t, err, "Error response from daemon: No such container: c1")
	for _, r := range order(d) {
		assert.NotEqual(t, "POST /v1.14/containers/c1/start", r, "no start after a failed attach")
	}
}

func TestNoDaemonForHijack(t *testing.T) {
	cli := NewDockerCli(nil, nil, nil, "unix", filepath.Join(t.TempDir(), "gone.sock"), nil)
	assert.Equal(t, ErrConnectionRefused, cli.hijack("POST", "/containers/x/attach", false, nil, nil, nil, nil))
}

// run -t reads the exit code from inspect; a state that still says
// "running" for a moment after the output ended is waited for.
func TestRunTtyWaitsForTheStateToCatchUp(t *testing.T) {
	old := detachGrace
	detachGrace = time.Minute // only the answers decide, not the clock
	defer func() { detachGrace = old }()
	d := runDaemon(t, 0)
	d.on("POST /containers/c1/attach", attachHandler(t, true, true, "bye\r\n", "", nil))
	inspected := 0
	d.on("GET /containers/c1/json", func(w http.ResponseWriter, r *http.Request) {
		inspected++
		w.Header().Set("Content-Type", "application/json")
		if inspected < 3 {
			io.WriteString(w, `{"State":{"Running":true,"ExitCode":0}}`)
			return
		}
		io.WriteString(w, `{"State":{"Running":false,"ExitCode":4}}`)
	})
	cli, out, _ := d.client("")
	err := cli.Cmd("run", "-t", "busybox", "sh", "-c", "exit 4")
	var st *StatusError
	require.ErrorAs(t, err, &st)
	assert.Equal(t, 4, st.StatusCode)
	assert.Equal(t, "bye\r\n", out.String())
	assert.Equal(t, 3, inspected)
}
