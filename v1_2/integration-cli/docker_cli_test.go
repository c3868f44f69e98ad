package integrationcli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dockerCLI runs the stock `docker` binary against d. DOCKER_API_VERSION
// is unset: the CLI negotiates (it reads Api-Version: 1.14 from /_ping).
type dockerCLI struct {
	t        *testing.T
	d        *daemon
	bin      string
	extraEnv []string // added to the environment of the next runs
}

func newDockerCLI(t *testing.T, d *daemon) *dockerCLI {
	bin, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("skipping: the stock docker CLI is not on PATH")
	}
	return &dockerCLI{t: t, d: d, bin: bin}
}

func (c *dockerCLI) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOCKER_") {
			env = append(env, kv)
		}
	}
	// A config directory of its own: no credential helpers, no contexts.
	env = append(env, "DOCKER_HOST="+c.d.host, "DOCKER_CONFIG="+c.t.TempDir())
	return append(env, c.extraEnv...)
}

// run runs docker with args and answers stdout, stderr and the exit code.
func (c *dockerCLI) run(stdin []byte, args ...string) (string, string, int) {
	c.t.Helper()
	return c.runIn("", nil, stdin, args...)
}

// runIn is run in the directory dir ("": this one) with env added.
func (c *dockerCLI) runIn(dir string, env []string, stdin []byte, args ...string) (string, string, int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = dir
	cmd.Env = append(c.env(), env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	require.NoError(c.t, cmd.Start())
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(300 * time.Second): // a guard against a hang, not a speed check
		cmd.Process.Kill()
		<-done
		c.t.Fatalf("docker %s: no answer within 300s\nstdout: %s\nstderr: %s", strings.Join(args, " "), &out, &errb)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// ok runs docker and requires exit code 0.
func (c *dockerCLI) ok(args ...string) string {
	c.t.Helper()
	out, errOut, code := c.run(nil, args...)
	require.Equal(c.t, 0, code, "docker %s\nstdout: %s\nstderr: %s", strings.Join(args, " "), out, errOut)
	return out
}

func TestDockerCLIFake(t *testing.T)  { dockerCLIScenario(t, "fake") }
func TestDockerCLILinux(t *testing.T) { dockerCLIScenario(t, "linux") }

// dockerCLIScenario is issue #6 item 3's everyday flow.
func dockerCLIScenario(t *testing.T, backend string) {
	tar := busyboxTar(t)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("skipping: the stock docker CLI is not on PATH")
	}
	d := startDaemon(t, backend)
	c := newDockerCLI(t, d)

	out := c.ok("version")
	assert.Contains(t, out, "API version:       1.14")
	assert.Contains(t, out, "1.2.0")
	out = c.ok("info")
	assert.Contains(t, out, "Server Version: 1.2.0")

	id := strings.TrimSpace(c.ok("import", tar, "busybox"))
	assert.Regexp(t, `^(sha256:)?[0-9a-f]{64}$`, id)
	out = c.ok("images")
	assert.Regexp(t, `busybox\s+latest\s+`+id[:12], out)
	c.ok("tag", "busybox", "busybox:v1")
	assert.Regexp(t, `busybox\s+v1\s+`+id[:12], c.ok("images"))
	assert.Contains(t, c.ok("history", "busybox"), id[:12])
	c.ok("rmi", "busybox:v1")
	assert.NotContains(t, c.ok("images"), "v1")

	// run --rm prints hi, exits 0 and leaves no container.
	out, errOut, code := c.run(nil, "run", "--rm", "busybox", "echo", "hi")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "hi\n", out)
	// The CLI removes the container itself and exits on "destroy": the
	// server holds that event until the DELETE has answered.
	assert.NotContains(t, errOut, "error removing container")
	assert.Equal(t, "", c.ok("ps", "-aq"))
	// The exit code comes back (the CLI reads it from the "die" event).
	_, _, code = c.run(nil, "run", "--rm", "busybox", "sh", "-c", "exit 3")
	assert.Equal(t, 3, code)
	// A start that fails still ends the run (the daemon logs "die", which
	// the CLI waits for below API 1.30) and removes the container.
	_, errOut, code = c.run(nil, "run", "--rm", "busybox", "nosuchcmd")
	assert.Equal(t, 127, code, errOut)
	assert.Contains(t, errOut, "nosuchcmd")
	assert.Equal(t, "", c.ok("ps", "-aq"))

	// A long-running container with a published port.
	cmd := []string{"sh", "-c", "echo started; echo oops >&2; exec httpd -f -p 80"}
	webID := strings.TrimSpace(c.ok(append([]string{"run", "-d", "--name", "web", "-p", "8080:80", "busybox"}, cmd...)...))
	assert.Regexp(t, `^[0-9a-f]{64}$`, webID)
	out = c.ok("ps")
	assert.Regexp(t, webID[:12]+`.*busybox.*Up .*0\.0\.0\.0:8080->80/tcp\s+web`, out)
	// The json log is written a moment after the container prints.
	var stdout, stderr string
	require.Eventually(t, func() bool {
		stdout, stderr, code = c.run(nil, "logs", "web")
		return code == 0 && stdout == "started\n" && stderr == "oops\n"
	}, 20*time.Second, 100*time.Millisecond, "stderr stays apart from stdout (stdcopy framing): %q %q", stdout, stderr)
	assert.Equal(t, "running 8080", strings.TrimSpace(c.ok("inspect", "-f", "{{.State.Status}} {{(index .HostConfig.PortBindings \"80/tcp\" 0).HostPort}}", "web")))
	assert.Equal(t, "80/tcp -> 0.0.0.0:8080\n", c.ok("port", "web"))
	top := c.ok("top", "web")
	assert.Contains(t, top, "httpd")
	if backend == "linux" {
		// On the fake the port answers inside the daemon's in-memory
		// kernel only (walkthroughs/v12-fake-io.txtar reaches it there).
		assertPortAnswers(t, d, "8080")
	}

	c.ok("pause", "web")
	assert.Contains(t, c.ok("ps", "--format", "{{.Status}}"), "(Paused)")
	c.ok("unpause", "web")
	c.ok("stop", "-t", "1", "web")
	assert.Regexp(t, `^Exited \(\d+\)`, c.ok("ps", "-a", "--format", "{{.Status}}"))
	c.ok("start", "web")
	assert.Equal(t, "running\n", c.ok("inspect", "-f", "{{.State.Status}}", "web"))
	c.ok("restart", "-t", "1", "web")
	assert.Equal(t, "running\n", c.ok("inspect", "-f", "{{.State.Status}}", "web"))
	c.ok("kill", "web")
	assert.Equal(t, "137\n", c.ok("wait", "web"))
	c.ok("start", "web")
	c.ok("rm", "-f", "web")
	assert.Equal(t, "", c.ok("ps", "-aq"))

	// diff, commit, export.
	_, _, code = c.run(nil, "run", "--name", "d1", "busybox", "sh", "-c", "mkdir /newdir && echo x > /newdir/f")
	require.Equal(t, 0, code)
	out = c.ok("diff", "d1")
	assert.Contains(t, out, "A /newdir\n")
	assert.Contains(t, out, "A /newdir/f\n")
	// docker cp out of the container (GET /containers/d1/archive).
	cpDir := t.TempDir()
	c.ok("cp", "d1:/newdir/f", cpDir)
	data, err := os.ReadFile(filepath.Join(cpDir, "f"))
	require.NoError(t, err)
	assert.Equal(t, "x\n", string(data))
	cid := strings.TrimSpace(c.ok("commit", "d1", "committed:v1"))
	assert.Regexp(t, `^(sha256:)?[0-9a-f]{64}$`, cid)
	assert.Contains(t, c.ok("images"), "committed")
	exported := filepath.Join(t.TempDir(), "d1.tar")
	c.ok("export", "-o", exported, "d1")
	list, err := exec.Command("tar", "-tf", exported).Output()
	require.NoError(t, err)
	assert.Contains(t, string(list), "newdir/f")
	c.ok("rm", "d1")

	// save, rmi, load: the same id comes back.
	saved := filepath.Join(t.TempDir(), "save.tar")
	c.ok("save", "-o", saved, "committed:v1")
	c.ok("rmi", "committed:v1")
	assert.NotContains(t, c.ok("images"), "committed")
	c.ok("load", "-i", saved)
	assert.Regexp(t, `committed\s+v1\s+`+strings.TrimPrefix(cid, "sha256:")[:12], c.ok("images"))

	// events: the past of this daemon, up to now.
	out = c.ok("events", "--since", "1h", "--until", "0s")
	for _, action := range []string{"create", "start", "die", "destroy"} {
		assert.Regexp(t, regexp.MustCompile(`container `+action+` [0-9a-f]{64}`), out)
	}

	// run -it under a pty.
	ptyScenario(t, c)
}
