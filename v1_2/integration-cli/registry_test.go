package integrationcli

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/internal/v1registry"
	"github.com/dockerlab/dockerlab/internal/v2test"
)

// registries is an open v1 registry holding library/busybox (the demo
// image) and one that wants an account (alice/wonderland), both on
// 127.0.0.1 at ports of their own.
type registries struct {
	open, private string // host:port
}

func startRegistries(t *testing.T, tar string) registries {
	t.Helper()
	root := t.TempDir()
	layer, err := os.ReadFile(tar)
	require.NoError(t, err)
	_, err = v1registry.Seed(root, "library/busybox", "latest", []v1registry.SeedLayer{{Tar: layer, Comment: "ADD busybox.tar in /"}}, nil)
	require.NoError(t, err)
	accounts := filepath.Join(t.TempDir(), "accounts")
	require.NoError(t, os.WriteFile(accounts, []byte("alice:wonderland\n"), 0600))
	var hosts []string
	for _, cfg := range []v1registry.Config{{Root: root}, {Root: t.TempDir(), AuthFile: accounts}} {
		reg, err := v1registry.New(cfg)
		require.NoError(t, err)
		srv := httptest.NewServer(reg)
		t.Cleanup(srv.Close)
		hosts = append(hosts, strings.TrimPrefix(srv.URL, "http://"))
	}
	return registries{open: hosts[0], private: hosts[1]}
}

func TestDockerCLIRegistryFake(t *testing.T)  { dockerCLIRegistryScenario(t, "fake") }
func TestDockerCLIRegistryLinux(t *testing.T) { dockerCLIRegistryScenario(t, "linux") }

// dockerCLIRegistryScenario is issue #15's: the stock CLI pulls from,
// pushes to, searches and logs in to dockerlab's v1 registry through the
// v1.2 daemon, and runs what it pulled.
func dockerCLIRegistryScenario(t *testing.T, backend string) {
	tar := busyboxTar(t)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("skipping: the stock docker CLI is not on PATH")
	}
	regs := startRegistries(t, tar)
	d := startDaemon(t, backend, "--default-registry", regs.open)
	c := newDockerCLI(t, d)
	busybox := regs.open + "/library/busybox"

	out := c.ok("pull", busybox)
	assert.Contains(t, out, "Pulling repository "+busybox)
	assert.Contains(t, out, "Pulling dependent layers")
	assert.Contains(t, out, "Download complete")
	out, errOut, code := c.run(nil, "run", "--rm", busybox, "echo", "pulled-and-ran")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "pulled-and-ran\n", out)

	// A new image of our own: push, rmi, pull gives the same id back.
	c.ok("run", "--name", "maker", busybox, "sh", "-c", "echo made-here > /made")
	mine := regs.open + "/student/made:v1"
	c.ok("commit", "maker", mine)
	c.ok("rm", "maker")
	id := strings.TrimSpace(c.ok("inspect", "-f", "{{.Id}}", mine))
	out = c.ok("push", mine)
	assert.Contains(t, out, "The push refers to a repository ["+regs.open+"/student/made]")
	assert.Contains(t, out, "Image successfully pushed")
	c.ok("rmi", mine)
	assert.NotContains(t, c.ok("images", "-a"), id[:12])
	c.ok("pull", mine)
	assert.Equal(t, id, strings.TrimSpace(c.ok("inspect", "-f", "{{.Id}}", mine)))
	out, errOut, code = c.run(nil, "run", "--rm", mine, "cat", "/made")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "made-here\n", out)

	// A retagged image: its layers are there already.
	retag := regs.open + "/student/again:latest"
	c.ok("tag", busybox, retag)
	assert.Contains(t, c.ok("push", retag), "already pushed, skipping")

	out = c.ok("search", regs.open+"/stud")
	assert.Regexp(t, `student/made\s+on the dockerlab registry\s+0`, out)
	assert.Contains(t, out, "student/again")

	// docker pull busybox: the CLI sends docker.io/library/busybox, the
	// server strips it, and the daemon's --default-registry serves it.
	out = c.ok("pull", "busybox")
	assert.Contains(t, out, "Pulling repository busybox")
	assert.Contains(t, c.ok("images"), "busybox ")

	// login: an account registry checks the password; an open one
	// "creates" any account, as docker-registry did.
	out, errOut, code = c.run(nil, "login", "-u", "alice", "-p", "wonderland", regs.private)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Login Succeeded")
	_, errOut, code = c.run(nil, "login", "-u", "alice", "-p", "wrong", regs.private)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "Wrong login/password")
	out, errOut, code = c.run(nil, "login", "-u", "anyone", "-p", "x", regs.open)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Account created")

	// A name the registry does not have: an error, the daemon keeps going.
	_, errOut, code = c.run(nil, "pull", regs.open+"/library/nothere")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "not found")
	c.ok("version")
}

func TestDockerPyRegistryFake(t *testing.T)  { dockerPyRegistryScenario(t, "fake") }
func TestDockerPyRegistryLinux(t *testing.T) { dockerPyRegistryScenario(t, "linux") }

func dockerPyRegistryScenario(t *testing.T, backend string) {
	tar := busyboxTar(t)
	py := pythonWithDocker(t)
	regs := startRegistries(t, tar)
	d := startDaemon(t, backend)
	cmd := exec.Command(py, "dockerpy_registry.py", d.host, regs.open, regs.private)
	cmd.Env = append(os.Environ(), "PYTHONUNBUFFERED=1", "DOCKER_CONFIG="+t.TempDir())
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	require.NoError(t, err)
	assert.Contains(t, string(out), "docker-py registry scenario passed")
}

func TestDockerCLIV2RegistryFake(t *testing.T)  { dockerCLIV2Scenario(t, "fake") }
func TestDockerCLIV2RegistryLinux(t *testing.T) { dockerCLIV2Scenario(t, "linux") }

// dockerCLIV2Scenario: Debian's docker-registry (v2 only) on loopback,
// filled by skopeo with the demo image; the stock CLI pulls it through
// the v1.2 daemon (beyond 1.2: pull_v2.go) and runs it.
func dockerCLIV2Scenario(t *testing.T, backend string) {
	tar := busyboxTar(t)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("skipping: the stock docker CLI is not on PATH")
	}
	reg := v2test.Start(t)
	rootfs, err := os.ReadFile(tar)
	require.NoError(t, err)
	layout := v2test.WriteLayout(t, rootfs)
	reg.Copy(t, layout.Dir, "latest", "library/busybox:latest", "--format", "v2s2")
	reg.Copy(t, layout.Dir, "multi", "library/busybox:multi", "--all")
	d := startDaemon(t, backend)
	c := newDockerCLI(t, d)
	for _, tag := range []string{"latest", "multi"} {
		ref := reg.Host + "/library/busybox:" + tag
		out := c.ok("pull", ref)
		assert.Contains(t, out, "Pulling from library/busybox (registry v2, not in Docker 1.2)")
		assert.Contains(t, out, "Digest: sha256:")
		out, errOut, code := c.run(nil, "run", "--rm", ref, "sh", "-c", "echo from-v2-$((40+2))")
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, "from-v2-42\n", out)
	}
	assert.Contains(t, c.ok("history", reg.Host+"/library/busybox"), "ADD busybox.tar in /")
}
