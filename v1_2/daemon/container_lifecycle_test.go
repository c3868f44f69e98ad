// Tests of the container jobs (create.go start.go stop.go kill.go wait.go
// restart.go pause.go delete.go monitor.go volumes.go, the store and
// restore in daemon.go) through the engine, as a client would drive them,
// on a daemon built as daemon_test.go builds one.
package daemon

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// lifeDaemon is a daemon on h with its jobs installed and a busybox image
// tagged "busybox", plus its engine. root is reused when given (restart).
type lifeDaemon struct {
	d   *Daemon
	eng *engine.Engine
	h   backend.Host
	dir string
}

func newLifeDaemon(t *testing.T, h backend.Host, dir, bip string) *lifeDaemon {
	t.Helper()
	if dir == "" {
		dir = setup(t, "nameserver 10.0.2.3\n")
	}
	config := defaults(h, dir, nil)
	config.BridgeIP = bip
	eng := newEngine(t)
	d, err := NewDaemon(config, eng)
	require.NoError(t, err)
	require.NoError(t, d.Install(eng))
	t.Cleanup(eng.Shutdown) // stops what still runs before the temp dirs go
	if _, err := d.repositories.LookupImage("busybox"); err != nil {
		rootfs := backendtest.Rootfs(t, h)
		layer, err := archive.Tar(rootfs, archive.Uncompressed)
		require.NoError(t, err)
		img, err := d.graph.Import(layer, "busybox for the lifecycle tests")
		layer.Close()
		require.NoError(t, err)
		require.NoError(t, d.repositories.Set("busybox", "latest", img.ID, true))
	}
	return &lifeDaemon{d: d, eng: eng, h: h, dir: dir}
}

// run runs job name with args and env ("K=V"; a value starting with [
// or { is JSON), returning stdout, stderr and the error.
func (l *lifeDaemon) run(name string, args []string, env ...string) (string, string, error) {
	job := l.eng.Job(name, args...)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		job.Setenv(k, v)
	}
	var out, errOut strings.Builder
	job.Stdout.Add(&out)
	job.Stderr.Add(&errOut)
	err := job.Run()
	return out.String(), errOut.String(), err
}

func (l *lifeDaemon) create(t *testing.T, name string, env ...string) string {
	t.Helper()
	var args []string
	if name != "" {
		args = []string{name}
	}
	out, _, err := l.run("create", args, append([]string{"Image=busybox"}, env...)...)
	require.NoError(t, err)
	id := strings.TrimSpace(out)
	require.Regexp(t, regexp.MustCompile(`^[0-9a-f]{64}$`), id)
	return id
}

