package native

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
)

// The scenarios every backend runs (driver_fake_test.go and
// driver_linux_test.go call them with their host).

const (
	testBridge  = "dlbr0"
	testGateway = "10.99.0.1"
)

// syncBuffer is a bytes.Buffer safe for the container's writer and the
// test's reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newTestDriver(t *testing.T, h backend.Host) (*Driver, string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "execdriver", "native")
	d, err := NewDriver(root, "/var/lib/dockerlab/v1.2/init/dockerinit-1.2.0", h)
	require.NoError(t, err)
	return d, root
}

// addBridge makes the bridge a daemon's init_networkdriver would have made.
func addBridge(t *testing.T, h backend.Host) {
	t.Helper()
	r := h.Root()
	require.NoError(t, r.AddBridge(testBridge, 0))
	require.NoError(t, r.AddrAdd(testBridge, &net.IPNet{IP: net.ParseIP(testGateway).To4(), Mask: net.CIDRMask(24, 32)}))
	require.NoError(t, r.LinkSetUp(testBridge))
	t.Cleanup(func() { r.LinkDel(testBridge) })
}

func command(id, rootfs string, args ...string) *execdriver.Command {
	return &execdriver.Command{
		ID: id, Rootfs: rootfs, InitPath: "/.dockerinit",
		Entrypoint: args[0], Arguments: args[1:],
		Env: []string{"HOSTNAME=" + id[:12], "PATH=/bin"},
	}
}

func bridged(ip string) *execdriver.Network {
	return &execdriver.Network{Mtu: 1500, Interface: &execdriver.NetworkInterface{
		Gateway: testGateway, IPAddress: ip, Bridge: testBridge, IPPrefixLen: 24,
	}}
}

const id1 = "1111111111111111111111111111111111111111111111111111111111111111"
const id2 = "2222222222222222222222222222222222222222222222222222222222222222"

// scenarioBridge: hostname, pid 1, eth0 with the address, the default
// route, its own /proc; container.json and state.json while it runs; the
// veth, cgroup and directory gone afterwards.
func scenarioBridge(t *testing.T, h backend.Host, rootfs string) {
	d, root := newTestDriver(t, h)
	addBridge(t, h)
	// The shell waits for a line on stdin, so that the callback sees the
	// container while it runs.
	script := "read go; hostname; echo pid=$$; ip addr show eth0; ip route; ps"
	c := command(id1, rootfs, "sh", "-c", script)
	c.Network = bridged("10.99.0.2")
	var out syncBuffer
	stdinR, stdinW := io.Pipe()
	var sawState *libcontainer.State
	var sawConfig libcontainer.Config
	var veths []string
	code, err := d.Run(c, execdriver.NewPipes(stdinR, &out, &out, true), func(c *execdriver.Command) {
		defer func() {
			stdinW.Write([]byte("go\n"))
			stdinW.Close() // the linux backend's Wait also waits for the stdin copy
		}()
		assert.Greater(t, c.ContainerPid, 0)
		assert.NotNil(t, c.Process)
		assert.NotNil(t, c.Terminal)
		assert.True(t, d.Info(id1).IsRunning())
		st, err := libcontainer.GetState(filepath.Join(root, id1))
		if assert.NoError(t, err) {
			sawState = st
		}
		data, err := os.ReadFile(filepath.Join(root, id1, ConfigFile))
		if assert.NoError(t, err) {
			assert.NoError(t, json.Unmarshal(data, &sawConfig))
		}
		links, _ := h.Root().LinkList()
		for _, l := range links {
			if l.Kind == backend.KindVeth {
				veths = append(veths, l.Name+"@"+l.Master)
			}
		}
	})
	require.NoError(t, err)
	assert.Equal(t, 0, code, out.String())
	text := out.String()
	assert.Contains(t, text, "111111111111\n", "hostname")
	assert.Contains(t, text, "pid=1\n")
	assert.Contains(t, text, "10.99.0.2/24")
	assert.Contains(t, text, "default via 10.99.0.1 dev eth0")
	assert.Regexp(t, `(?m)^\s+1 \S+\s+\S+ sh -c`, text, "ps reads the container's own /proc: the shell is pid 1")

	require.NotNil(t, sawState)
	assert.Equal(t, []string{"native", "-console", "", "-pipe", "3", "-root", filepath.Join(root, id1), "--",
		"sh", "-c", script}, sawState.InitArgs)
	assert.NotEmpty(t, sawState.InitStartTime)
	assert.Regexp(t, `^veth[0-9a-f]{4}$`, sawState.NetworkState.VethHost)
	assert.Equal(t, []string{sawState.NetworkState.VethHost + "@" + testBridge}, veths, "one veth end, a port of the bridge")
	assert.Equal(t, "111111111111", sawConfig.Hostname)
	assert.Equal(t, map[string]bool{"NEWNS": true, "NEWUTS": true, "NEWIPC": true, "NEWPID": true, "NEWNET": true}, sawConfig.Namespaces)
	assert.Contains(t, sawConfig.Capabilities, "NET_BIND_SERVICE")
	assert.NotContains(t, sawConfig.Capabilities, "SYS_ADMIN")
	assert.Equal(t, "dockerlab", sawConfig.Cgroups.Parent)
	assert.Equal(t, id1, sawConfig.Cgroups.Name)

	// Afterwards: no state, no veth, no cgroup, no directory.
	assert.False(t, d.Info(id1).IsRunning())
	assert.NoDirExists(t, filepath.Join(root, id1))
	links, err := h.Root().LinkList()
	require.NoError(t, err)
	for _, l := range links {
		assert.NotEqual(t, backend.KindVeth, l.Kind, "veth %s left behind", l.Name)
	}
	_, err = h.Cgroups().Stats(id1)
	assert.ErrorIs(t, err, backend.ErrNotFound)
}

