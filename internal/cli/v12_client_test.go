package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

// startV12Daemon runs MainDaemon on h (directly, not through a second
// command tree, which would share hostflags' globals with the client's)
// with the extra daemon flags, and returns its -H address once it answers.
func startV12Daemon(t *testing.T, h backend.Host, flags ...string) string {
	t.Helper()
	t.Setenv("TMPDIR", os.TempDir())
	dir := t.TempDir()
	conf := filepath.Join(dir, "resolv.conf")
	require.NoError(t, os.WriteFile(conf, []byte("nameserver 10.0.2.3\n"), 0o644))
	oldConf, oldBridgeConf, oldExe := daemon.ResolvConfPath, bridge.ResolvConfPath, daemon.Executable
	daemon.ResolvConfPath, bridge.ResolvConfPath = conf, conf
	if h.Name() == "fake" {
		// The fake runs no dockerinit: any file will do as its copy.
		daemon.Executable = func() (string, error) { return conf, nil }
	}

	var f docker.DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	host := "unix://" + filepath.Join(dir, "docker.sock")
	args := []string{"-g", filepath.Join(dir, "root"), "-p", filepath.Join(dir, "docker.pid"), "-G", ""}
	for i, f := range flags {
		if f == "-H" && i+1 < len(flags) {
			host = flags[i+1] // the caller's listener instead of the socket
		}
	}
	if host == "unix://"+filepath.Join(dir, "docker.sock") {
		args = append(args, "-H", host)
	}
	require.NoError(t, fs.Parse(append(args, flags...)))
	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- docker.MainDaemon(ctx, h, &f, nil, docker.Streams{Stdout: &logs, Stderr: &logs})
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
		daemon.ResolvConfPath, bridge.ResolvConfPath, daemon.Executable = oldConf, oldBridgeConf, oldExe
		bridge.SetHost(nil)
		if t.Failed() {
			t.Logf("daemon log:\n%s", &logs)
		}
	})
	if !strings.Contains(strings.Join(flags, " "), "--tlsverify") {
		_, err := docker.Get(host, "/_ping", 20*time.Second)
		require.NoError(t, err, "daemon log:\n%s", &logs)
	}
	return host
}

// v12 runs `dockerlab v1.2 -H host ARGS…` with stdin, as Run does, and
// returns stdout, stderr and the exit status.
func v12(t *testing.T, host string, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	root := NewRootCmd()
	root.SetArgs(append([]string{"v1.2", "-H", host}, args...))
	var out, errOut bytes.Buffer
	root.SetIn(bytes.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	err := root.Execute()
	var st interface{ ExitStatus() int }
	switch {
	case err == nil:
		return out.String(), errOut.String(), 0
	case errors.As(err, &st):
		return out.String(), errOut.String() + err.Error(), st.ExitStatus()
	default:
		return out.String(), errOut.String() + err.Error(), 1
	}
}

// rootfsTar is backendtest's busybox rootfs for h as an import tarball
// (a placeholder busybox on the fake, the real static one on linux).
func rootfsTar(t *testing.T, h backend.Host) []byte {
	dir := backendtest.Rootfs(t, h)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		link := ""
		if info.Mode()&os.ModeSymlink != 0 {
			link, _ = os.Readlink(p)
		}
		hdr, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		hdr.Name = rel
		if info.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(tw, f)
			return err
		}
		return nil
	}))
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// The client against the v1.2 daemon on the fake: the image commands and
// a container's life, through the real API server and jobs.
func TestV12ClientAgainstDaemonOnFake(t *testing.T) {
	h := fake.New()
	v12ClientScenario(t, h, startV12Daemon(t, h))
}