func lifecycleCreateStartWaitRm(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	rulesBefore := rules(t, l.h)
	linksBefore := hostLinks(t, l.h)

	id := l.create(t, "web", `Cmd=["sh","-c","echo hello; echo oops >&2; exit 3"]`)
	c := l.d.Get(id)
	require.NotNil(t, c)
	assert.Same(t, c, l.d.Get("web"), "by name")
	assert.Same(t, c, l.d.Get("/web"), "by full name")
	assert.Same(t, c, l.d.Get(id[:10]), "by prefix")
	assert.Equal(t, "/web", c.Name)
	assert.Equal(t, id[:12], c.Config.Hostname)
	assert.Equal(t, "sh", c.Path)
	assert.Equal(t, "", c.State.String(), "never ran")
	for _, f := range []string{"config.json", "hostconfig.json"} {
		assert.FileExists(t, filepath.Join(l.d.repository, id, f))
	}
	assert.True(t, l.d.driver.Exists(id) && l.d.driver.Exists(id+"-init"))

	_, _, err := l.run("start", []string{"web"})
	require.NoError(t, err)
	out, _, err := l.run("wait", []string{id[:12]})
	require.NoError(t, err)
	assert.Equal(t, "3\n", out)
	assert.Regexp(t, `^Exited \(3\) `, c.State.String())

	// The log: Docker 1.2's json-file lines, both streams.
	log := readFile(t, c.LogPath())
	assert.Contains(t, log, `{"log":"hello\n","stream":"stdout","time":"`)
	assert.Contains(t, log, `{"log":"oops\n","stream":"stderr","time":"`)

	// config.json has the final state once the monitor is done (wait
	// answers at the exit, before the cleanup, as in upstream).
	c.waitForPreviousRun()
	var onDisk struct {
		State struct {
			Running  bool
			ExitCode int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, filepath.Join(c.root, "config.json"))), &onDisk))
	assert.False(t, onDisk.State.Running)
	assert.Equal(t, 3, onDisk.State.ExitCode)

	_, _, err = l.run("start", []string{"web"})
	require.NoError(t, err, "a stopped container starts again")
	_, _, err = l.run("wait", []string{"web"})
	require.NoError(t, err)

	_, _, err = l.run("delete", []string{"web"})
	require.NoError(t, err)
	assert.Nil(t, l.d.Get(id))
	assert.NoDirExists(t, filepath.Join(l.d.repository, id))
	assert.False(t, l.d.driver.Exists(id) || l.d.driver.Exists(id+"-init"))
	assert.False(t, l.d.containerGraph.Exists("/web"))
	assert.Equal(t, rulesBefore, rules(t, l.h), "no rule left")
	assert.Equal(t, linksBefore, hostLinks(t, l.h), "no veth left")
	mounts, err := l.h.Mounts()
	require.NoError(t, err)
	for _, m := range mounts {
		assert.NotContains(t, m.Target, id, "no mount left")
	}
	procs, err := l.h.Procs()
	require.NoError(t, err)
	for _, p := range procs {
		if p.State != "exited" {
			assert.NotContains(t, p.Rootfs, id, "no process left")
		}
	}
	_, err = l.h.Cgroups().Procs(id)
	assert.Error(t, err, "no cgroup left")

	_, _, err = l.run("delete", []string{"web"})
	assert.EqualError(t, err, "No such container: web")
}

// The scenarios on the fake machine (container_lifecycle_linux_test.go
// runs them on the real kernel).
func TestLifecycleCreateStartWaitRmFake(t *testing.T) {
	lifecycleCreateStartWaitRm(t, fake.New(), "10.77.0.1/16")
}
func TestLifecycleMessagesFake(t *testing.T)    { lifecycleMessages(t, fake.New(), "10.78.0.1/16") }
func TestLifecycleKillRestartFake(t *testing.T) { lifecycleKillRestart(t, fake.New(), "10.79.0.1/16") }
func TestLifecycleHostConfigInCreateAndVolumesFake(t *testing.T) {
	lifecycleHostConfigInCreateAndVolumes(t, fake.New(), "10.80.0.1/16")
}

