// Containers on the fake kernel: run, logs, wait, ps, stop, -e, -p, rm,
// restart, restore, and 50 concurrent runs (issue 3 item 8).
package docker

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// busyboxLike is a rootfs the fake can run: bin/busybox (a placeholder the
// fake recognises by name) and applet symlinks.
func busyboxLike(t *testing.T) []byte {
	entries := []tarEntry{
		{name: "bin/", dir: true},
		{name: "bin/busybox", body: "placeholder", exec: true},
		{name: "etc/", dir: true},
		{name: "etc/passwd", body: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65533:nobody:/:/bin/false\n"},
		{name: "tmp/", dir: true},
	}
	for _, applet := range []string{"sh", "echo", "env", "sleep", "hostname", "id", "ip", "cat", "true", "false", "rm", "grep"} {
		entries = append(entries, tarEntry{name: "bin/" + applet, link: "busybox"})
	}
	return makeTar(t, entries...)
}

// newContainerServer is a fake machine with lxcbr0 and a busybox image.
func newContainerServer(t *testing.T) (*Server, backend.Host, string) {
	t.Helper()
	host := newFakeHostWithBridge(t)
	root := filepath.Join(t.TempDir(), "root")
	srv, err := NewServer(host, root)
	require.NoError(t, err)
	t.Cleanup(func() {
		for _, c := range srv.runtime.List() {
			c.Kill()
		}
	})
	out := callStdin(t, srv, busyboxLike(t), "import", "-", "busybox")
	require.Len(t, lines(out), 1, out)
	return srv, host, root
}

func callStdin(t *testing.T, srv *Server, stdin []byte, args ...string) string {
	return call(t, srv, string(stdin), args...)
}

func TestRunEchoLogsWait(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	assert.Equal(t, "hello\n", call(t, srv, "", "run", "busybox", "echo", "hello"))
	ids := lines(call(t, srv, "", "ps", "-a", "-q"))
	require.Len(t, ids, 1)
	id := ids[0]
	assert.Equal(t, "hello\n", call(t, srv, "", "logs", id))
	assert.Equal(t, "0\n", call(t, srv, "", "wait", id))

	call(t, srv, "", "run", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3")
	id2 := lines(call(t, srv, "", "ps", "-a", "-q"))[0]
	assert.Equal(t, "3\n", call(t, srv, "", "wait", id2))
	assert.Equal(t, "out\nerr\n", call(t, srv, "", "logs", id2))
	ps := call(t, srv, "", "ps", "-a")
	assert.Contains(t, ps, "Exit 3")
	assert.True(t, strings.HasPrefix(ps, "ID"), ps)
}

func TestRunMissingProgramExits127(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	out := call(t, srv, "", "run", "busybox", "nosuchprogram")
	assert.Contains(t, out, "Unable to locate nosuchprogram")
	id := lines(call(t, srv, "", "ps", "-a", "-q"))[0]
	assert.Equal(t, "127\n", call(t, srv, "", "wait", id))
}

func TestRunEnvHostnameUser(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	env := call(t, srv, "", "run", "-e", "FOO=bar", "busybox", "env")
	assert.Contains(t, env, "HOME=/\n")
	assert.Contains(t, env, "FOO=bar\n")
	assert.Contains(t, env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n")
	hostname := strings.TrimSpace(call(t, srv, "", "run", "busybox", "hostname"))
	assert.Len(t, hostname, 16, "the hostname is the container id")
	assert.True(t, srv.runtime.Exists(hostname))
	assert.Contains(t, call(t, srv, "", "run", "-u", "nobody", "busybox", "id"), "uid=65534")
}

func TestRunDetachedPsStop(t *testing.T) {
	srv, _, root := newContainerServer(t)
	id := strings.TrimSpace(call(t, srv, "", "run", "-d", "busybox", "sleep", "1000"))
	require.Len(t, id, 16, id)
	ps := call(t, srv, "", "ps")
	assert.Contains(t, ps, id)
	assert.Contains(t, ps, "Up ")
	assert.Contains(t, ps, "sleep 1000")
	assert.Contains(t, ps, "busybox")
	lxc, err := os.ReadFile(filepath.Join(root, "containers", id, "config.lxc"))
	require.NoError(t, err)
	assert.Contains(t, string(lxc), "lxc.utsname = "+id)
	assert.Contains(t, string(lxc), "lxc.network.link = lxcbr0")
	assert.Contains(t, string(lxc), "lxc.network.ipv4 = 10.0.3.")

	assert.Equal(t, id+"\n", call(t, srv, "", "stop", id))
	assert.NotContains(t, call(t, srv, "", "ps"), id)
	assert.Contains(t, call(t, srv, "", "ps", "-a"), id)
}

func TestPortMappingAndRm(t *testing.T) {
	srv, host, root := newContainerServer(t)
	id := strings.TrimSpace(call(t, srv, "", "run", "-d", "-p", "80", "busybox", "sleep", "1000"))
	require.Len(t, id, 16, id)
	assert.Equal(t, "49153\n", call(t, srv, "", "port", id, "80"))
	assert.Contains(t, call(t, srv, "", "port", id, "81"), "No private port '81' allocated on "+id)
	c := srv.runtime.Get(id)
	require.NotNil(t, c)
	assert.Equal(t, map[string]string{"80": "49153"}, c.NetworkSettings.PortMapping)
	ip := c.NetworkSettings.IpAddress
	assert.Equal(t, "10.0.3.1", c.NetworkSettings.Gateway)
	assert.Equal(t, 24, c.NetworkSettings.IpPrefixLen)
	save, err := host.Root().IPTables().Save()
	require.NoError(t, err)
	assert.Contains(t, save, "--dport 49153 -j DNAT --to-destination "+ip+":80")

	inspect := call(t, srv, "", "inspect", id)
	assert.Contains(t, inspect, `"IpAddress": "`+ip+`"`)
	assert.Contains(t, inspect, `"80": "49153"`)

	// the container's eth0 has the address and a default route
	n, err := host.NetNS(backend.NSPid(c.State.Pid))
	require.NoError(t, err)
	addrs, err := n.AddrList("eth0")
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, ip+"/24", addrs[0].IPNet.String())

	call(t, srv, "", "rm", id)
	assert.NoDirExists(t, filepath.Join(root, "containers", id))
	assert.Nil(t, srv.runtime.Get(id))
	save, err = host.Root().IPTables().Save()
	require.NoError(t, err)
	assert.NotContains(t, save, "49153")
	// the address and the port come back for the next container
	id2 := strings.TrimSpace(call(t, srv, "", "run", "-d", "-p", "80", "busybox", "sleep", "1000"))
	c2 := srv.runtime.Get(id2)
	require.NotNil(t, c2, id2)
	assert.NotEmpty(t, c2.NetworkSettings.IpAddress)
}

func TestRestart(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	id := strings.TrimSpace(call(t, srv, "", "run", "-d", "busybox", "sleep", "1000"))
	c := srv.runtime.Get(id)
	require.NotNil(t, c)
	pid := c.State.Pid
	assert.Equal(t, id+"\n", call(t, srv, "", "restart", id))
	assert.True(t, c.State.Running)
	assert.NotEqual(t, pid, c.State.Pid)
	assert.Contains(t, call(t, srv, "", "start", id), "already running")
	assert.Equal(t, "", call(t, srv, "", "kill", id))
	assert.Equal(t, "137\n", call(t, srv, "", "wait", id))
}

func TestConcurrentRunsGetUniqueAddressesAndPorts(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	const n = 50
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = strings.TrimSpace(call(t, srv, "", "run", "-d", "-p", "80", "busybox", "sleep", "1000"))
		}()
	}
	wg.Wait()
	ips, ports := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		c := srv.runtime.Get(id)
		require.NotNil(t, c, id)
		ips[c.NetworkSettings.IpAddress] = true
		ports[c.NetworkSettings.PortMapping["80"]] = true
	}
	assert.Len(t, ips, n)
	assert.Len(t, ports, n)
}

