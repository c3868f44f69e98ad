package integrationcli

// docker build with today's clients against the v1.2 daemon (issue #16,
// book ch.11): the stock docker CLI 28, which has no buildx here and so
// uses the legacy POST /build after its deprecation notice, and
// docker-py 7's images.build. A Dockerfile with every instruction of
// Docker 1.2 is built, run, rebuilt from the cache; a client that goes
// away mid-build leaves nothing behind.

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
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

// everyInstructionDir writes a context whose Dockerfile uses every
// instruction of Docker 1.2 (INSERT aside: it is an error); ADD fetches
// remoteURL.
func everyInstructionDir(t *testing.T, remoteURL string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	write("Dockerfile", `# every instruction of Docker 1.2
FROM busybox
MAINTAINER dockerlab <lab@example.com>
RUN mkdir -p /app && \
    echo from-run > /app/run.txt
ENV GREETING hello from ENV
ADD hello.txt /app/
ADD tree /app/tree
ADD archive.tar.gz /opt/
ADD `+remoteURL+` /app/
# a file ADDed from a URL is 0600 and root's (so it is in every Docker)
RUN chmod 644 /app/remote.txt
COPY copy.txt /app/copy.txt
WORKDIR /app
EXPOSE 8080
VOLUME /data
ONBUILD RUN echo child
USER nobody
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo $GREETING; pwd; id -u; cat hello.txt tree/a /opt/etc/motd remote.txt copy.txt run.txt"]
`)
	write("hello.txt", "hello.txt ADDed\n")
	write("tree/a", "tree/a ADDed\n")
	write("copy.txt", "copy.txt COPYed\n")
	write("ignored.log", "must not reach the daemon\n")
	write(".dockerignore", "*.log\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	tw := tar.NewWriter(zw)
	motd := "archive unpacked by ADD\n"
	tw.WriteHeader(&tar.Header{Name: "etc/motd", Mode: 0o644, Size: int64(len(motd))})
	tw.Write([]byte(motd))
	tw.Close()
	zw.Close()
	write("archive.tar.gz", gz.String())
	return dir
}

// everyInstructionRun is what `docker run t1` prints.
const everyInstructionRun = "hello from ENV\n/app\n65534\nhello.txt ADDed\ntree/a ADDed\narchive unpacked by ADD\nremote.txt fetched by ADD\ncopy.txt COPYed\nfrom-run\n"

// everyInstructionSteps is the number of steps after FROM: each comes
// from the cache the second time.
const everyInstructionSteps = 16

// remoteServer serves the file ADD fetches, on loopback.
func remoteServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "remote.txt fetched by ADD\n")
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/remote.txt"
}

func TestDockerCLIBuildFake(t *testing.T)  { dockerCLIBuildScenario(t, "fake") }
func TestDockerCLIBuildLinux(t *testing.T) { dockerCLIBuildScenario(t, "linux") }

// daemonWithBusybox starts a daemon on backend with the busybox image
// imported through the stock CLI (or skips, saying why).
func daemonWithBusybox(t *testing.T, backend string) (*daemon, *dockerCLI) {
	tar := busyboxTar(t)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("skipping: the stock docker CLI is not on PATH")
	}
	d := startDaemon(t, backend)
	c := newDockerCLI(t, d)
	c.ok("import", tar, "busybox")
	return d, c
}