// -v is the fake's one door to host files, but never to the whole
// machine: `-v /:/host` fails at start, saying why.
func TestFakeRefusesBindOfHostRoot(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.74.0.1/16")
	l.create(t, "all", `Cmd=["ls","/host"]`, `HostConfig={"Binds":["/:/host"]}`)
	_, _, err := l.run("start", []string{"all"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "will not bind the host's root directory")
}

func TestLifecycleManyConcurrentWithPortsFake(t *testing.T) {
	lifecycleManyConcurrentWithPorts(t, fake.New(), "10.82.0.1/16")
}
func TestLifecycleRestoreFake(t *testing.T) { lifecycleRestore(t, fake.New(), "10.81.0.1/16") }

func hostLinks(t *testing.T, h backend.Host) string {
	t.Helper()
	ls, err := h.Root().LinkList()
	require.NoError(t, err)
	var names []string
	for _, l := range ls {
		names = append(names, l.Name)
	}
	return strings.Join(names, " ")
}

func lifecycleMessages(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	_, _, err := l.run("create", nil, "Image=busybox", `Cmd=["true"]`, "Memory=1000")
	assert.EqualError(t, err, "Minimum memory limit allowed is 512k")
	_, _, err = l.run("create", nil, "Image=nosuchimage", `Cmd=["true"]`)
	assert.EqualError(t, err, "No such image: nosuchimage (tag: latest)")
	_, _, err = l.run("create", nil, "Image=busybox")
	assert.EqualError(t, err, "No command specified")
	_, _, err = l.run("create", []string{"bad name!"}, "Image=busybox", `Cmd=["true"]`)
	assert.ErrorContains(t, err, "Invalid container name (bad name!)")

	id := l.create(t, "db", `Cmd=["sleep","1000"]`)
	_, _, err = l.run("create", []string{"db"}, "Image=busybox", `Cmd=["true"]`)
	assert.EqualError(t, err, fmt.Sprintf("Conflict, The name db is already assigned to %s. You have to delete (or rename) that container to be able to assign db to a container again.", id[:12]))

	for _, job := range []string{"start", "stop", "kill", "wait", "restart", "pause", "unpause", "delete"} {
		_, _, err := l.run(job, []string{"nosuch"})
		assert.ErrorContains(t, err, "o such container: nosuch", job)
	}
	_, _, err = l.run("stop", []string{"db"})
	assert.EqualError(t, err, "Container already stopped")

	_, _, err = l.run("start", []string{"db"})
	require.NoError(t, err)
	_, _, err = l.run("start", []string{"db"})
	assert.EqualError(t, err, "Container already started")
	_, _, err = l.run("delete", []string{"db"})
	assert.EqualError(t, err, "You cannot remove a running container. Stop the container before attempting removal or use -f")

	// pause, unpause, kill -s, then stop (sleep ignores nothing: TERM ends it).
	_, _, err = l.run("pause", []string{"db"})
	require.NoError(t, err)
	assert.Contains(t, l.d.Get("db").State.String(), "(Paused)")
	_, _, err = l.run("pause", []string{"db"})
	assert.ErrorContains(t, err, "is already paused")
	_, _, err = l.run("stop", []string{"db"})
	assert.ErrorContains(t, err, "is paused. Unpause the container before stopping")
	_, _, err = l.run("unpause", []string{"db"})
	require.NoError(t, err)
	_, _, err = l.run("kill", []string{"db", "NOSUCHSIG"})
	assert.EqualError(t, err, "Invalid signal: NOSUCHSIG")

	_, _, err = l.run("stop", []string{"db"}, "t=1")
	require.NoError(t, err)
	assert.False(t, l.d.Get("db").State.IsRunning())

	// rm -f of a running container.
	_, _, err = l.run("start", []string{"db"})
	require.NoError(t, err)
	_, _, err = l.run("delete", []string{"db"}, "forceRemove=true")
	require.NoError(t, err)
	assert.Nil(t, l.d.Get("db"))
}

func lifecycleKillRestart(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	id := l.create(t, "", `Cmd=["sleep","1000"]`)
	c := l.d.Get(id)
	assert.Regexp(t, `^/[a-z]+_[a-z]+$`, c.Name, "a generated name")

	_, _, err := l.run("start", []string{id})
	require.NoError(t, err)
	pid := c.State.GetPid()
	assert.NotZero(t, pid)
	_, _, err = l.run("restart", []string{id}, "t=1")
	require.NoError(t, err)
	assert.True(t, c.State.IsRunning())
	assert.NotEqual(t, pid, c.State.GetPid(), "a new process")

	_, _, err = l.run("kill", []string{id})
	require.NoError(t, err)
	code, err := c.State.WaitStop(-1)
	require.NoError(t, err)
	assert.Equal(t, 137, code, "128+SIGKILL")

	// kill -s with a name only sends the signal: a shell that traps it
	// decides what happens.
	l.create(t, "trapper", `Cmd=["sh","-c","trap 'echo got USR1; exit 9' USR1; echo ready; while true; do sleep 1; done"]`)
	_, _, err = l.run("start", []string{"trapper"})
	require.NoError(t, err)
	tr := l.d.Get("trapper")
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(tr.LogPath())
		return strings.Contains(string(b), "ready")
	}, 20*time.Second, 10*time.Millisecond, "the trap is set")
	_, _, err = l.run("kill", []string{"trapper", "SIGUSR1"})
	require.NoError(t, err)
	out, _, err := l.run("wait", []string{"trapper"})
	require.NoError(t, err)
	assert.Equal(t, "9\n", out)
	assert.Contains(t, readFile(t, tr.LogPath()), "got USR1")
}