func TestRestoreAfterNewRuntime(t *testing.T) {
	srv, host, root := newContainerServer(t)
	call(t, srv, "", "run", "busybox", "echo", "kept")
	id := lines(call(t, srv, "", "ps", "-a", "-q"))[0]
	srv2, err := NewServer(host, root)
	require.NoError(t, err)
	assert.Equal(t, id+"\n", call(t, srv2, "", "ps", "-a", "-q"))
	assert.Equal(t, "kept\n", call(t, srv2, "", "logs", id))
	assert.Contains(t, call(t, srv2, "", "ps", "-a"), "Exit 0")
	assert.Equal(t, "containers: 1\nversion: 0.1.0\nimages: 1\n", call(t, srv2, "", "info"))
}

func TestRunUsage(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	assert.Contains(t, call(t, srv, "", "run"), "Usage: docker run [OPTIONS] IMAGE COMMAND [ARG...]")
	assert.Contains(t, call(t, srv, "", "run", "busybox"), "Command not specified")
	assert.Contains(t, call(t, srv, "", "run", "nosuchimage", "true"), "Error creating container")
	assert.Contains(t, call(t, srv, "", "run", "-p", "x", "busybox", "true"), "Invalid port")
}

func TestRunMemoryCgroup(t *testing.T) {
	srv, host, _ := newContainerServer(t)
	id := strings.TrimSpace(call(t, srv, "", "run", "-d", "-m", "33554432", "busybox", "sleep", "1000"))
	require.Len(t, id, 16, id)
	c := srv.runtime.Get(id)
	path := "dockerlab/v0.1/" + id
	stats, err := host.Cgroups().Stats(path)
	require.NoError(t, err)
	assert.Equal(t, int64(33554432), stats.MemoryLimit)
	assert.Contains(t, stats.Pids, c.State.Pid)
	call(t, srv, "", "kill", id)
	_, err = host.Cgroups().Stats(path)
	assert.ErrorIs(t, err, backend.ErrNotFound, "the cgroup goes with the container")
}