func dockerCLIBuildScenario(t *testing.T, backend string) {
	d, c := daemonWithBusybox(t, backend)
	dir := everyInstructionDir(t, remoteServer(t))

	// docker build -t t1 . : the legacy builder, after the notice.
	first, errOut, code := c.runIn(dir, nil, nil, "build", "-t", "t1", ".")
	out := first
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, errOut, "DEPRECATED: The legacy builder is deprecated")
	assert.Contains(t, out, "Step 0 : FROM busybox")
	assert.Contains(t, out, " ---> Running in ")
	assert.Contains(t, out, "Removing intermediate container ")
	assert.Regexp(t, `Successfully built [0-9a-f]{12}\n`, out)
	assert.NotContains(t, out, "Using cache")
	assert.Regexp(t, `t1\s+latest\s+`, c.ok("images"))

	// docker run t1: ENV, WORKDIR, USER, the ADDed and COPYed files,
	// ENTRYPOINT with CMD.
	assert.Equal(t, everyInstructionRun, c.ok("run", "--rm", "t1"))
	assert.Equal(t, `{"8080/tcp":{}}`, strings.TrimSpace(c.ok("inspect", "-f", "{{json .Config.ExposedPorts}}", "t1")))
	assert.Equal(t, `["RUN echo child"]`, strings.TrimSpace(c.ok("inspect", "-f", "{{json .Config.OnBuild}}", "t1")))
	out, _, code = c.run(nil, "run", "--rm", "t1", "cat /app/ignored.log")
	assert.NotEqual(t, 0, code, ".dockerignore kept the file out: %s", out)
	assert.Equal(t, "", c.ok("ps", "-aq"), "no intermediate container left (rm)")

	// Again: every step from the cache, the same image.
	out2, errOut, code := c.runIn(dir, nil, nil, "build", "-t", "t1", ".")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, everyInstructionSteps, strings.Count(out2, " ---> Using cache\n"), out2)
	assert.Equal(t, builtLine(first), builtLine(out2))

	// DOCKER_BUILDKIT=1 cannot work against a 1.2 daemon (no buildx, no
	// BuildKit): the CLI says so and stops.
	_, errOut, code = c.runIn(dir, []string{"DOCKER_BUILDKIT=1"}, nil, "build", ".")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "BuildKit is enabled but the buildx component is missing or broken")

	// A failing RUN: 1.2's message, status 1, the failed container kept
	// (rm removes only after success), --force-rm removes it.
	fail := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(fail, "Dockerfile"), []byte("FROM busybox\nRUN echo failing; exit 3\n"), 0o644))
	out, errOut, code = c.runIn(fail, nil, nil, "build", ".")
	assert.Equal(t, 1, code)
	assert.Contains(t, out+errOut, "The command [/bin/sh -c echo failing; exit 3] returned a non-zero code: 3")
	assert.NotEqual(t, "", c.ok("ps", "-aq"))
	c.ok(append([]string{"rm"}, strings.Fields(c.ok("ps", "-aq"))...)...)
	_, _, code = c.runIn(fail, nil, nil, "build", "--force-rm", ".")
	assert.Equal(t, 1, code)
	assert.Equal(t, "", c.ok("ps", "-aq"))

	// -f names a file 1.2 would never read: refused, not built.
	require.NoError(t, os.WriteFile(filepath.Join(fail, "other.Dockerfile"), []byte("FROM busybox\n"), 0o644))
	_, errOut, code = c.runIn(fail, nil, nil, "build", "-f", "other.Dockerfile", ".")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "Docker 1.2 always builds the file named Dockerfile")

	// docker-py builds the same context.
	if py, err := exec.LookPath("python3"); err == nil {
		if exec.Command(py, "-c", "import docker").Run() == nil {
			args := []string{py, "dockerpy_build.py", d.host, dir, everyInstructionRun}
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1")
			pyOut, err := cmd.CombinedOutput()
			t.Logf("%s", pyOut)
			require.NoError(t, err)
			assert.Contains(t, string(pyOut), "docker-py build scenario passed")
		} else {
			t.Log("docker-py part skipped: the python docker module is not installed")
		}
	}
}

// builtLine is the "Successfully built" line of a build's output.
func builtLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Successfully built") {
			return l
		}
	}
	return ""
}

func TestDockerCLIBuildFromRegistryFake(t *testing.T)  { dockerCLIBuildFromRegistry(t, "fake") }
func TestDockerCLIBuildFromRegistryLinux(t *testing.T) { dockerCLIBuildFromRegistry(t, "linux") }