func lifecycleHostConfigInCreateAndVolumes(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	host := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(host, "in.txt"), []byte("from the host\n"), 0o644))
	hc := fmt.Sprintf(`HostConfig={"Binds":["%s:/mnt/host:ro"],"Dns":["9.9.9.9"]}`, host)
	id := l.create(t, "vol", `Cmd=["sh","-c","cat /mnt/host/in.txt; echo kept > /data/f; cat /etc/resolv.conf"]`,
		`Volumes={"/data":{}}`, hc)
	c := l.d.Get(id)
	assert.Equal(t, []string{host + ":/mnt/host:ro"}, c.hostConfig.Binds, "create's HostConfig kept")
	assert.Contains(t, readFile(t, filepath.Join(c.root, "hostconfig.json")), "/mnt/host:ro")

	_, _, err := l.run("start", []string{"vol"})
	require.NoError(t, err)
	out, _, err := l.run("wait", []string{"vol"})
	require.NoError(t, err)
	assert.Equal(t, "0\n", out, readFile(t, c.LogPath()))
	log := readFile(t, c.LogPath())
	assert.Contains(t, log, "from the host")
	assert.Contains(t, log, "nameserver 9.9.9.9")

	require.Contains(t, c.Volumes, "/data")
	dataDir := c.Volumes["/data"]
	assert.Equal(t, "kept\n", readFile(t, filepath.Join(dataDir, "f")), "the data volume holds what the container wrote")
	assert.False(t, c.VolumesRW["/mnt/host"])
	assert.True(t, c.VolumesRW["/data"])

	// --volumes-from vol:ro sees the same directories, read-only.
	l.create(t, "reader", `Cmd=["cat","/data/f"]`)
	_, _, err = l.run("start", []string{"reader"}, `VolumesFrom=["vol:ro"]`)
	require.NoError(t, err)
	out, _, err = l.run("wait", []string{"reader"})
	require.NoError(t, err)
	reader := l.d.Get("reader")
	assert.Equal(t, "0\n", out, readFile(t, reader.LogPath()))
	assert.Contains(t, readFile(t, reader.LogPath()), "kept")
	assert.Equal(t, dataDir, reader.Volumes["/data"])
	assert.False(t, reader.VolumesRW["/data"], ":ro")

	// rm -v keeps a volume another container still uses, then removes it.
	_, _, err = l.run("delete", []string{"vol"}, "removeVolume=true")
	require.NoError(t, err)
	assert.DirExists(t, dataDir, "reader still uses it")
	_, _, err = l.run("delete", []string{"reader"}, "removeVolume=true")
	require.NoError(t, err)
	assert.NoDirExists(t, dataDir, "rm -v removes the data volume")
	assert.FileExists(t, filepath.Join(host, "in.txt"), "never a bound host directory")
}

func lifecycleRestore(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	stopped := l.create(t, "stopped", `Cmd=["sh","-c","exit 4"]`)
	_, _, err := l.run("start", []string{"stopped"})
	require.NoError(t, err)
	_, _, err = l.run("wait", []string{"stopped"})
	require.NoError(t, err)
	never := l.create(t, "", `Cmd=["true"]`)
	running := l.create(t, "running", `Cmd=["sleep","1000"]`)
	_, _, err = l.run("start", []string{"running"})
	require.NoError(t, err)

	// A kill -9 of the daemon: only the state files remain. Simulate it
	// by copying the containers directory as it is now, before the
	// orderly shutdown below rewrites it.
	snapshot := t.TempDir()
	require.NoError(t, os.CopyFS(snapshot, os.DirFS(l.d.repository)))
	l.eng.Shutdown()
	require.NoError(t, os.RemoveAll(l.d.repository))
	require.NoError(t, os.CopyFS(l.d.repository, os.DirFS(snapshot)))

	l2 := newLifeDaemon(t, h, l.dir, bip)
	assert.Len(t, l2.d.List(), 3)
	for _, id := range []string{stopped, never, running} {
		require.NotNil(t, l2.d.Get(id), id)
	}
	assert.Equal(t, 4, l2.d.Get("stopped").State.GetExitCode())
	r := l2.d.Get("running")
	assert.False(t, r.State.IsRunning())
	assert.Equal(t, -127, r.State.GetExitCode())
	assert.Contains(t, r.State.Error, "does not reattach")
	assert.Equal(t, "/running", r.Name)

	// It starts again, and new containers get fresh ids and names.
	_, _, err = l2.run("start", []string{"running"})
	require.NoError(t, err)
	assert.True(t, r.State.IsRunning())
	_, _, err = l2.run("kill", []string{"running"})
	require.NoError(t, err)
}