// scenarioExitCode: the exit status comes back, and a missing program
// is an error.
func scenarioExitCode(t *testing.T, h backend.Host, rootfs string) {
	d, _ := newTestDriver(t, h)
	code, err := d.Run(command(id1, rootfs, "sh", "-c", "exit 3"), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, code)
	_, err = d.Run(command(id1, rootfs, "no-such-program"), nil, nil)
	assert.ErrorIs(t, err, backend.ErrProgNotFound)

	// Bad commands are refused before anything is made.
	_, err = d.Run(command(id1, "", "true"), nil, nil)
	assert.ErrorContains(t, err, "has no rootfs")
	_, err = d.Run(command(id1, filepath.Join(rootfs, "nope"), "true"), nil, nil)
	assert.ErrorContains(t, err, "is not a directory")
	_, err = d.Run(command(id1, rootfs, ""), nil, nil)
	assert.ErrorContains(t, err, "no command to run")
	_, err = d.Run(&execdriver.Command{Rootfs: rootfs, Entrypoint: "true"}, nil, nil)
	assert.ErrorContains(t, err, "without a container id")
	bad := command(id1, rootfs, "true")
	bad.CapAdd = []string{"FLY"}
	_, err = d.Run(bad, nil, nil)
	assert.ErrorContains(t, err, `Unknown capability to add: "FLY"`)
	bad = command(id1, rootfs, "true")
	bad.Config = map[string][]string{"native": {"cgroups.cpu_shares=2"}}
	_, err = d.Run(bad, nil, nil)
	assert.ErrorContains(t, err, "not supported")
}

// startAndWait runs c in the background and returns once it started.
func startAndWait(t *testing.T, d *Driver, c *execdriver.Command, pipes *execdriver.Pipes) <-chan int {
	t.Helper()
	started := make(chan struct{})
	done := make(chan int, 1)
	go func() {
		code, err := d.Run(c, pipes, func(*execdriver.Command) { close(started) })
		if err != nil {
			t.Errorf("run %s: %v", c.ID[:12], err)
			select {
			case <-started:
			default:
				close(started)
			}
		}
		done <- code
	}()
	<-started
	return done
}