func TestRunStdinAttachExport(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	assert.Equal(t, "from stdin\n", call(t, srv, "from stdin\n", "run", "-i", "busybox", "cat"))

	id := strings.TrimSpace(call(t, srv, "", "run", "-d", "-i", "busybox", "cat"))
	require.Len(t, id, 16, id)
	assert.Equal(t, "attached\n", call(t, srv, "attached\n", "attach", "-i", id))
	assert.Equal(t, "0\n", call(t, srv, "", "wait", id))

	export := call(t, srv, "", "export", id)
	assert.Contains(t, export, "bin/busybox")
	out := call(t, srv, "", "commit", id, "mine")
	assert.Regexp(t, "^[0-9a-f]{16}\n$", out)
	assert.Contains(t, call(t, srv, "", "images"), "mine")
}

func TestDiffAndCommitOnTheFake(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	call(t, srv, "", "run", "busybox", "sh", "-c", "echo new > /tmp/new; echo changed > /etc/passwd; rm /bin/false")
	id := lines(call(t, srv, "", "ps", "-a", "-q"))[0]
	diff := call(t, srv, "", "diff", id)
	assert.Contains(t, diff, "A /tmp/new\n")
	assert.Contains(t, diff, "C /etc/passwd\n")
	assert.Contains(t, diff, "D /bin/false\n")
	assert.NotContains(t, diff, "/bin/true")
	imageID := strings.TrimSpace(call(t, srv, "", "commit", id, "changed"))
	require.Len(t, imageID, 16, imageID)
	assert.Equal(t, "new\n", call(t, srv, "", "run", "changed", "cat", "/tmp/new"))
	assert.Contains(t, call(t, srv, "", "run", "changed", "false"), "Unable to locate false")
}