func v12ClientScenario(t *testing.T, h backend.Host, host string) {
	ok := func(stdin []byte, args ...string) string {
		t.Helper()
		out, errOut, code := v12(t, host, stdin, args...)
		require.Equal(t, 0, code, "v1.2 %v:\n%s%s", args, out, errOut)
		return out
	}

	out := ok(nil, "version")
	assert.Contains(t, out, "Client version: 1.2.0\nClient API version: 1.14\n")
	assert.Contains(t, out, "Server version: 1.2.0\nServer API version: 1.14\n")
	assert.Contains(t, ok(nil, "info"), "Execution Driver: native-0.2\n")

	id := strings.TrimSpace(ok(rootfsTar(t, h), "import", "-", "busybox"))
	require.Regexp(t, `^[0-9a-f]{64}$`, id)
	ok(nil, "tag", "busybox", "me/box:v1")
	out = ok(nil, "images")
	assert.Regexp(t, `(?m)^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+VIRTUAL SIZE\s*$`, out)
	assert.Regexp(t, `(?m)^busybox\s+latest\s+`+id[:12]+`\s+`, out)
	assert.Regexp(t, `(?m)^me/box\s+v1\s+`+id[:12]+`\s+`, out)
	assert.Equal(t, id[:12]+"\n", ok(nil, "history", "-q", "busybox"))
	assert.Equal(t, "Untagged: me/box:v1\n", ok(nil, "rmi", "me/box:v1"))
	assert.Contains(t, ok(nil, "inspect", "-f", "{{.Id}}", "busybox"), id)

	// A container: run -d prints the id; stop, wait, rm.
	cid := strings.TrimSpace(ok(nil, "run", "-d", "--name", "sleeper", "busybox", "sleep", "1000"))
	require.Regexp(t, `^[0-9a-f]{64}$`, cid)
	assert.Equal(t, "sleeper\n", ok(nil, "stop", "-t", "1", "sleeper"))
	assert.Regexp(t, `^-?\d+\n$`, ok(nil, "wait", "sleeper"))
	assert.Equal(t, "sleeper\n", ok(nil, "rm", "sleeper"))

	// Attached: the output, then the container's exit status as ours.
	out, errOut, code := v12(t, host, nil, "run", "--name", "echo", "busybox", "sh", "-c", "echo hi; echo oops >&2; exit 3")
	assert.Equal(t, 3, code)
	assert.Equal(t, "hi\n", out)
	assert.Equal(t, "oops\n", errOut, "stderr split from stdout, and nothing more printed")
	assert.Equal(t, "hi\n", ok(nil, "logs", "echo"))
	assert.Equal(t, "3 false\n", ok(nil, "inspect", "-f", "{{.State.ExitCode}} {{.State.Running}}", "echo"))
	out = ok(nil, "ps", "-a")
	assert.Regexp(t, `(?m)^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\s*$`, out)
	assert.Regexp(t, `(?m)^[0-9a-f]{12}\s+busybox:latest\s+"sh -c 'echo hi; ech\s+.* ago\s+Exited \(3\) .* ago\s+echo\s*$`, out)
	assert.Equal(t, "", ok(nil, "ps", "-q"), "nothing runs")
	// stdin crosses the hijacked connection; --rm leaves nothing behind.
	assert.Equal(t, "hello\n", ok([]byte("hello\n"), "run", "-i", "--rm", "busybox", "cat"))
	assert.Equal(t, 1, strings.Count(ok(nil, "ps", "-aq"), "\n"), "only the echo container is left")
	assert.Equal(t, "echo\n", ok(nil, "rm", "echo"))

	// A container's files: diff, commit, export.
	ok(nil, "run", "--name", "writer", "busybox", "sh", "-c", "echo x > /tmp/made; rm /etc/group")
	out = ok(nil, "diff", "writer")
	assert.Contains(t, out, "A /tmp/made\n")
	assert.Contains(t, out, "D /etc/group\n")
	img := strings.TrimSpace(ok(nil, "commit", "-m", "made a file", "writer", "me/writer:v1"))
	require.Regexp(t, `^[0-9a-f]{64}$`, img)
	assert.Equal(t, "made a file\n", ok(nil, "inspect", "-f", "{{.Comment}}", "me/writer:v1"))
	assert.Equal(t, "x\n", ok(nil, "run", "--rm", "me/writer:v1", "cat", "/tmp/made"))
	hostDir := t.TempDir()
	assert.Empty(t, ok(nil, "cp", "writer:/tmp/made", hostDir))
	made, err := os.ReadFile(filepath.Join(hostDir, "made"))
	require.NoError(t, err, "cp unpacks the file under the host path")
	assert.Equal(t, "x\n", string(made))
	_, errOut, code = v12(t, host, nil, "cp", "nosuch:/etc", hostDir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "No such container: nosuch")
	names := tarNames(t, []byte(ok(nil, "export", "writer")))
	assert.Contains(t, names, "tmp/made")
	assert.NotContains(t, names, "etc/group")

	// save and load: the image goes out as a tar and comes back with its id.
	saved := []byte(ok(nil, "save", "me/writer:v1"))
	assert.Contains(t, tarNames(t, saved), img+"/layer.tar")
	assert.Equal(t, "writer\n", ok(nil, "rm", "writer"))
	assert.Contains(t, ok(nil, "rmi", "me/writer:v1"), "Deleted: "+img+"\n")
	ok(saved, "load")
	assert.Equal(t, img+"\n", ok(nil, "inspect", "-f", "{{.Id}}", "me/writer:v1"))

	// A running container: -p and port, top, pause/unpause, restart, kill.
	ok(nil, "run", "-d", "--name", "web", "-p", "8080:80", "busybox", "sleep", "1000")
	assert.Equal(t, "0.0.0.0:8080\n", ok(nil, "port", "web", "80"))
	assert.Regexp(t, `(?m)^\S+\s+busybox:latest\s+"sleep 1000"\s+.*\s+Up .*0\.0\.0\.0:8080->80/tcp\s+web\s*$`, ok(nil, "ps"))
	assert.Contains(t, ok(nil, "top", "web"), "sleep 1000")
	assert.Equal(t, "web\n", ok(nil, "pause", "web"))
	assert.Contains(t, ok(nil, "ps"), "(Paused)")
	assert.Equal(t, "web\n", ok(nil, "unpause", "web"))
	assert.Equal(t, "web\n", ok(nil, "restart", "-t", "1", "web"))
	assert.Equal(t, "true\n", ok(nil, "inspect", "-f", "{{.State.Running}}", "web"))
	assert.Equal(t, "web\n", ok(nil, "kill", "web"))
	assert.Equal(t, "web\n", ok(nil, "rm", "web"))

	// Errors: the daemon's message, exit status 1; usage mistakes 2.
	out, errOut, code = v12(t, host, nil, "rm", "sleeper")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "Error response from daemon: No such container: sleeper")
	assert.Contains(t, errOut, "Error: failed to remove one or more containers")
	_, errOut, code = v12(t, host, nil, "run", "nosuchimage")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "Unable to find image 'nosuchimage' locally\n")
	_, errOut, code = v12(t, host, nil, "tag")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "Usage: docker tag [OPTIONS] IMAGE[:TAG]")
}