func lifecycleManyConcurrentWithPorts(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	const n = 100
	ids := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out, _, err := l.run("create", nil, "Image=busybox", `Cmd=["sleep","1000"]`, `ExposedPorts={"80/tcp":{}}`)
			if err != nil {
				errs <- err
				return
			}
			ids[i] = strings.TrimSpace(out)
			if _, _, err := l.run("start", []string{ids[i]}, `PortBindings={"80/tcp":[{"HostIp":"","HostPort":""}]}`); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	ips, ports := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		c := l.d.Get(id)
		require.NotNil(t, c)
		require.True(t, c.State.IsRunning())
		ip := c.NetworkSettings.IPAddress
		require.NotEmpty(t, ip)
		assert.False(t, ips[ip], "IP %s given twice", ip)
		ips[ip] = true
		b := c.NetworkSettings.Ports["80/tcp"]
		require.Len(t, b, 1)
		assert.False(t, ports[b[0].HostPort], "port %s given twice", b[0].HostPort)
		ports[b[0].HostPort] = true
	}
	// Everything goes away again.
	for _, id := range ids {
		_, _, err := l.run("delete", []string{id}, "forceRemove=true")
		require.NoError(t, err)
	}
	assert.Empty(t, l.d.List())
}

// lifecycleEventsAutoRemoveRestart: the events a run logs, --rm done by
// the daemon (AutoRemove from a newer client's create), and a restart
// policy that gives up after its retries.
func lifecycleEventsAutoRemoveRestart(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	since := time.Now().Unix()

	id := l.create(t, "once", `Cmd=["true"]`)
	_, _, err := l.run("start", []string{"once"})
	require.NoError(t, err)
	_, _, err = l.run("wait", []string{"once"})
	require.NoError(t, err)
	_, _, err = l.run("delete", []string{"once"})
	require.NoError(t, err)
	out, _, err := l.run("events", nil, fmt.Sprintf("since=%d", since), fmt.Sprintf("until=%d", time.Now().Unix()))
	require.NoError(t, err)
	var got []string
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var m struct{ Status, ID, From string }
		require.NoError(t, dec.Decode(&m))
		if m.ID == id {
			got = append(got, m.Status+" "+m.From)
		}
	}
	assert.Equal(t, []string{"create busybox:latest", "start busybox:latest", "die busybox:latest", "destroy busybox:latest"}, got)

	// --rm in the daemon.
	rm := l.create(t, "", `Cmd=["true"]`, `HostConfig={"AutoRemove":true}`)
	assert.True(t, l.d.Get(rm).AutoRemove)
	_, _, err = l.run("start", []string{rm})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, err := os.Stat(filepath.Join(l.d.repository, rm))
		return os.IsNotExist(err)
	}, 20*time.Second, 10*time.Millisecond, "removed after its exit")
	assert.Nil(t, l.d.Get(rm))

	// --restart=on-failure:2 of a process that fails. 1.2 counted the
	// failed run itself against the limit before deciding (monitor.go
	// resetMonitor, then shouldRestart), so :2 means two runs in all:
	// one restart. Later Dockers restart N times; dockerlab keeps 1.2's count.
	_, _, err = l.run("create", []string{"flaky"}, "Image=busybox", `Cmd=["sh","-c","echo run; exit 1"]`)
	require.NoError(t, err)
	_, _, err = l.run("start", []string{"flaky"}, `RestartPolicy={"Name":"on-failure","MaximumRetryCount":2}`)
	require.NoError(t, err)
	c := l.d.Get("flaky")
	require.Eventually(t, func() bool {
		c.waitForPreviousRun()
		return !c.State.IsRunning()
	}, 20*time.Second, 10*time.Millisecond)
	assert.Equal(t, 1, c.State.GetExitCode())
	assert.Equal(t, 1, c.RestartCount)
	assert.Equal(t, 2, strings.Count(readFile(t, c.LogPath()), `"log":"run\n"`))
}

