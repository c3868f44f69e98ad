// NewDaemon: everything the v1.2 daemon sets up before it answers a
// request, in upstream's order.
//
// Upstream: daemon/daemon.go at v1.2.0 (Daemon, NewDaemon,
// NewDaemonFromDirectory L665-881, shutdown). See docs/upstream/v1.2.0.md
// §2.3 steps 1-21.
// Book: ch.4 (Docker Daemon之NewDaemon实现) §4.3-4.13.
// Notes: 000 (配置Docker Daemon, 创建容器仓库目录, 创建Docker Daemon网络环境, graphdb,
// execdriver, DNS …).
//
// Each step tells config.Trace what it did, numbered by the book's
// section, so `dockerlab v1.2 daemon --trace` reads like chapter 4.
package daemon

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/execdrivers"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portallocator"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/pkg/broadcastwriter"
	"github.com/dockerlab/dockerlab/v1_2/pkg/graphdb"
	"github.com/dockerlab/dockerlab/v1_2/pkg/sysinfo"
	"github.com/dockerlab/dockerlab/v1_2/pkg/truncindex"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// Daemon is the running daemon: upstream's fields (containers, upstream's
// third, sits last here so the diff against chapter 4's listing stays
// small).
type Daemon struct {
	repository     string // <root>/containers
	sysInitPath    string
	graph          *graph.Graph
	repositories   *graph.TagStore
	idIndex        *truncindex.TruncIndex
	sysInfo        *sysinfo.SysInfo
	volumes        *graph.Graph
	eng            *engine.Engine
	config         *Config
	containerGraph *graphdb.Database
	driver         graphdriver.Driver
	execDriver     execdriver.Driver

	containers *contStore // the containers by full id (daemon.go below)
}

// NewDaemon builds the daemon for config on eng. Upstream's NewDaemon
// only wrapped NewDaemonFromDirectory; so does this one.
func NewDaemon(config *Config, eng *engine.Engine) (*Daemon, error) {
	return NewDaemonFromDirectory(config, eng)
}

