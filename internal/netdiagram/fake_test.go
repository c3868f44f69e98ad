// Build on the fake kernel: a container (a process with namespaces of its
// own, as Docker 1.2's native driver starts one) whose eth0 is the far end
// of a veth on docker0 must be found in the process's namespace.
package netdiagram

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestBuildOnTheFakeFindsAContainersNamespace(t *testing.T) {
	k := fake.New()
	defer k.Close()
	rootfs := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(rootfs, "bin"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(rootfs, "bin", "busybox"), []byte("\x7fELF"), 0o755))
	require.NoError(t, os.Symlink("/bin/busybox", filepath.Join(rootfs, "bin", "sleep")))
	p, err := k.Start(backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: rootfs,
		Namespaces: backend.AllNamespaces(), Hostname: "web"})
	require.NoError(t, err)
	defer func() { _ = p.Signal(syscall.SIGKILL); _, _ = p.Wait() }()

	root := k.Root()
	require.NoError(t, root.AddBridge("docker0", 0))
	require.NoError(t, root.AddrAdd("docker0", cidr("172.17.42.1/16")))
	require.NoError(t, root.LinkSetUp("docker0"))
	require.NoError(t, root.AddVeth("vethA", "cethA", 0))
	require.NoError(t, root.LinkSetMaster("vethA", "docker0"))
	require.NoError(t, root.LinkSetUp("vethA"))
	require.NoError(t, root.LinkSetNs("cethA", backend.NSPid(p.Pid())))
	c, err := k.NetNS(backend.NSPid(p.Pid()))
	require.NoError(t, err)
	require.NoError(t, c.LinkSetName("cethA", "eth0"))
	require.NoError(t, c.AddrAdd("eth0", cidr("172.17.0.2/16")))
	require.NoError(t, c.LinkSetUp("eth0"))

	m, err := Build(k, root)
	require.NoError(t, err)
	require.Len(t, m.Bridges, 1)
	require.Len(t, m.Bridges[0].Ports, 1)
	want := &Endpoint{Where: "pid " + strconv.Itoa(p.Pid()) + " (web)", Iface: up("eth0", "172.17.0.2/16")}
	require.Equal(t, want, m.Bridges[0].Ports[0].Peer)
	require.Equal(t, []Iface{up("eth0", "10.0.2.15/24")}, m.Uplinks)
}