// scenarioKillPauseTerminate: pids, pause/unpause (freezer), kill with a
// signal, terminate.
func scenarioKillPauseTerminate(t *testing.T, h backend.Host, rootfs string) {
	d, root := newTestDriver(t, h)
	c := command(id1, rootfs, "sleep", "1000")
	done := startAndWait(t, d, c, nil)

	pids, err := d.GetPidsForContainer(id1)
	require.NoError(t, err)
	assert.Equal(t, []int{c.ContainerPid}, pids)

	require.NoError(t, d.Pause(c))
	st, err := h.Cgroups().Stats(id1)
	require.NoError(t, err)
	assert.True(t, st.Frozen)
	require.NoError(t, d.Unpause(c))
	st, err = h.Cgroups().Stats(id1)
	require.NoError(t, err)
	assert.False(t, st.Frozen)

	require.NoError(t, d.Kill(c, int(syscall.SIGTERM)))
	// pid 1 of a pid namespace ignores SIGTERM unless it handles it;
	// busybox sleep does not, so it keeps sleeping: Terminate ends it.
	select {
	case code := <-done:
		t.Fatalf("sleep as pid 1 ended on SIGTERM with %d", code)
	case <-time.After(200 * time.Millisecond):
	}
	require.NoError(t, d.Terminate(c))
	assert.Equal(t, 128+int(syscall.SIGKILL), <-done)
	assert.NoDirExists(t, filepath.Join(root, id1))
	assert.Error(t, d.Kill(&execdriver.Command{ID: id2}, 9), "not running")
	assert.Error(t, d.Kill(c, 0), "bad signal")

	c2 := command(id2, rootfs, "sleep", "1000")
	done = startAndWait(t, d, c2, nil)
	require.NoError(t, d.Kill(c2, int(syscall.SIGKILL)))
	assert.Equal(t, 137, <-done)
}

// scenarioNetworkModes: none (lo only), container (shares the other's
// eth0), host (the machine's links).
func scenarioNetworkModes(t *testing.T, h backend.Host, rootfs string) {
	d, _ := newTestDriver(t, h)
	addBridge(t, h)

	var out syncBuffer
	code, err := d.Run(command(id1, rootfs, "ip", "addr"), execdriver.NewPipes(nil, &out, &out, false), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, code)
	assert.Contains(t, out.String(), "lo:")
	assert.Contains(t, out.String(), "127.0.0.1/8")
	assert.NotContains(t, out.String(), "eth0")

	c1 := command(id1, rootfs, "sleep", "1000")
	c1.Network = bridged("10.99.0.3")
	done := startAndWait(t, d, c1, nil)
	out = syncBuffer{}
	c2 := command(id2, rootfs, "ip", "addr")
	c2.Network = &execdriver.Network{ContainerID: id1}
	code, err = d.Run(c2, execdriver.NewPipes(nil, &out, &out, false), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, code)
	assert.Contains(t, out.String(), "10.99.0.3/24", "container mode sees the other container's eth0")
	require.NoError(t, d.Terminate(c1))
	<-done

	c3 := command(id2, rootfs, "ip", "addr")
	c3.Network = &execdriver.Network{ContainerID: id1}
	_, err = d.Run(c3, nil, nil)
	assert.ErrorContains(t, err, id1+" is not active")

	out = syncBuffer{}
	c4 := command(id2, rootfs, "ip", "link")
	c4.Network = &execdriver.Network{HostNetworking: true}
	code, err = d.Run(c4, execdriver.NewPipes(nil, &out, &out, false), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, code)
	assert.Contains(t, out.String(), testBridge, "host mode sees the machine's bridge")
}