// NewDaemonFromDirectory runs upstream's steps 1-21. On error, the
// shutdown hooks already added (the pid file's) still run at
// eng.Shutdown(), which mainDaemon calls.
func NewDaemonFromDirectory(config *Config, eng *engine.Engine) (*Daemon, error) {
	if config.Host == nil {
		return nil, fmt.Errorf("daemon: no backend host (Config.Host is nil)")
	}
	// The one wiring step of the backend seam: the bridge driver,
	// networkdriver and pkg/iptables all ask this machine.
	bridge.SetHost(config.Host)

	// 4.3 配置Docker Daemon: MTU.
	if config.Mtu == 0 {
		mtu, why := GetDefaultNetworkMtu()
		config.Mtu = mtu
		config.tracef("4.3", "MTU: %d (%s)", mtu, why)
	} else {
		config.tracef("4.3", "MTU: %d (--mtu)", config.Mtu)
	}

	// 4.3: flags that cannot go together.
	if config.BridgeIface != "" && config.BridgeIP != "" {
		return nil, fmt.Errorf("You specified -b & --bip, mutually exclusive options. Please specify only one.")
	}
	if !config.EnableIptables && !config.InterContainerCommunication {
		return nil, fmt.Errorf("You specified --iptables=false with --icc=false. ICC uses iptables to function. Please set --icc or --iptables to true.")
	}
	config.DisableNetwork = config.BridgeIface == DisableNetworkBridge
	config.tracef("4.3", "config: -b and --bip not both set; icc needs iptables: ok; network %s", onOff(!config.DisableNetwork, "enabled", "disabled (-b none)"))

	// 4.3: the PID file.
	if config.Pidfile != "" {
		if err := CreatePidFile(config.Pidfile); err != nil {
			return nil, err
		}
		pidfile := config.Pidfile
		eng.OnShutdown(func() {
			RemovePidFile(pidfile)
			config.tracef("4.13", "shutdown: removed the pid file %s", pidfile)
		})
		config.tracef("4.3", "pidfile %s (pid %d), removed at shutdown", config.Pidfile, os.Getpid())
	} else {
		config.tracef("4.3", "pidfile: none (-p \"\")")
	}

	// 4.4 检测系统支持及用户权限.
	line, err := checkPlatform(config.Host.Name())
	if err != nil {
		return nil, err
	}
	config.tracef("4.4", "%s", line)

	// 4.5 配置工作路径: TMPDIR first (it creates the root as a side effect,
	// 0700, as upstream's MkdirAll of <root>/tmp did), then SELinux, then
	// the root's real path.
	tmp, err := TempDir(config.Root)
	if err != nil {
		return nil, fmt.Errorf("Unable to get the TempDir under %s: %s", config.Root, err)
	}
	realTmp, err := ReadSymlinkedDirectory(tmp)
	if err != nil {
		return nil, fmt.Errorf("Unable to get the full path to the TempDir (%s): %s", tmp, err)
	}
	os.Setenv("TMPDIR", realTmp)

	if config.EnableSelinuxSupport {
		return nil, fmt.Errorf("--selinux-enabled is not supported by dockerlab: SELinux labelling of containers (libcontainer's selinux package) is not reproduced; start the daemon without it")
	}

	var realRoot string
	if _, err := os.Stat(config.Root); err != nil && os.IsNotExist(err) {
		realRoot = config.Root
	} else {
		realRoot, err = ReadSymlinkedDirectory(config.Root)
		if err != nil {
			return nil, fmt.Errorf("Unable to get the full path to root (%s): %s", config.Root, err)
		}
	}
	config.Root = realRoot
	if err := os.MkdirAll(config.Root, 0o700); err != nil && !os.IsExist(err) {
		return nil, err
	}
	// Not upstream: one daemon per root, whatever its -p (rootlock.go).
	unlockRoot, err := lockRoot(config.Root)
	if err != nil {
		return nil, err
	}
	eng.OnShutdown(unlockRoot)
	config.tracef("4.5", "root %s (0700), TMPDIR=%s; selinux: disabled (selinuxSetDisabled); root locked: a second daemon on it is refused", config.Root, realTmp)

	// 4.6 创建容器仓库目录 and the graph (graph_steps.go).
	gs, err := setupGraph(config)
	if err != nil {
		return nil, err
	}
	// From here on an error must release what the driver holds.
	fail := func(err error) (*Daemon, error) {
		gs.cleanup()
		return nil, err
	}

	// 4.7 创建Docker Daemon网络环境: the init_networkdriver job.
	if !config.DisableNetwork {
		job := eng.Job("init_networkdriver")
		job.SetenvBool("EnableIptables", config.EnableIptables)
		job.SetenvBool("InterContainerCommunication", config.InterContainerCommunication)
		job.SetenvBool("EnableIpForward", config.EnableIpForward)
		job.Setenv("BridgeIface", config.BridgeIface)
		job.Setenv("BridgeIP", config.BridgeIP)
		job.Setenv("DefaultBindingIP", config.DefaultIp.String())
		config.tracef("4.7", "job init_networkdriver (%s)", envLine(job))
		if err := job.Run(); err != nil {
			return fail(err)
		}
		name := config.BridgeIface
		if name == "" {
			name = bridge.DefaultNetworkBridge
		}
		addr := "?"
		if a, err := networkdriver.GetIfaceAddr(name); err == nil {
			addr = a.String()
		}
		config.tracef("4.7", "network: %s %s; iptables %s; handlers allocate_interface, release_interface, allocate_port, link; %s",
			name, addr, onOff(config.EnableIptables, "set up (nat MASQUERADE, FORWARD rules, DOCKER chain)", "left alone (--iptables=false)"),
			chooseUserlandProxy(config, eng))
	} else {
		config.tracef("4.7", "network: disabled (-b none): init_networkdriver is not run")
	}

	// 4.8 graphdb: container names and links.
	graphdbPath := filepath.Join(config.Root, "linkgraph.db")
	graphDB, err := graphdb.NewSqliteConn(graphdbPath)
	if err != nil {
		return fail(err)
	}
	config.tracef("4.8", "graphdb %s", graphdbPath)

	// 4.9 创建execdriver: dockerinit, sysinfo, the driver.
	sysInitPath, copied, err := copyDockerinit(config.Root)
	if err != nil {
		graphDB.Close()
		return fail(err)
	}
	config.tracef("4.9", "dockerinit %s (%s, 0700)", sysInitPath, onOff(copied, "copied from this binary", "already a copy of this binary"))

	sysInfo := sysinfo.New(config.Host, false, eng.Stderr)
	config.tracef("4.9", "sysinfo: MemoryLimit=%v SwapLimit=%v IPv4ForwardingDisabled=%v AppArmor=%v",
		sysInfo.MemoryLimit, sysInfo.SwapLimit, sysInfo.IPv4ForwardingDisabled, sysInfo.AppArmor)

	ed, err := execdrivers.NewDriver(config.ExecDriver, config.Root, sysInitPath, sysInfo, config.Host)
	if err != nil {
		graphDB.Close()
		return fail(err)
	}
	config.tracef("4.9", "execdriver %s (%s)", config.ExecDriver, ed.Name())

	// 4.10 创建daemon实例.
	daemon := &Daemon{
		repository:     gs.repository,
		sysInitPath:    sysInitPath,
		graph:          gs.graph,
		repositories:   gs.repositories,
		idIndex:        truncindex.NewTruncIndex([]string{}),
		sysInfo:        sysInfo,
		volumes:        gs.volumes,
		eng:            eng,
		config:         config,
		containerGraph: graphDB,
		driver:         gs.driver,
		execDriver:     ed,
		containers:     &contStore{s: make(map[string]*Container)},
	}
	config.tracef("4.10", "Daemon{repository, sysInitPath, containers, graph, repositories, idIndex, sysInfo, volumes, eng, config, containerGraph, driver, execDriver}")

	// 4.11 检测DNS配置.
	msg, err := daemon.checkLocaldns()
	if err != nil {
		graphDB.Close()
		return fail(err)
	}
	config.tracef("4.11", "dns: %s", msg)

	// 4.12 加载已有Docker容器.
	msg, err = daemon.restore()
	if err != nil {
		graphDB.Close()
		return fail(err)
	}
	config.tracef("4.12", "restore: %s", msg)

	// 4.13 设置shutdown的处理方法.
	eng.OnShutdown(func() {
		daemon.shutdown()
		portallocator.ReleaseAll()
		gs.cleanup()
		graphDB.Close()
		config.tracef("4.13", "shutdown: running containers stopped, ports released, graph driver cleaned up, graphdb closed; docker0 and its iptables rules stay, as upstream left them")
	})
	config.tracef("4.13", "shutdown hooks: stop containers, portallocator.ReleaseAll, graph driver Cleanup, graphdb Close")
	return daemon, nil
}

