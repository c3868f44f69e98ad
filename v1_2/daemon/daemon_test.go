package daemon

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/builtins"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// traced is a trace recorder: "4.3 MTU:" for each line (section and
// first word), and the full lines.
type traced struct {
	mu    sync.Mutex // the shutdown hooks trace concurrently
	steps []string
	lines []string
}

func (tr *traced) tracer() Tracer {
	return func(section, line string) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		tr.steps = append(tr.steps, section+" "+strings.Fields(line)[0])
		tr.lines = append(tr.lines, section+" "+line)
	}
}

// setup gives a test files of its own: resolv.conf (a public resolver
// unless given), a small stand-in for the dockerinit binary.
func setup(t *testing.T, resolv string) string {
	t.Helper()
	// NewDaemon points the process's TMPDIR at <root>/tmp, as upstream
	// did; the next test must get its own back.
	t.Setenv("TMPDIR", os.TempDir())
	dir := t.TempDir()
	conf := filepath.Join(dir, "resolv.conf")
	require.NoError(t, os.WriteFile(conf, []byte(resolv), 0o644))
	oldConf, oldBridgeConf, oldExe := ResolvConfPath, bridge.ResolvConfPath, Executable
	ResolvConfPath, bridge.ResolvConfPath = conf, conf
	self := filepath.Join(dir, "dockerlab")
	require.NoError(t, os.WriteFile(self, []byte("#!/bin/sh\n"), 0o755))
	Executable = func() (string, error) { return self, nil }
	t.Cleanup(func() {
		ResolvConfPath, bridge.ResolvConfPath, Executable = oldConf, oldBridgeConf, oldExe
		bridge.SetHost(nil)
	})
	return dir
}

// defaults is the Config the flags give with no arguments.
func defaults(h backend.Host, dir string, tr Tracer) *Config {
	return &Config{
		Pidfile:                     filepath.Join(dir, "run", "docker.pid"),
		Root:                        filepath.Join(dir, "root"),
		AutoRestart:                 true,
		EnableIptables:              true,
		EnableIpForward:             true,
		DefaultIp:                   net.ParseIP("0.0.0.0"),
		InterContainerCommunication: true,
		ExecDriver:                  "native",
		Host:                        h,
		Trace:                       tr,
	}
}

func newEngine(t *testing.T) *engine.Engine {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, builtins.Register(eng))
	return eng
}

func TestNewDaemonTraceOrder(t *testing.T) {
	dir := setup(t, "nameserver 10.0.2.3\n")
	h := fake.New()
	var tr traced
	config := defaults(h, dir, tr.tracer())
	eng := newEngine(t)
	d, err := NewDaemon(config, eng)
	require.NoError(t, err)

	assert.Equal(t, []string{
		"4.3 MTU:",
		"4.3 config:",
		"4.3 pidfile",
		"4.4 platform:",
		"4.5 root",
		"4.6 graphdriver:",
		"4.6 containers",
		"4.6 graph",
		"4.6 volumes",
		"4.6 repositories",
		"4.7 job",
		"4.7 network:",
		"4.8 graphdb",
		"4.9 dockerinit",
		"4.9 sysinfo:",
		"4.9 execdriver",
		"4.10 Daemon{repository,",
		"4.11 dns:",
		"4.12 restore:",
		"4.13 shutdown",
	}, tr.steps)
	assert.Contains(t, tr.lines[0], "MTU: 1500 (default route interface eth0)")
	assert.Contains(t, tr.lines[5], "4.6 graphdriver: vfs", "the fake backend cannot mount overlay")
	assert.Contains(t, tr.lines, "4.12 restore: 0 containers")
	assert.Contains(t, strings.Join(tr.lines, "\n"), "docker0 172.17.42.1/16")

	// What the steps left on disk and on the machine.
	root := d.Config().Root
	for _, p := range []string{root, filepath.Join(root, "tmp"), filepath.Join(root, "containers"), filepath.Join(root, "init")} {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm(), p)
	}
	fi, err := os.Stat(d.SystemInitPath())
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	assert.Equal(t, filepath.Join(root, "init", "dockerinit-1.2.0"), d.SystemInitPath())
	assert.FileExists(t, filepath.Join(root, "linkgraph.db"))
	pid, err := os.ReadFile(config.Pidfile)
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(os.Getpid()), string(pid))
	assert.Equal(t, "native-0.2", d.ExecutionDriver().Name())

	// info answers.
	require.NoError(t, d.Install(eng))
	job := eng.Job("info")
	env, err := job.Stdout.AddEnv()
	require.NoError(t, err)
	require.NoError(t, job.Run())
	assert.Equal(t, "native-0.2", env.Get("ExecutionDriver"))
	assert.Equal(t, "vfs", env.Get("Driver"))
	assert.Equal(t, "0", env.Get("Images"))
	assert.DirExists(t, filepath.Join(root, "graph"))
	assert.DirExists(t, filepath.Join(root, "volumes"))
	assert.FileExists(t, filepath.Join(root, "repositories-vfs"))
	assert.Equal(t, d.SystemInitPath(), env.Get("InitPath"))

	// Shutdown removes the pid file and leaves docker0 in place.
	eng.Shutdown()
	assert.NoFileExists(t, config.Pidfile)
	_, err = h.Root().LinkByName("docker0")
	assert.NoError(t, err, "docker0 stays after the daemon stops, as upstream")
}

