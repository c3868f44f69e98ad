// Tests of the exercise ch13.namespace-exec (the steps of namespaces.Exec
// around the container's start: cgroup, start with the network set up
// while the child waits, state.json, the callback, wait, clean up):
// `dockerlab lab check ch13.namespace-exec`, or
// `go test ./v1_2/libcontainer/namespaces -run TestCh13NamespaceExec`.
// They run on the fake machine.
package namespaces

import (
	"io"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/cgroups"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

// lab13Exec is one Exec on a fresh fake machine: what it returned, and what
// the start callback saw while the container ran.
type lab13Exec struct {
	h        backend.Host
	dataPath string
	code     int
	err      error
	calls    int
	pid      int                 // the process the callback got
	state    *libcontainer.State // state.json as the callback found it
	stateErr error
	inCgroup []int  // the cgroup's pids, seen from the callback
	eth0     string // eth0's address inside, seen from the callback
	hostVeth bool   // the host end of the veth is a port of the bridge
}

// lab13Config is a container.json with every namespace of its own.
func lab13Config() *libcontainer.Config {
	return &libcontainer.Config{
		Hostname:   "lab13",
		Namespaces: map[string]bool{"NEWNS": true, "NEWUTS": true, "NEWIPC": true, "NEWPID": true, "NEWNET": true},
	}
}

// lab13Run runs args in c with Exec. The container's shell waits for a line
// on its stdin, which the callback sends once it has looked around.
func lab13Run(t *testing.T, h backend.Host, c *libcontainer.Config, args ...string) *lab13Exec {
	t.Helper()
	r := &lab13Exec{h: h, dataPath: t.TempDir()}
	rootfs := backendtest.Rootfs(t, h)
	stdin, w := io.Pipe()
	var once sync.Once
	release := func() { once.Do(func() { w.Write([]byte("go\n")); w.Close() }) }
	// A hang guard, not a timed assertion: an answer that never calls back
	// would leave the shell waiting on its stdin for ever.
	guard := time.AfterFunc(20*time.Second, release)
	defer guard.Stop()
	r.code, r.err = Exec(h, c, Stdio{Stdin: stdin, Stdout: io.Discard, Stderr: io.Discard}, rootfs, r.dataPath, args,
		Init{Path: "/.dockerinit", Args: []string{"native", "-pipe", "3"}},
		func(p backend.Process) {
			r.calls++
			r.pid = p.Pid()
			r.state, r.stateErr = libcontainer.GetState(r.dataPath)
			if c.Cgroups != nil {
				r.inCgroup, _ = h.Cgroups().Procs(c.Cgroups.Path())
			}
			if ns, err := h.NetNS(p.NetNS()); err == nil {
				if addrs, err := ns.AddrList("eth0"); err == nil && len(addrs) > 0 {
					r.eth0 = addrs[0].IPNet.String()
				}
			}
			if r.state != nil && r.state.NetworkState.VethHost != "" {
				if l, err := h.Root().LinkByName(r.state.NetworkState.VethHost); err == nil {
					r.hostVeth = l.Master == "br-lab"
				}
			}
			go release()
		})
	return r
}

// Exec starts the process, tells the caller once (after state.json is
// written), waits for it and returns its exit code.
func TestCh13NamespaceExec(t *testing.T) {
	h := fake.New()
	r := lab13Run(t, h, lab13Config(), "sh", "-c", "read x; exit 3")
	require.NoError(t, r.err)
	assert.Equal(t, 3, r.code, "Exec waits for the process and returns its exit code")
	assert.Equal(t, 1, r.calls, "the start callback runs exactly once")
	require.NoError(t, r.stateErr, "state.json is in dataPath before the callback runs (the daemon reads it there)")
	assert.Equal(t, r.pid, r.state.InitPid, "state.json names the container's first process")
	assert.NotEmpty(t, r.state.InitStartTime, "…and when it started (startTime), so a reused pid is never mistaken for it")
	assert.Equal(t, "/.dockerinit", r.state.InitPath)
	assert.Equal(t, []string{"native", "-pipe", "3"}, r.state.InitArgs)
}

// cgroups参数: the cgroup is made and limited before the process runs,
// the process runs in it, and it is gone once Exec returns.
func TestCh13NamespaceExec_Cgroup(t *testing.T) {
	h := fake.New()
	c := lab13Config()
	c.Cgroups = &cgroups.Cgroup{Name: "lab13-" + filepath.Base(t.TempDir()), Memory: 64 << 20}
	r := lab13Run(t, h, c, "sh", "-c", "read x; exit 0")
	require.NoError(t, r.err)
	assert.Equal(t, []int{r.pid}, r.inCgroup, "the process runs in the container's cgroup (spec.Cgroup, after cgroups.Apply)")
	require.NotNil(t, r.state)
	assert.NotEmpty(t, r.state.CgroupPaths, "state.json records the cgroup's paths (what cgroups.Apply returned)")
	_, err := h.Cgroups().Procs(c.Cgroups.Path())
	assert.ErrorIs(t, err, backend.ErrNotFound, "once the process ended, Exec removed the cgroup (cleanup)")
}

// 网络栈资源 and 配置网络栈: while the child waits (the Setup hook), the
// veth pair is made, one end joins the bridge, the other is eth0 inside.
// Once Exec returns the host's end is gone.
func TestCh13NamespaceExec_Network(t *testing.T) {
	h := fake.New()
	root := h.Root()
	require.NoError(t, root.AddBridge("br-lab", 0))
	require.NoError(t, root.AddrAdd("br-lab", &net.IPNet{IP: net.ParseIP("10.113.0.1"), Mask: net.CIDRMask(24, 32)}))
	require.NoError(t, root.LinkSetUp("br-lab"))
	c := lab13Config()
	c.Networks = []*network.Network{
		{Type: "loopback", Address: "127.0.0.1/0"},
		{Type: "veth", Bridge: "br-lab", VethPrefix: "veth", Address: "10.113.0.2/24", Gateway: "10.113.0.1", Mtu: 1500},
	}
	r := lab13Run(t, h, c, "sh", "-c", "read x; exit 0")
	require.NoError(t, r.err)
	assert.Equal(t, "10.113.0.2/24", r.eth0, "eth0 is configured inside before the program runs (spec.Setup: InitializeNetworking)")
	assert.True(t, r.hostVeth, "the host's end of the pair is a port of the bridge, and state.json names it")
	require.NotNil(t, r.state)
	_, err := root.LinkByName(r.state.NetworkState.VethHost)
	assert.ErrorIs(t, err, backend.ErrNotFound, "once the process ended, Exec deleted the host's end (cleanup)")
}

// A container that cannot start leaves nothing behind: no cgroup.
func TestCh13NamespaceExec_StartFails(t *testing.T) {
	h := fake.New()
	c := lab13Config()
	c.Cgroups = &cgroups.Cgroup{Name: "lab13-" + filepath.Base(t.TempDir())}
	r := lab13Run(t, h, c, "no-such-program")
	require.Error(t, r.err, "a program that does not exist: Exec returns the backend's error")
	assert.Equal(t, -1, r.code)
	assert.Zero(t, r.calls, "no start callback for a container that never ran")
	_, err := h.Cgroups().Procs(c.Cgroups.Path())
	assert.ErrorIs(t, err, backend.ErrNotFound, "the cgroup made for it is removed again (cleanup)")
}
