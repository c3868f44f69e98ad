//go:build linux

// Containers on the real kernel, inside linuxtest's sandbox namespace:
// the hostname is the id, eth0 has 10.0.3.x, exit codes come back, and
// `run -d -p 80 busybox httpd` answers both on its own address and
// through the DNAT of the bridge address's public port. Skips unless root.
package docker

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/internal/reexec"
)

// TestMain: the test binary is also the backend's container init.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}

// realBusyboxRootfs is linuxtest's rootfs with httpd and wget as well.
func realBusyboxRootfs(t *testing.T) string {
	root := linuxtest.BusyboxRootfs(t)
	for _, applet := range []string{"httpd", "wget"} {
		require.NoError(t, os.Symlink("busybox", filepath.Join(root, "bin", applet)))
	}
	return root
}

func TestContainersOnRealKernel(t *testing.T) {
	host := linuxtest.NewHost(t) // skips when not root
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("skipping: iptables is not installed (apt-get install iptables)")
	}
	rootfs := realBusyboxRootfs(t)
	require.NoError(t, SetupBridge(host, os.Stderr))
	srv, err := NewServer(host, filepath.Join(t.TempDir(), "root"))
	require.NoError(t, err)
	t.Cleanup(func() {
		for _, c := range srv.runtime.List() {
			c.Kill()
			srv.runtime.Destroy(c)
		}
	})
	var layer bytes.Buffer
	require.NoError(t, Tar(rootfs, &layer))
	require.Len(t, lines(call(t, srv, layer.String(), "import", "-", "busybox")), 1)

	hostname := strings.TrimSpace(call(t, srv, "", "run", "busybox", "hostname"))
	require.Len(t, hostname, 16, hostname)
	assert.True(t, srv.runtime.Exists(hostname))

	addr := call(t, srv, "", "run", "busybox", "ip", "addr", "show", "eth0")
	assert.Contains(t, addr, "inet 10.0.3.")
	route := call(t, srv, "", "run", "busybox", "ip", "route")
	assert.Contains(t, route, "default via 10.0.3.1 dev eth0")

	// lxc.cap.drop and the device whitelist, enforced by the kernel.
	status, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	starter, err := backend.ParseCapSets(string(status))
	require.NoError(t, err)
	checkV01Confinement(t, srv, starter)

	call(t, srv, "", "run", "busybox", "sh", "-c", "exit 3")
	id := lines(call(t, srv, "", "ps", "-a", "-q"))[0]
	assert.Equal(t, "3\n", call(t, srv, "", "wait", id))
	call(t, srv, "", "run", "busybox", "nosuchprogram")
	id = lines(call(t, srv, "", "ps", "-a", "-q"))[0]
	assert.Equal(t, "127\n", call(t, srv, "", "wait", id))

	// -t: stdout is a terminal.
	assert.Contains(t, call(t, srv, "", "run", "-t", "busybox", "sh", "-c", "test -t 1 && echo a tty"), "a tty")
	assert.NotContains(t, call(t, srv, "", "run", "busybox", "sh", "-c", "test -t 1 && echo a tty"), "a tty")

	// -m: the process runs in dockerlab/v0.1/<id> with that memory limit.
	cgroups := call(t, srv, "", "run", "-m", "33554432", "busybox", "cat", "/proc/self/cgroup")
	assert.Contains(t, cgroups, "dockerlab/v0.1/")
	id = lines(call(t, srv, "", "ps", "-a", "-q"))[0]
	_, err = host.Cgroups().Stats("dockerlab/v0.1/" + id)
	assert.ErrorIs(t, err, backend.ErrNotFound, "the cgroup goes when the container exits")

	web := strings.TrimSpace(call(t, srv, "", "run", "-d", "-p", "80", "busybox", "httpd", "-f", "-p", "80", "-h", "/"))
	c := srv.runtime.Get(web)
	require.NotNil(t, c, web)
	public := c.NetworkSettings.PortMapping["80"]
	require.NotEmpty(t, public)
	ip := c.NetworkSettings.IpAddress

	// A client in the sandbox's root namespace (where lxcbr0 is): first
	// the container's own address, then the bridge address's public port,
	// which only the DNAT rule leads to the container.
	for _, url := range []string{"http://" + ip + ":80/etc/passwd", "http://10.0.3.1:" + public + "/etc/passwd"} {
		var out, errOut bytes.Buffer
		p, err := host.Start(backend.ProcSpec{
			Args:       []string{"sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - " + url + " && exit 0; sleep 1; done; exit 1"},
			Namespaces: backend.Namespaces{Mount: true, PID: true, UTS: true, IPC: true},
			Rootfs:     rootfs,
			Stdout:     &out,
			Stderr:     &errOut,
		})
		require.NoError(t, err)
		st, err := p.Wait()
		require.NoError(t, err)
		assert.Zero(t, st.Code, "wget %s: %s", url, errOut.String())
		assert.Contains(t, out.String(), "root:x:0:0", url)
	}
	assert.Equal(t, web+"\n", call(t, srv, "", "stop", web))
	assert.Contains(t, call(t, srv, "", "ps", "-a"), "Exit ")
}