// shutdown stops every running container (upstream's shutdown, book
// §4.13), all at once: SIGTERM, then SIGKILL after shutdownGrace.
//
// Divergence: upstream waited for ever after SIGTERM, and the engine
// gave up on the hook after 10 seconds, leaving a container that ignores
// SIGTERM (any pid 1 without a handler) running without its daemon.
// Here it is killed within the hook's time, so nothing is left behind.
func (daemon *Daemon) shutdown() {
	var wg sync.WaitGroup
	for _, c := range daemon.List() {
		if !c.State.IsRunning() {
			continue
		}
		wg.Add(1)
		go func(c *Container) {
			defer wg.Done()
			if err := c.KillSig(15); err != nil {
				daemon.logf("shutdown: SIGTERM to %s: %s", c.ID, err)
			}
			if _, err := c.State.WaitStop(shutdownGrace); err != nil {
				if err := c.Kill(); err != nil {
					daemon.logf("shutdown: kill %s: %s", c.ID, err)
				}
			}
		}(c)
	}
	wg.Wait()
	// Each monitor releases its container's network and mount and saves
	// its state before the engine (and the bridge driver) go.
	for _, c := range daemon.List() {
		c.waitForPreviousRun()
	}
}

// shutdownGrace is how long shutdown waits after SIGTERM.
const shutdownGrace = 3 * time.Second

// Config is the configuration the daemon runs with (after NewDaemon's
// changes: MTU, DNS, the root's real path).
func (daemon *Daemon) Config() *Config { return daemon.config }

// SystemInitPath is the dockerinit copy containers start from.
func (daemon *Daemon) SystemInitPath() string { return daemon.sysInitPath }

// ExecutionDriver is the execdriver chosen by -e.
func (daemon *Daemon) ExecutionDriver() execdriver.Driver { return daemon.execDriver }

// envLine renders a job's env as "K=V K=V" in a stable order.
func envLine(job *engine.Job) string {
	var parts []string
	for _, kv := range *job.Env() {
		parts = append(parts, kv)
	}
	return strings.Join(parts, " ")
}