// scenarioUser: -u by name and by uid:gid.
func scenarioUser(t *testing.T, h backend.Host, rootfs string) {
	d, _ := newTestDriver(t, h)
	for user, want := range map[string]string{"nobody": "uid=65534", "1000:1000": "uid=1000"} {
		c := command(id1, rootfs, "id")
		c.User = user
		var out syncBuffer
		code, err := d.Run(c, execdriver.NewPipes(nil, &out, &out, false), nil)
		require.NoError(t, err, user)
		assert.Equal(t, 0, code, out.String())
		assert.Contains(t, out.String(), want, user)
	}
	c := command(id1, rootfs, "id")
	c.User = "nosuchuser"
	_, err := d.Run(c, nil, nil)
	assert.ErrorContains(t, err, "Unable to find user nosuchuser")
}

// scenarioStdin: -i feeds the container's stdin.
func scenarioStdin(t *testing.T, h backend.Host, rootfs string) {
	d, _ := newTestDriver(t, h)
	var out syncBuffer
	in := strings.NewReader("hello from stdin\n")
	code, err := d.Run(command(id1, rootfs, "cat"), execdriver.NewPipes(nopCloser{in}, &out, &out, true), nil)
	require.NoError(t, err)
	assert.Equal(t, 0, code)
	assert.Equal(t, "hello from stdin\n", out.String())
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// runAll runs every scenario on h.
func runAll(t *testing.T, newHost func(t *testing.T) backend.Host) {
	for name, s := range map[string]func(*testing.T, backend.Host, string){
		"Bridge": scenarioBridge, "ExitCode": scenarioExitCode, "KillPauseTerminate": scenarioKillPauseTerminate,
		"NetworkModes": scenarioNetworkModes, "User": scenarioUser, "Stdin": scenarioStdin,
		"InitArgv": scenarioInitArgv, "Resources": scenarioResources,
		"TerminateEarlierDaemon": scenarioTerminateEarlierDaemon,
	} {
		t.Run(name, func(t *testing.T) {
			h := newHost(t)
			s(t, h, backendtest.Rootfs(t, h))
		})
	}
}

// scenarioResources: -m, -c and --cpuset land in the container's cgroup,
// and the process is in it.
func scenarioResources(t *testing.T, h backend.Host, rootfs string) {
	d, _ := newTestDriver(t, h)
	c := command(id1, rootfs, "sleep", "1000")
	c.Resources = &execdriver.Resources{Memory: 64 << 20, CpuShares: 512, Cpuset: "0"}
	code, err := d.Run(c, nil, func(c *execdriver.Command) {
		defer d.Kill(c, int(syscall.SIGKILL))
		st, err := h.Cgroups().Stats(id1)
		if assert.NoError(t, err) {
			assert.Equal(t, int64(64<<20), st.MemoryLimit)
			assert.Equal(t, int64(512), st.CPUShares)
			assert.Equal(t, "0", st.CpusetCpus)
			assert.Equal(t, []int{c.ContainerPid}, st.Pids)
		}
	})
	require.NoError(t, err)
	assert.Equal(t, 137, code)
}

// scenarioTerminateEarlierDaemon: a second driver on the same root (a
// restarted daemon) does not know the process, finds it through
// state.json and kills it through the backend (Host.Kill).
func scenarioTerminateEarlierDaemon(t *testing.T, h backend.Host, rootfs string) {
	old, root := newTestDriver(t, h)
	addBridge(t, h)
	c := command(id1, rootfs, "sleep", "1000")
	c.Network = bridged("10.99.0.4")
	done := startAndWait(t, old, c, nil)
	assert.True(t, old.Info(id1).IsRunning())

	restarted, err := NewDriver(root, "/init", h)
	require.NoError(t, err)
	assert.True(t, restarted.Info(id1).IsRunning(), "state.json says it runs")
	require.NoError(t, restarted.Terminate(&execdriver.Command{ID: id1}))
	assert.Equal(t, 137, <-done)
	assert.False(t, restarted.Info(id1).IsRunning())
	_, err = h.Cgroups().Stats(id1)
	assert.ErrorIs(t, err, backend.ErrNotFound)
	require.NoError(t, restarted.Terminate(&execdriver.Command{ID: id1}), "nothing left: still fine")
}