func TestNewDaemonTwiceOneCopyOfEachRule(t *testing.T) {
	dir := setup(t, "nameserver 10.0.2.3\n")
	h := fake.New()
	for i := 0; i < 2; i++ {
		eng := newEngine(t)
		_, err := NewDaemon(defaults(h, dir, nil), eng)
		require.NoError(t, err, "run %d", i+1)
		eng.Shutdown()
	}
	dump, err := backend.DumpIPTables(h.Root())
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, line := range strings.Split(dump, "\n") {
		if !strings.HasPrefix(line, "-A ") {
			continue
		}
		assert.False(t, seen[line], "rule twice: %s", line)
		seen[line] = true
	}
	assert.Len(t, seen, 6, dump)
}

func TestNewDaemonFlagConflicts(t *testing.T) {
	dir := setup(t, "nameserver 10.0.2.3\n")
	h := fake.New()

	config := defaults(h, dir, nil)
	config.BridgeIface, config.BridgeIP = "br0", "10.1.0.1/24"
	_, err := NewDaemon(config, newEngine(t))
	assert.EqualError(t, err, "You specified -b & --bip, mutually exclusive options. Please specify only one.")

	config = defaults(h, dir, nil)
	config.EnableIptables, config.InterContainerCommunication = false, false
	_, err = NewDaemon(config, newEngine(t))
	assert.EqualError(t, err, "You specified --iptables=false with --icc=false. ICC uses iptables to function. Please set --icc or --iptables to true.")

	config = defaults(h, dir, nil)
	config.EnableSelinuxSupport = true
	eng := newEngine(t)
	_, err = NewDaemon(config, eng)
	assert.ErrorContains(t, err, "--selinux-enabled is not supported by dockerlab")
	eng.Shutdown() // removes the pid file it had written

	config = defaults(h, dir, nil)
	config.ExecDriver = "lxc"
	eng = newEngine(t)
	_, err = NewDaemon(config, eng)
	assert.ErrorContains(t, err, "exec driver lxc is not available")
	eng.Shutdown()

	config = defaults(h, dir, nil)
	config.GraphDriver = "overlay"
	eng = newEngine(t)
	_, err = NewDaemon(config, eng)
	assert.ErrorContains(t, err, "overlay needs the linux backend")
	eng.Shutdown()

	_, err = NewDaemon(&Config{}, newEngine(t))
	assert.ErrorContains(t, err, "no backend host")
}

func TestNewDaemonNetworkDisabled(t *testing.T) {
	dir := setup(t, "nameserver 10.0.2.3\n")
	h := fake.New()
	var tr traced
	config := defaults(h, dir, tr.tracer())
	config.BridgeIface = "none"
	config.Mtu = 9000
	eng := newEngine(t)
	_, err := NewDaemon(config, eng)
	require.NoError(t, err)
	defer eng.Shutdown()
	assert.Contains(t, tr.lines, "4.7 network: disabled (-b none): init_networkdriver is not run")
	assert.Contains(t, tr.lines, "4.3 MTU: 9000 (--mtu)")
	_, err = h.Root().LinkByName("docker0")
	assert.ErrorIs(t, err, backend.ErrNotFound)
}