func TestLifecycleEventsAutoRemoveRestartFake(t *testing.T) {
	lifecycleEventsAutoRemoveRestart(t, fake.New(), "10.83.0.1/16")
}

// Create and start take the book's steps in the book's order (§12.3,
// §12.4), as --trace shows them.
func TestLifecycleTraceOrderFake(t *testing.T) {
	var tr traced
	l := newLifeDaemon(t, fake.New(), "", "10.93.0.1/16")
	l.d.config.Trace = tr.tracer()
	l.create(t, "traced", `Cmd=["true"]`)
	_, _, err := l.run("start", []string{"traced"})
	require.NoError(t, err)
	_, _, err = l.run("wait", []string{"traced"})
	require.NoError(t, err)
	var steps []string
	for _, s := range tr.snapshot() {
		if strings.HasPrefix(s, "12.") {
			steps = append(steps, strings.TrimSuffix(s, ":"))
		}
	}
	assert.Equal(t, []string{
		"12.3 LookupImage", "12.3 CheckDepth", "12.3 mergeAndVerifyConfig", "12.3 newContainer",
		"12.3 createRootfs", "12.3 ToDisk", "12.3 Register",
		"12.4 setupContainerDns", "12.4 Mount", "12.4 initializeNetworking", "12.4 verifyDaemonSettings",
		"12.4 prepareVolumesForContainer", "12.4 setupLinkedContainers", "12.4 setupWorkingDirectory",
		"12.4 createDaemonEnvironment", "12.4 populateCommand", "12.4 setupMountsForContainer", "12.4 waitForStart",
	}, steps)
}

func (tr *traced) snapshot() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]string(nil), tr.steps...)
}

// lifecycleGracefulRestart: a daemon that shuts down in order stops its
// containers (SIGTERM, the grace, SIGKILL) and saves them stopped; the
// next daemon loads them as they were and starts them again.
func lifecycleGracefulRestart(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	id := l.create(t, "svc", `Cmd=["sleep","1000"]`)
	_, _, err := l.run("start", []string{"svc"})
	require.NoError(t, err)
	l.eng.Shutdown()

	l2 := newLifeDaemon(t, h, l.dir, bip)
	c := l2.d.Get("svc")
	require.NotNil(t, c)
	assert.Equal(t, id, c.ID)
	assert.False(t, c.State.IsRunning())
	assert.Equal(t, 137, c.State.GetExitCode(), "sleep as pid 1 ignores SIGTERM: killed after the grace")
	assert.Empty(t, c.State.Error, "an orderly stop needs no explanation")
	_, _, err = l2.run("start", []string{"svc"})
	require.NoError(t, err)
	assert.True(t, c.State.IsRunning())
}

func TestLifecycleGracefulRestartFake(t *testing.T) {
	lifecycleGracefulRestart(t, fake.New(), "10.94.0.1/16")
}

// A HostConfig sent with create (as clients newer than 1.2 do) takes
// effect without one at start: its links are registered at create.
func TestLifecycleLinksInCreateHostConfigFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.96.0.1/16")
	l.create(t, "db", `Cmd=["sleep","1000"]`, `Env=["ROLE=database"]`)
	_, _, err := l.run("start", []string{"db"})
	require.NoError(t, err)
	l.create(t, "web", `Cmd=["sh","-c","echo $DB_NAME $DB_ENV_ROLE"]`, `HostConfig={"Links":["db:db"]}`)
	assert.True(t, l.d.containerGraph.Exists("/web/db"), "the link is in graphdb after create")
	_, _, err = l.run("start", []string{"web"})
	require.NoError(t, err)
	_, _, err = l.run("wait", []string{"web"})
	require.NoError(t, err)
	assert.Contains(t, readFile(t, l.d.Get("web").LogPath()), "/web/db database")

	_, _, err = l.run("create", nil, "Image=busybox", `Cmd=["true"]`, `HostConfig={"Links":["nosuch:x"]}`)
	assert.Error(t, err, "a link to nothing")
	assert.Len(t, l.d.List(), 2, "the half-made container is gone again")
}
