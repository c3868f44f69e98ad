// NewDaemon: everything the v1.2 daemon sets up before it answers a
// request, in upstream's order.
//
// Upstream: daemon/daemon.go at v1.2.0 (Daemon, NewDaemon,
// NewDaemonFromDirectory L665-881, shutdown). Reference upstream-v1_2.md
// §2.3 steps 1-21. Book ch.4 (Docker Daemon之NewDaemon实现) §4.3-4.13;
// note 000 (配置Docker Daemon, 创建容器仓库目录, 创建Docker Daemon网络环境,
// graphdb, execdriver, DNS …).
//
// Each step tells config.Trace what it did, numbered by the book's
// section, so `dockerlab v1.2 daemon --trace` reads like chapter 4.
package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/execdrivers"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portallocator"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/pkg/graphdb"
	"github.com/dockerlab/dockerlab/v1_2/pkg/sysinfo"
	"github.com/dockerlab/dockerlab/v1_2/pkg/truncindex"
)

// Daemon is the running daemon: upstream's fields, in upstream's order.
// The containers store joins with the containers issue.
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
	config.tracef("4.5", "root %s (0700), TMPDIR=%s; selinux: disabled (selinuxSetDisabled)", config.Root, realTmp)

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
			chooseUserlandProxy(config.Host))
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
	config.tracef("4.9", "execdriver %s (%s; running containers arrives with the containers issue)", config.ExecDriver, ed.Name())

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
	}
	config.tracef("4.10", "Daemon{repository, sysInitPath, graph, repositories, idIndex, sysInfo, volumes, eng, config, containerGraph, driver, execDriver} (containers: with the containers issue)")

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
		config.tracef("4.13", "shutdown: containers stopped (none run yet), ports released, graph driver cleaned up, graphdb closed; docker0 and its iptables rules stay, as upstream left them")
	})
	config.tracef("4.13", "shutdown hooks: stop containers, portallocator.ReleaseAll, graph driver Cleanup, graphdb Close")
	return daemon, nil
}

// restore loads the containers found under <root>/containers. Containers
// arrive with the containers issue; until then their directories are
// counted and left alone, and the trace says so.
func (daemon *Daemon) restore() (string, error) {
	entries, err := os.ReadDir(daemon.repository)
	if err != nil {
		return "", err
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() {
			n++
		}
	}
	if n == 0 {
		return "0 containers", nil
	}
	return fmt.Sprintf("%d container directories in %s left unloaded: loading containers arrives with the containers issue", n, daemon.repository), nil
}

// shutdown stops running containers; none run yet.
func (daemon *Daemon) shutdown() {}

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

// logf reports a problem the daemon works around (upstream's
// log.Errorf): on the engine's stderr, as "[error] …".
func (daemon *Daemon) logf(format string, args ...any) {
	if daemon.eng != nil && daemon.eng.Stderr != nil {
		fmt.Fprintf(daemon.eng.Stderr, "[error] "+format+"\n", args...)
	}
}