func onOff(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// infof says what the daemon did on its own (upstream's log.Infof):
// "[info] …" on the engine's stderr.
func (daemon *Daemon) infof(format string, args ...any) {
	if daemon.eng != nil && daemon.eng.Stderr != nil {
		fmt.Fprintf(daemon.eng.Stderr, "[info] "+format+"\n", args...)
	}
}

// logf reports a problem the daemon works around (upstream's
// log.Errorf): on the engine's stderr, as "[error] …".
func (daemon *Daemon) logf(format string, args ...any) {
	if daemon.eng != nil && daemon.eng.Stderr != nil {
		fmt.Fprintf(daemon.eng.Stderr, "[error] "+format+"\n", args...)
	}
}

// ---- The containers store (upstream daemon.go: contStore, Get, Exists,
// load, Register, restore, GetByName). Book §12.3 (Register) and §4.12
// (加载已有Docker容器).

// contStore holds the daemon's containers by full id.
type contStore struct {
	sync.Mutex
	s map[string]*Container
}

func (c *contStore) Add(id string, cont *Container) {
	c.Lock()
	c.s[id] = cont
	c.Unlock()
}

func (c *contStore) Get(id string) *Container {
	c.Lock()
	defer c.Unlock()
	return c.s[id]
}

func (c *contStore) Delete(id string) {
	c.Lock()
	delete(c.s, id)
	c.Unlock()
}

// List is every container, newest first (upstream sorted a History).
func (c *contStore) List() []*Container {
	c.Lock()
	out := make([]*Container, 0, len(c.s))
	for _, cont := range c.s {
		out = append(out, cont)
	}
	c.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Created.Equal(out[j].Created) {
			return out[i].ID < out[j].ID
		}
		return out[i].Created.After(out[j].Created)
	})
	return out
}

// List is every container, newest first.
func (daemon *Daemon) List() []*Container { return daemon.containers.List() }

// Get finds a container by full id, unique id prefix, or name ("web" or
// "/web"); nil when there is none. An id prefix wins over a name, as
// upstream (truncindex first).
func (daemon *Daemon) Get(name string) *Container {
	if name == "" {
		return nil
	}
	if id, err := daemon.idIndex.Get(name); err == nil {
		if c := daemon.containers.Get(id); c != nil {
			return c
		}
	}
	if c, _ := daemon.GetByName(name); c != nil {
		return c
	}
	return nil
}

// Exists says whether Get finds something.
func (daemon *Daemon) Exists(id string) bool { return daemon.Get(id) != nil }

// GetFullContainerName puts the leading "/" on a name.
func GetFullContainerName(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("Container name cannot be empty")
	}
	if name[0] != '/' {
		name = "/" + name
	}
	return name, nil
}

// GetByName finds a container through graphdb's names.
func (daemon *Daemon) GetByName(name string) (*Container, error) {
	fullName, err := GetFullContainerName(name)
	if err != nil {
		return nil, err
	}
	entity := daemon.containerGraph.Get(fullName)
	if entity == nil {
		return nil, fmt.Errorf("Could not find entity for %s", name)
	}
	c := daemon.containers.Get(entity.ID())
	if c == nil {
		return nil, fmt.Errorf("Could not find container for entity id %s", entity.ID())
	}
	return c, nil
}

// ContainerGraph is graphdb: names and links.
func (daemon *Daemon) ContainerGraph() *graphdb.Database { return daemon.containerGraph }

// Volumes is the graph of data volumes (vfs, <root>/vfs/dir/<id>).
func (daemon *Daemon) Volumes() *graph.Graph { return daemon.volumes }

// SystemConfig is what the kernel supports (memory limits, forwarding).
func (daemon *Daemon) SystemConfig() *sysinfo.SysInfo { return daemon.sysInfo }

// GraphDriver is the storage driver containers' layers live in.
func (daemon *Daemon) GraphDriver() graphdriver.Driver { return daemon.driver }

func (daemon *Daemon) containerRoot(id string) string {
	return filepath.Join(daemon.repository, id)
}

// load reads one container from <root>/containers/<id>.
func (daemon *Daemon) load(id string) (*Container, error) {
	container := &Container{root: daemon.containerRoot(id), State: NewState()}
	if err := container.FromDisk(); err != nil {
		return nil, err
	}
	if container.ID != id {
		return container, fmt.Errorf("Container %s is stored at %s", container.ID, id)
	}
	return container, nil
}

// Register makes a new container known to the daemon (book §12.3, the
// last step of create).
func (daemon *Daemon) Register(container *Container) error {
	return daemon.register(container)
}

