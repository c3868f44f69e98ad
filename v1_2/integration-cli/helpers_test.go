package integrationcli

import (
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vishvananda/netns"
)

// assertPortAnswers dials 127.0.0.1:port inside the daemon's sandbox
// namespace (where the daemon published it) and expects an HTTP answer
// from the container's httpd.
func assertPortAnswers(t *testing.T, d *daemon, port string) {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	orig, err := netns.Get()
	require.NoError(t, err)
	defer orig.Close()
	ns, err := netns.GetFromPath("/run/netns/" + d.sandbox)
	require.NoError(t, err)
	defer ns.Close()
	require.NoError(t, netns.Set(ns))
	defer netns.Set(orig)
	// A plain loop, not require.Eventually: its condition runs on another
	// goroutine, and so on a thread outside the sandbox.
	var answer string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if answer = httpGet("127.0.0.1:" + port); strings.HasPrefix(answer, "HTTP/1.") {
			return
		}
	}
	t.Fatalf("nothing answered HTTP on 127.0.0.1:%s in the sandbox (last: %q)", port, answer)
}

// httpGet sends GET / and answers what came back ("" when nothing did).
func httpGet(addr string) string {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return ""
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, "GET / HTTP/1.0\r\n\r\n")
	b, _ := io.ReadAll(c)
	return string(b)
}

// lockedBuf is a bytes.Buffer safe for one writer and one reader.
type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// ptyScenario: `docker run -it --rm busybox sh` on a terminal: a command
// typed in is echoed and run, and `exit 7` is the CLI's exit code.
func ptyScenario(t *testing.T, c *dockerCLI) {
	cmd := exec.Command(c.bin, "run", "-it", "--rm", "busybox", "sh")
	cmd.Env = c.env()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	require.NoError(t, err)
	defer f.Close()
	var out lockedBuf
	go io.Copy(&out, f)
	waitFor := func(s string) {
		t.Helper()
		require.Eventually(t, func() bool { return strings.Contains(out.String(), s) }, 20*time.Second, 50*time.Millisecond, "waiting for %q in %q", s, out.String())
	}
	waitFor("# ")
	io.WriteString(f, "echo hello-$((1+1))\r")
	waitFor("hello-2")
	io.WriteString(f, "exit 7\r")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("docker run -it did not end after exit 7: %q", out.String())
	}
	assert.Equal(t, 7, cmd.ProcessState.ExitCode(), out.String())
}

// pythonWithDocker answers python3's path, or skips when python3 or its
// docker module is missing.
func pythonWithDocker(t *testing.T) string {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("skipping: python3 is not on PATH")
	}
	if out, err := exec.Command(py, "-c", "import docker; print(docker.__version__)").CombinedOutput(); err != nil {
		t.Skipf("skipping: the python docker module (docker-py) is not installed: %s", strings.TrimSpace(string(out)))
	}
	return py
}

func TestDockerPyFake(t *testing.T)  { dockerPyScenario(t, "fake") }
func TestDockerPyLinux(t *testing.T) { dockerPyScenario(t, "linux") }

// dockerPyScenario runs dockerpy_scenario.py. On linux it runs inside the
// sandbox's network namespace so that the published port is reachable
// (the unix socket is a path, reachable from any network namespace).
func dockerPyScenario(t *testing.T, backend string) {
	tar := busyboxTar(t)
	py := pythonWithDocker(t)
	d := startDaemon(t, backend)
	args := []string{py, "dockerpy_scenario.py", d.host, tar, backend}
	if backend == "linux" {
		args = append([]string{"nsenter", "--net=/run/netns/" + d.sandbox}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err)
	assert.Contains(t, string(out), "docker-py scenario passed")
}