// dockerCLIBuildFromRegistry: the daemon has no image at all; the stock
// CLI builds FROM dockerlab's v1 registry on loopback, so the build runs
// the registry's pull job (issues #15 and #16 together): the pull's
// progress is in the build's output, and the result runs.
func dockerCLIBuildFromRegistry(t *testing.T, backend string) {
	tar := busyboxTar(t)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("skipping: the stock docker CLI is not on PATH")
	}
	regs := startRegistries(t, tar)
	d := startDaemon(t, backend)
	c := newDockerCLI(t, d)
	from := regs.open + "/library/busybox"
	require.Equal(t, "", c.ok("images", "-aq"), "a daemon without images")

	dir := t.TempDir()
	df := "FROM " + from + "\nRUN echo built-on-a-pulled-image > /built\nCMD cat /built\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644))
	out, errOut, code := c.runIn(dir, nil, nil, "build", "-t", "fromreg", ".")
	require.Equal(t, 0, code, "stdout: %s\nstderr: %s", out, errOut)
	assert.Contains(t, out, "Step 0 : FROM "+from+"\n")
	assert.Contains(t, out, "Pulling repository "+from)
	assert.Contains(t, out, "Download complete")
	assert.Contains(t, out, "Step 1 : RUN echo built-on-a-pulled-image > /built\n")
	assert.Regexp(t, `Successfully built [0-9a-f]{12}\n`, out)
	assert.Regexp(t, regexp.QuoteMeta(from)+`\s+latest\s+`, c.ok("images"), "the pulled image keeps its name")
	assert.Equal(t, "built-on-a-pulled-image\n", c.ok("run", "--rm", "fromreg"))
}

func TestBuildClientGoesAwayFake(t *testing.T)  { buildClientGoesAway(t, "fake") }
func TestBuildClientGoesAwayLinux(t *testing.T) { buildClientGoesAway(t, "linux") }

// buildClientGoesAway posts a build by hand, hangs up while its RUN
// sleeps, and checks that the daemon stopped the step, removed its
// containers, committed nothing, and goes on answering.
func buildClientGoesAway(t *testing.T, backend string) {
	d, c := daemonWithBusybox(t, backend)
	images := c.ok("images", "-aq")

	var ctx bytes.Buffer
	tw := tar.NewWriter(&ctx)
	df := "FROM busybox\nRUN echo started; sleep 1000\n"
	tw.WriteHeader(&tar.Header{Name: "Dockerfile", Mode: 0o644, Size: int64(len(df))})
	tw.Write([]byte(df))
	tw.Close()

	conn, err := net.Dial("unix", d.sock)
	require.NoError(t, err)
	req, err := http.NewRequest("POST", "http://docker/v1.14/build?t=never", &ctx)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-tar")
	require.NoError(t, req.Write(conn))
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	seen := ""
	buf := make([]byte, 4096)
	conn.SetReadDeadline(time.Now().Add(120 * time.Second))
	// The container's own line, {"stream":"started\n"}, not the Step line.
	for !strings.Contains(seen, `"started\n"`) {
		n, err := resp.Body.Read(buf)
		seen += string(buf[:n])
		require.NoError(t, err, "the build answered %q", seen)
	}
	assert.NotEqual(t, "", c.ok("ps", "-q"), "the step runs")
	conn.Close() // the client goes away

	require.Eventually(t, func() bool { return c.ok("ps", "-aq") == "" }, 60*time.Second, 200*time.Millisecond,
		"the running step is stopped and its container removed")
	assert.Equal(t, images, c.ok("images", "-aq"), "no image was committed")
	assert.NotContains(t, c.ok("images"), "never")
	assert.Contains(t, c.ok("version"), "1.2.0", "the daemon goes on serving")
	assert.Equal(t, "ok\n", c.ok("run", "--rm", "busybox", "echo", "ok"))
}