// register: the id index, the name, the output broadcasters, stdin. A
// container that config.json says is running cannot be running for this
// daemon (it was started by a daemon that is gone): see restoreRunning.
func (daemon *Daemon) register(container *Container) error {
	if container.daemon != nil || daemon.containers.Get(container.ID) != nil {
		return fmt.Errorf("Container is already loaded")
	}
	if container.ID == "" {
		return fmt.Errorf("Invalid empty id")
	}
	if container.hostConfig == nil {
		container.hostConfig = &runconfig.HostConfig{}
	}
	if container.NetworkSettings == nil {
		container.NetworkSettings = &NetworkSettings{}
	}
	if err := daemon.ensureName(container); err != nil {
		return err
	}
	container.daemon = daemon
	container.stdout = broadcastwriter.New()
	container.stderr = broadcastwriter.New()
	if container.Config.OpenStdin {
		container.stdin, container.stdinPipe = io.Pipe()
	} else {
		container.stdinPipe = discardCloser{} // nobody reads it: drop what is written
	}
	daemon.containers.Add(container.ID, container)
	if err := daemon.idIndex.Add(container.ID); err != nil {
		daemon.containers.Delete(container.ID)
		return err
	}
	if container.State.IsRunning() {
		daemon.restoreRunning(container)
	}
	return nil
}

// discardCloser is stdin for a container without -i.
type discardCloser struct{}

func (discardCloser) Write(p []byte) (int, error) { return len(p), nil }
func (discardCloser) Close() error                { return nil }

// ensureName gives a container loaded without a name a generated one.
func (daemon *Daemon) ensureName(container *Container) error {
	if container.Name != "" {
		return nil
	}
	name, err := daemon.generateNewName(container.ID)
	if err != nil {
		return err
	}
	container.Name = name
	if err := container.ToDisk(); err != nil {
		daemon.logf("Error saving container name %s", err)
	}
	return nil
}

// restoreRunning settles a container that was running when the previous
// daemon went away (restart, crash, kill -9).
//
// Upstream killed whatever was left (the driver's Terminate) and marked
// the container stopped, exit code -127 when the driver no longer knew
// it. dockerlab does the same, and says why in State.Error: reattaching
// would need the old process's stdio pipes and a wait on a process that
// is not our child, which neither backend can give back faithfully
// (docs/divergences.md "v1.2 restore"). Nothing of the old run stays
// reserved: its IP and ports were held only in the old daemon's memory,
// and its veth went with its network namespace.
func (daemon *Daemon) restoreRunning(container *Container) {
	pid := container.State.GetPid()
	cmd := &execdriver.Command{ID: container.ID, ContainerPid: pid}
	why := fmt.Sprintf("the daemon restarted while the container ran (pid %d); dockerlab does not reattach: the old process was terminated", pid)
	if err := daemon.execDriver.Terminate(cmd); err != nil {
		daemon.logf("restore %s: terminate the old run (pid %d): %s", container.ID, pid, err)
		why = fmt.Sprintf("the daemon restarted while the container ran (pid %d); dockerlab does not reattach, and ending the old process failed: %s", pid, err)
		// The old process may still use its address and ports: hold
		// them, so no new container gets them, until this container
		// is started again or removed (releaseStaleNetwork).
		if err := container.restoreNetwork(); err != nil {
			daemon.logf("restore %s: holding the old address: %s", container.ID, err)
		}
	} else if err := container.scrubNetwork(); err != nil {
		// The old run is over: its FORWARD rules (published ports,
		// links) go, and nothing of it stays reserved.
		daemon.logf("restore %s: removing the old run's rules: %s", container.ID, err)
	}
	// Its rootfs mount, if the old daemon left one, went when the graph
	// driver started (overlay.Init unmounts what no Get holds).
	container.basefs = ""
	container.State.SetStoppedWithError(-127, why)
	if err := container.ToDisk(); err != nil {
		daemon.logf("restore %s: saving the stopped state: %s", container.ID, err)
	}
}

// releaseStaleNetwork gives back what restoreRunning held for a stopped
// container whose old process could not be ended.
func (container *Container) releaseStaleNetwork() {
	if !container.State.IsRunning() && container.NetworkSettings != nil && container.NetworkSettings.IPAddress != "" {
		container.releaseNetwork()
	}
}