func TestPidFile(t *testing.T) {
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "sub", "docker.pid")
	require.NoError(t, CreatePidFile(pidfile))

	// Our own pid is alive: a second daemon is refused.
	err := CreatePidFile(pidfile)
	assert.EqualError(t, err, fmt.Sprintf("pid file found, ensure docker is not running or delete %s (it names pid %d, which is running)", pidfile, os.Getpid()))

	// A pid without a /proc entry is stale and overwritten.
	oldProc := ProcDir
	ProcDir = t.TempDir()
	defer func() { ProcDir = oldProc }()
	require.NoError(t, os.WriteFile(pidfile, []byte("4194304"), 0o644))
	require.NoError(t, CreatePidFile(pidfile))

	require.NoError(t, RemovePidFile(pidfile))
	require.NoError(t, RemovePidFile(pidfile), "removing twice is fine")
}

// Two daemons on one graph root would both run and hand two containers
// the same address: the second is refused, whatever its pid file, with
// the first one's pid; once the first shuts down the root is free.
func TestSecondDaemonOnTheSameRootIsRefused(t *testing.T) {
	dir := setup(t, "nameserver 10.0.2.3\n")
	h := fake.New()
	first := defaults(h, dir, nil)
	eng1 := newEngine(t)
	_, err := NewDaemon(first, eng1)
	require.NoError(t, err)

	second := defaults(h, dir, nil)
	second.Pidfile = filepath.Join(dir, "run", "other.pid")
	eng2 := newEngine(t)
	_, err = NewDaemon(second, eng2)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("the graph root %s is in use by another daemon (pid %d)", first.Root, os.Getpid()))
	eng2.Shutdown()
	assert.NoFileExists(t, second.Pidfile, "the refused daemon leaves no pid file behind")

	eng1.Shutdown()
	eng3 := newEngine(t)
	_, err = NewDaemon(defaults(h, dir, nil), eng3)
	require.NoError(t, err, "the root is free once its daemon shut down")
	eng3.Shutdown()
}

func TestCheckLocalDns(t *testing.T) {
	assert.True(t, CheckLocalDns([]byte("nameserver 127.0.0.1\n")))
	assert.True(t, CheckLocalDns([]byte("# nameserver 8.8.8.8\nnameserver 127.0.1.1\n")))
	assert.True(t, CheckLocalDns([]byte("search example.com\n")), "no nameserver counts as local")
	assert.False(t, CheckLocalDns([]byte("nameserver 10.0.2.3\nnameserver 127.0.0.1\n")), "the first line decides")
	assert.False(t, CheckLocalDns([]byte("nameserver 127.0.0.53\n")), "upstream's quirk: systemd-resolved is not seen")
}

func TestCheckLocaldnsSetsDefaults(t *testing.T) {
	dir := setup(t, "nameserver 127.0.0.1\n")
	h := fake.New()
	var tr traced
	config := defaults(h, dir, tr.tracer())
	eng := newEngine(t)
	d, err := NewDaemon(config, eng)
	require.NoError(t, err)
	defer eng.Shutdown()
	assert.Equal(t, []string{"8.8.8.8", "8.8.4.4"}, d.Config().Dns)
	assert.Contains(t, strings.Join(tr.lines, "\n"), "Using default external servers: 8.8.8.8, 8.8.4.4")

	// --dns wins over the check.
	d.config.Dns = []string{"1.1.1.1"}
	msg, err := d.checkLocaldns()
	require.NoError(t, err)
	assert.Equal(t, "--dns given: 1.1.1.1", msg)
}

func TestRestoreCountsContainerDirs(t *testing.T) {
	dir := setup(t, "nameserver 10.0.2.3\n")
	h := fake.New()
	var tr traced
	config := defaults(h, dir, tr.tracer())
	require.NoError(t, os.MkdirAll(filepath.Join(config.Root, "containers", "abc"), 0o700))
	eng := newEngine(t)
	_, err := NewDaemon(config, eng)
	require.NoError(t, err)
	defer eng.Shutdown()
	assert.Contains(t, strings.Join(tr.lines, "\n"), "restore: 0 containers, 1 unreadable (abc)")
}

func TestValidate(t *testing.T) {
	c := &Config{defaultIP: "nope"}
	assert.ErrorContains(t, c.Validate(), `invalid --ip "nope"`)
	c = &Config{defaultIP: "127.0.0.1", Dns: []string{"x"}}
	assert.EqualError(t, c.Validate(), "x is not an ip address")
	c = &Config{defaultIP: "127.0.0.1", DnsSearch: []string{".bad"}}
	assert.EqualError(t, c.Validate(), ".bad is not a valid domain")
	c = &Config{defaultIP: "127.0.0.1", Dns: []string{"8.8.8.8"}}
	require.NoError(t, c.Validate())
	assert.Equal(t, "127.0.0.1", c.DefaultIp.String())
}