func TestV12ClientFlags(t *testing.T) {
	// One -H only, as upstream.
	_, errOut, code := v12(t, "unix:///a.sock", nil, "-H", "unix:///b.sock", "ps")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "Please specify only one -H")
	// -v is the version, without a daemon.
	out, _, code := v12(t, "unix:///none.sock", nil, "-v")
	assert.Equal(t, 0, code)
	assert.Equal(t, "Docker version 1.2.0, build fa7b24f\n", out)
	// No daemon there: upstream's words, then what they mean here.
	none := "unix://" + filepath.Join(t.TempDir(), "none.sock")
	_, errOut, code = v12(t, none, nil, "ps")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "Cannot connect to the Docker daemon. Is 'docker -d' running on this host?")
	assert.Contains(t, errOut, "'dockerlab v1.2 daemon'; this client tried "+none)
	// --tlsverify needs its CA.
	_, errOut, code = v12(t, "tcp://127.0.0.1:1", nil, "--tlsverify", "--tlscacert", filepath.Join(t.TempDir(), "ca.pem"), "ps")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "Couldn't read ca cert")
	// No command: Docker 1.2's help, on stderr.
	_, errOut, code = v12(t, "unix:///none.sock", nil)
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "Usage: docker [OPTIONS] COMMAND [arg...]")
	// DOCKER_HOST is read when there is no -H.
	t.Setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
	root := NewRootCmd()
	root.SetArgs([]string{"v1.2", "ps"})
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	assert.ErrorContains(t, root.Execute(), "Cannot connect to the Docker daemon")
}

// tarNames lists the names in a tar archive, without a leading "./".
func tarNames(t *testing.T, data []byte) []string {
	t.Helper()
	var names []string
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return names
		}
		require.NoError(t, err)
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(hdr.Name, "./"), "/"))
	}
}