// restore is book §4.12 加载已有Docker容器: every directory under
// <root>/containers is loaded; those graphdb names are registered first
// (deepest names first, as upstream walked them), the rest get a
// generated name. Containers of another graph driver are skipped. Then
// restart policies run. The message is for --trace.
func (daemon *Daemon) restore() (string, error) {
	entries, err := os.ReadDir(daemon.repository)
	if err != nil {
		return "", err
	}
	current := daemon.driver.String()
	loaded := make(map[string]*Container)
	var failed, skipped []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		c, err := daemon.load(e.Name())
		if err != nil {
			daemon.logf("Failed to load container %v: %v", e.Name(), err)
			failed = append(failed, e.Name())
			continue
		}
		if c.Driver != current {
			skipped = append(skipped, c.ID)
			continue
		}
		loaded[c.ID] = c
	}

	var registered []*Container
	var wasRunning int
	add := func(c *Container) {
		running := c.State.IsRunning()
		if err := daemon.register(c); err != nil {
			daemon.logf("Failed to register container %s: %s", c.ID, err)
			return
		}
		if running {
			wasRunning++
		}
		registered = append(registered, c)
	}
	if entities := daemon.containerGraph.List("/", -1); entities != nil {
		for _, p := range entities.Paths() {
			if c, ok := loaded[entities[p].ID()]; ok {
				add(c)
				delete(loaded, c.ID)
			}
		}
	}
	rest := make([]string, 0, len(loaded))
	for id := range loaded {
		rest = append(rest, id)
	}
	sort.Strings(rest)
	for _, id := range rest {
		c := loaded[id]
		c.Name = "" // not in graphdb: ensureName gives it one
		add(c)
	}

	// Not upstream: a start cut short by kill -9 can leave a process no
	// config.json calls running (so restoreRunning never saw it), holding
	// an address the bridge is about to hand out again. No container runs
	// in this daemon yet, so every process whose rootfs is under the
	// daemon's root is such a leftover (docs/divergences.md "Restore
	// reconciles what a killed daemon left").
	if killed, left, err := backend.KillUnder(daemon.config.Host, daemon.config.Root, nil, 10*time.Second); err != nil {
		daemon.logf("restore: ending the processes an earlier daemon left: %s", err)
	} else if killed > 0 {
		daemon.infof("restore: ended %d processes of containers an earlier daemon left running (%d would not die)", killed-len(left), len(left))
	}

	restarted := 0
	if daemon.config.AutoRestart {
		for _, c := range registered {
			policy := c.hostConfig.RestartPolicy
			if policy.Name == "always" || (policy.Name == "on-failure" && c.State.GetExitCode() != 0) {
				if err := c.Start(); err != nil {
					daemon.logf("Failed to start container %s: %s", c.ID, err)
					continue
				}
				restarted++
			}
		}
	}
	msg := fmt.Sprintf("%d containers", len(registered))
	if wasRunning > 0 {
		msg += fmt.Sprintf(", %d were running under the previous daemon: marked exited (-127), not reattached", wasRunning)
	}
	if restarted > 0 {
		msg += fmt.Sprintf(", %d started again by their restart policy", restarted)
	}
	if len(skipped) > 0 {
		msg += fmt.Sprintf(", %d of another graph driver left alone", len(skipped))
	}
	if len(failed) > 0 {
		msg += fmt.Sprintf(", %d unreadable (%s)", len(failed), strings.Join(failed, ", "))
	}
	return msg, nil
}

// LogToDisk adds the json log file dst as a reader of src, each line
// tagged with stream.
func (daemon *Daemon) LogToDisk(src *broadcastwriter.BroadcastWriter, dst, stream string) error {
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	src.AddWriter(f, stream)
	return nil
}

// Run, Pause, Unpause, Kill: the daemon hands the container's command to
// the execdriver (upstream daemon.go).
func (daemon *Daemon) Run(c *Container, pipes *execdriver.Pipes, startCallback execdriver.StartCallback) (int, error) {
	return daemon.execDriver.Run(c.command, pipes, startCallback)
}

func (daemon *Daemon) Pause(c *Container) error {
	if err := daemon.execDriver.Pause(c.command); err != nil {
		return err
	}
	c.State.SetPaused()
	return nil
}

func (daemon *Daemon) Unpause(c *Container) error {
	if err := daemon.execDriver.Unpause(c.command); err != nil {
		return err
	}
	c.State.SetUnpaused()
	return nil
}

func (daemon *Daemon) Kill(c *Container, sig int) error {
	return daemon.execDriver.Kill(c.command, sig)
}
