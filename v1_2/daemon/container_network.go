// A container's network, from the daemon's side: which of the four modes
// it runs in, the address and published ports the bridge driver gives it
// (through the engine's jobs, never by calling the driver), its
// /etc/hostname and /etc/hosts, and its links to other containers.
//
// Upstream: daemon/container.go at v1.2.0 (initializeNetworking,
// allocateNetwork, allocatePort, releaseNetwork, buildHostnameFile,
// buildHostnameAndHostsFiles, setupLinkedContainers, DisableLink,
// getNetworkedContainer, the network half of populateCommand) and
// daemon/daemon.go (Children, RegisterLink, RegisterLinks). Reference
// upstream-v1_2.md §2.4 "Callers of the network jobs". Book ch.7 §7.2
// (the four modes), §7.4 (Daemon创建/启动容器之网络); ch.12 §12.4 (start:
// initializeNetworking, setupLinkedContainers); note 003 "四种网络模式",
// note 000 "bridge桥接模式".
//
// Divergences (docs/divergences.md): --net=none allocates nothing (1.2
// gave it an address and published its ports on a container nobody could
// reach; fixed upstream in ba24820284, Docker 1.3); restoreNetwork puts a
// running container's address and ports back after a daemon restart.
package daemon

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/links"
	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/opts"
	"github.com/dockerlab/dockerlab/v1_2/pkg/graphdb"
	"github.com/dockerlab/dockerlab/v1_2/pkg/networkfs/etchosts"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// initializeNetworking is step 3 of Start (book §12.4): decide the mode
// and prepare what the execdriver and the container's /etc need.
//
//	host               the daemon's machine's hostname and /etc/hosts
//	container:<name>   the other container's hostname, hosts, resolv.conf
//	-b none on daemon  no network at all: loopback, 127.0.1.1 in hosts
//	none               loopback only, nothing allocated
//	bridge (default)   an address on docker0, published ports, hosts
func (container *Container) initializeNetworking() error {
	mode := container.hostConfig.NetworkMode
	switch {
	case mode.IsHost():
		return container.useHostNetworkFiles()
	case mode.IsContainer():
		// Joining another container's namespace means seeing its
		// files too: the same names resolve the same way.
		nc, err := container.getNetworkedContainer()
		if err != nil {
			return err
		}
		container.HostsPath = nc.HostsPath
		container.ResolvConfPath = nc.ResolvConfPath
		container.Config.Hostname = nc.Config.Hostname
		container.Config.Domainname = nc.Config.Domainname
		return nil
	case container.daemon.config.DisableNetwork:
		container.Config.NetworkDisabled = true
		return container.buildHostnameAndHostsFiles("127.0.1.1")
	case isNoneMode(mode):
		return container.buildHostnameAndHostsFiles("")
	}
	if err := container.allocateNetwork(); err != nil {
		return err
	}
	return container.buildHostnameAndHostsFiles(container.NetworkSettings.IPAddress)
}

// isNoneMode: --net=none (runconfig at 1.2 had no IsNone yet).
func isNoneMode(mode runconfig.NetworkMode) bool { return mode == "none" }

// isBridgeMode: the container gets an interface on the bridge. "" is
// the mode of containers saved before --net existed.
func isBridgeMode(mode runconfig.NetworkMode) bool { return mode == "bridge" || mode == "" }

// useHostNetworkFiles gives a --net=host container the machine's own
// hostname and /etc/hosts. The "machine" is the one behind the backend:
// on linux the VM's hostname and /etc/hosts (read only; the sandbox
// namespace has no files of its own), on the fake its simulated name and
// no hosts file (so one is built, as upstream did without /etc/hosts).
func (container *Container) useHostNetworkFiles() error {
	hostname, hosts, err := hostMachineFiles(container.daemon.config.Host.Name())
	if err != nil {
		return err
	}
	container.Config.Hostname, container.Config.Domainname = hostname, ""
	if name, domain, ok := strings.Cut(hostname, "."); ok {
		container.Config.Hostname, container.Config.Domainname = name, domain
	}
	if hosts == nil {
		return container.buildHostnameAndHostsFiles("")
	}
	if err := container.buildHostnameFile(); err != nil {
		return err
	}
	hostsPath, err := container.getRootResourcePath("hosts")
	if err != nil {
		return err
	}
	container.HostsPath = hostsPath
	return os.WriteFile(container.HostsPath, hosts, 0o644)
}

// fakeMachineHostname is the fake backend's machine's own hostname
// (backend/fake/machine.go).
const fakeMachineHostname = "dockerlab-fake"

// hostMachineFiles is the hostname and /etc/hosts (nil: none) of the
// machine a backend named backendName stands for.
var hostMachineFiles = func(backendName string) (string, []byte, error) {
	if backendName != "linux" {
		return fakeMachineHostname, nil, nil
	}
	hostname, err := os.Hostname()
	if err != nil {
		return "", nil, err
	}
	hosts, err := os.ReadFile("/etc/hosts")
	if os.IsNotExist(err) {
		return hostname, nil, nil
	}
	return hostname, hosts, err
}

// buildHostnameFile writes <container root>/hostname, which the
// execdriver binds over /etc/hostname.
func (container *Container) buildHostnameFile() error {
	hostnamePath, err := container.getRootResourcePath("hostname")
	if err != nil {
		return err
	}
	container.HostnamePath = hostnamePath
	name := container.Config.Hostname
	if container.Config.Domainname != "" {
		name += "." + container.Config.Domainname
	}
	return os.WriteFile(container.HostnamePath, []byte(name+"\n"), 0o644)
}

// buildHostnameAndHostsFiles writes hostname and hosts: the container's
// own line at IP ("" for none), then one line per link, so `ping db`
// works inside a container started with --link db:db.
func (container *Container) buildHostnameAndHostsFiles(IP string) error {
	if err := container.buildHostnameFile(); err != nil {
		return err
	}
	hostsPath, err := container.getRootResourcePath("hosts")
	if err != nil {
		return err
	}
	container.HostsPath = hostsPath

	children, err := container.daemon.Children(container.Name)
	if err != nil {
		return err
	}
	var extra []etchosts.Entry
	for linkAlias, child := range children {
		_, alias := path.Split(linkAlias)
		ip := ""
		if child.NetworkSettings != nil {
			ip = child.NetworkSettings.IPAddress
		}
		extra = append(extra, etchosts.Entry{Hostname: alias, IP: ip})
	}
	return etchosts.Build(container.HostsPath, IP, container.Config.Hostname, container.Config.Domainname, extra)
}

// allocateNetwork asks the bridge driver, through its jobs, for an
// address (allocate_interface) and then publishes each exposed port that
// -p names or -P asks for (allocate_port). Book §7.4.
func (container *Container) allocateNetwork() error {
	return container.allocateNetworkAt("", nil)
}

// restoreNetwork is allocateNetwork for a container found running when
// the daemon starts: the same address (RequestedIP) and the same host
// ports as before, reserved before any new container asks, and their
// DNAT rules and proxies made again (InitDriver emptied the DOCKER chain).
// A container without an address of its own has nothing to restore.
func (container *Container) restoreNetwork() error {
	mode := container.hostConfig.NetworkMode
	if container.NetworkSettings == nil || container.NetworkSettings.IPAddress == "" ||
		container.Config.NetworkDisabled || !isBridgeMode(mode) {
		return nil
	}
	// The old daemon's FORWARD rules are still there (nothing flushes
	// FORWARD); without this, allocate_port would add a second copy and
	// a release would delete only one.
	if err := container.deleteForwardRules(container.NetworkSettings.IPAddress); err != nil {
		return err
	}
	return container.allocateNetworkAt(container.NetworkSettings.IPAddress, container.NetworkSettings.Ports)
}

// allocateNetworkAt does the work: requestedIP "" means any address;
// published, when not nil, are the exact host bindings to take again.
func (container *Container) allocateNetworkAt(requestedIP string, published nat.PortMap) error {
	mode := container.hostConfig.NetworkMode
	if container.Config.NetworkDisabled || mode.IsContainer() || mode.IsHost() || isNoneMode(mode) {
		return nil
	}
	eng := container.daemon.eng

	job := eng.Job("allocate_interface", container.ID)
	if requestedIP != "" {
		job.Setenv("RequestedIP", requestedIP)
	}
	env, err := job.Stdout.AddEnv()
	if err != nil {
		return err
	}
	if err := job.Run(); err != nil {
		return err
	}

	// Containers saved by Docker before 0.6.5 listed their ports in
	// Config.PortSpecs: move them where 1.2 keeps them, once.
	if container.Config.PortSpecs != nil {
		if err := migrateLegacyPortSpecs(container.Config, container.hostConfig); err != nil {
			eng.Job("release_interface", container.ID).Run()
			return err
		}
		if err := container.WriteHostConfig(); err != nil {
			eng.Job("release_interface", container.ID).Run()
			return err
		}
	}

	bindings := make(nat.PortMap)
	portSpecs := make(nat.PortSet)
	if published != nil {
		// Restoring: exactly what was published, nothing chosen anew.
		for p, b := range published {
			portSpecs[p] = struct{}{}
			bindings[p] = append([]nat.PortBinding(nil), b...)
		}
	} else {
		for p := range container.Config.ExposedPorts {
			portSpecs[p] = struct{}{}
		}
		for p, b := range container.hostConfig.PortBindings {
			// Copies: allocatePort writes the chosen host port into
			// the binding, and HostConfig must keep asking for "any".
			bindings[p] = append([]nat.PortBinding{}, b...)
		}
	}

	container.NetworkSettings.PortMapping = nil
	// In port order, so that the ports -P picks follow the exposed
	// ports' order (upstream's map order made them random).
	for _, port := range sortedPorts(portSpecs) {
		if err := container.allocatePort(eng, port, bindings); err != nil {
			return err
		}
	}
	container.WriteHostConfig()

	container.NetworkSettings.Ports = bindings
	container.NetworkSettings.Bridge = env.Get("Bridge")
	container.NetworkSettings.IPAddress = env.Get("IP")
	container.NetworkSettings.IPPrefixLen = env.GetInt("IPPrefixLen")
	container.NetworkSettings.Gateway = env.Get("Gateway")
	return nil
}

// allocatePort publishes one container port on each of its bindings (or
// on one "any address, any port" binding for -P), writing back the host
// address and port the driver chose. On failure the whole interface is
// released: the container will not start.
func (container *Container) allocatePort(eng *engine.Engine, port nat.Port, bindings nat.PortMap) error {
	binding := bindings[port]
	if container.hostConfig.PublishAllPorts && len(binding) == 0 {
		binding = append(binding, nat.PortBinding{})
	}
	for i, b := range binding {
		job := eng.Job("allocate_port", container.ID)
		job.Setenv("HostIP", b.HostIp)
		job.Setenv("HostPort", b.HostPort)
		job.Setenv("Proto", port.Proto())
		job.Setenv("ContainerPort", port.Port())
		portEnv, err := job.Stdout.AddEnv()
		if err != nil {
			return err
		}
		if err := onProxyThread(job.Run); err != nil {
			eng.Job("release_interface", container.ID).Run()
			return err
		}
		b.HostIp = portEnv.Get("HostIP")
		b.HostPort = portEnv.Get("HostPort")
		binding[i] = b
	}
	bindings[port] = binding
	return nil
}

// onProxyThread runs fn (an allocate_port job, which may fork a
// docker-proxy) on one OS thread that never exits. The proxy is started
// with Pdeathsig, which the kernel sends when the *thread* that forked it
// ends, not the process; and the linux backend lets a thread end each
// time it starts a process inside a namespace (a goroutine that locked
// it and never unlocks). A proxy forked from an ordinary thread of the
// pool could therefore be killed by the next container start. Forking
// from a thread that lives as long as the daemon keeps Pdeathsig's
// meaning: the proxy dies with the daemon, not before.
func onProxyThread(fn func() error) error {
	proxyThreadOnce.Do(func() {
		proxyThread = make(chan func())
		go func() {
			runtime.LockOSThread() // never unlocked: see above
			for f := range proxyThread {
				f()
			}
		}()
	})
	done := make(chan error, 1)
	proxyThread <- func() { done <- fn() }
	return <-done
}

var (
	proxyThreadOnce sync.Once
	proxyThread     chan func()
)

// sortedPorts lists a PortSet by number, then protocol.
func sortedPorts(set nat.PortSet) []nat.Port {
	ports := make([]nat.Port, 0, len(set))
	for p := range set {
		ports = append(ports, p)
	}
	sort.Slice(ports, func(i, j int) bool {
		if ports[i].Int() != ports[j].Int() {
			return ports[i].Int() < ports[j].Int()
		}
		return ports[i].Proto() < ports[j].Proto()
	})
	return ports
}

// migrateLegacyPortSpecs is upstream's migratePortMappings
// (daemon/utils.go): "80", "8080:80" in Config.PortSpecs become
// ExposedPorts and HostConfig.PortBindings.
func migrateLegacyPortSpecs(config *runconfig.Config, hostConfig *runconfig.HostConfig) error {
	ports, bindings, err := nat.ParsePortSpecs(config.PortSpecs)
	if err != nil {
		return err
	}
	config.PortSpecs = nil
	if len(bindings) > 0 && hostConfig != nil {
		hostConfig.PortBindings = bindings
	}
	if config.ExposedPorts == nil {
		config.ExposedPorts = make(map[nat.Port]struct{}, len(ports))
	}
	for k, v := range ports {
		config.ExposedPorts[k] = v
	}
	return nil
}

// releaseNetwork gives the address back and unpublishes the ports
// (release_interface: the DNAT and FORWARD rules go, the proxies stop),
// then forgets the settings. It runs at every stop and on a failed start,
// so "nothing to release" is not an error.
func (container *Container) releaseNetwork() {
	if container.Config.NetworkDisabled {
		return
	}
	mode := container.hostConfig.NetworkMode
	if isBridgeMode(mode) && container.NetworkSettings != nil && container.NetworkSettings.IPAddress != "" {
		container.runEvenAtShutdown(bridge.Release, "release_interface", []string{container.ID}, nil)
	}
	container.NetworkSettings = &NetworkSettings{}
}

// runEvenAtShutdown runs a bridge driver job. A daemon that stops kills
// its containers after the engine has begun to refuse jobs (upstream's
// engine did the same), so the release_interface and link -D of those
// containers never ran and their FORWARD rules stayed on the machine.
// When the engine refuses, the driver's handler is called directly.
func (container *Container) runEvenAtShutdown(handler engine.Handler, name string, args []string, env map[string]string) {
	eng := container.daemon.eng
	newJob := func() *engine.Job {
		job := eng.Job(name, args...)
		for k, v := range env {
			job.Setenv(k, v)
		}
		return job
	}
	if err := newJob().Run(); err == nil || !eng.IsShutdown() {
		return
	}
	handler(newJob())
}

// scrubNetwork clears what a run the daemon never saw end (kill -9 of
// the daemon, a power cut) left of this container's network, before
// anything new is allocated. The new daemon's InitDriver emptied the nat
// DOCKER chain (the DNAT rules), but the filter FORWARD rules of the old
// run's published ports and links stay, because nothing flushes FORWARD:
// each rule naming the old address (-s or -d <ip>/32) is deleted. Then
// the settings are forgotten, so inspect shows no stale address.
// Upstream 1.2 left those rules behind.
func (container *Container) scrubNetwork() error {
	ns := container.NetworkSettings
	container.NetworkSettings = &NetworkSettings{}
	if ns == nil || ns.IPAddress == "" || container.daemon.config.DisableNetwork {
		return nil
	}
	return container.deleteForwardRules(ns.IPAddress)
}

// deleteForwardRules deletes every filter FORWARD rule whose source or
// destination is ip/32: what a dead run left for its published ports and
// its links.
func (container *Container) deleteForwardRules(ip string) error {
	ipt := container.daemon.config.Host.Root().IPTables()
	lines, err := ipt.List("filter", "FORWARD")
	if err != nil {
		return err
	}
	own := ip + "/32"
	var firstErr error
	for _, line := range lines {
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "-A" || !namesAddress(fields, own) {
			continue
		}
		args := append([]string{"-t", "filter", "-D"}, fields[1:]...)
		if _, err := ipt.Raw(args...); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// namesAddress: the rule's source or destination is addr.
func namesAddress(fields []string, addr string) bool {
	for i := 0; i+1 < len(fields); i++ {
		if (fields[i] == "-s" || fields[i] == "-d") && fields[i+1] == addr {
			return true
		}
	}
	return false
}

// networkForCommand is the network half of populateCommand: what the
// execdriver must build for the process (book §7.5).
func (container *Container) networkForCommand() (*execdriver.Network, error) {
	en := &execdriver.Network{Mtu: container.daemon.config.Mtu}
	mode := container.hostConfig.NetworkMode
	kind, _, _ := strings.Cut(string(mode), ":")
	switch kind {
	case "none":
		// A namespace of its own with only lo.
	case "host":
		en.HostNetworking = true
	case "bridge", "":
		if !container.Config.NetworkDisabled {
			ns := container.NetworkSettings
			en.Interface = &execdriver.NetworkInterface{
				Gateway:     ns.Gateway,
				Bridge:      ns.Bridge,
				IPAddress:   ns.IPAddress,
				IPPrefixLen: ns.IPPrefixLen,
			}
		}
	case "container":
		nc, err := container.getNetworkedContainer()
		if err != nil {
			return nil, err
		}
		en.ContainerID = nc.ID
	default:
		return nil, fmt.Errorf("invalid network mode: %s", mode)
	}
	return en, nil
}

// getNetworkedContainer is the running container a --net=container:<x>
// container joins.
func (container *Container) getNetworkedContainer() (*Container, error) {
	kind, name, _ := strings.Cut(string(container.hostConfig.NetworkMode), ":")
	if kind != "container" {
		return nil, fmt.Errorf("network mode not set to container")
	}
	nc := container.daemon.Get(name)
	if nc == nil {
		return nil, fmt.Errorf("no such container to join network: %s", name)
	}
	if !nc.State.IsRunning() {
		return nil, fmt.Errorf("cannot join network of a non running container: %s", name)
	}
	return nc, nil
}

// setupLinkedContainers is step 6 of Start (book §12.4): for each
// container linked to this one, open the bridge between the two for the
// child's exposed ports (the link job's FORWARD rules, which matter when
// --icc=false drops everything else) and return the DB_PORT_… variables
// the process gets. Any failure takes back the links already enabled.
func (container *Container) setupLinkedContainers() ([]string, error) {
	daemon := container.daemon
	children, err := daemon.Children(container.Name)
	if err != nil {
		return nil, err
	}
	if len(children) == 0 {
		return nil, nil
	}
	active := make(map[string]*links.Link, len(children))
	setActiveLinks(container, active)
	rollback := func() {
		container.disableActiveLinks()
	}

	var env []string
	for _, linkAlias := range sortedKeys(children) {
		child := children[linkAlias]
		if !child.State.IsRunning() {
			rollback()
			return nil, fmt.Errorf("Cannot link to a non running container: %s AS %s", child.Name, linkAlias)
		}
		link, err := links.NewLink(
			container.NetworkSettings.IPAddress,
			child.NetworkSettings.IPAddress,
			linkAlias,
			child.Config.Env,
			child.Config.ExposedPorts,
			daemon.eng)
		if err != nil {
			rollback()
			return nil, err
		}
		activeLinksMu.Lock()
		active[link.Alias()] = link
		activeLinksMu.Unlock()
		if err := link.Enable(); err != nil {
			rollback()
			return nil, err
		}
		env = append(env, link.ToEnv()...)
	}
	return env, nil
}

// activeLinksMu guards every container's activeLinks map: `docker rm -l`
// (DisableLink) may come while the container's monitor cleans up after
// its exit (disableActiveLinks). Links change rarely; one lock is enough.
var activeLinksMu sync.Mutex

func setActiveLinks(container *Container, m map[string]*links.Link) {
	activeLinksMu.Lock()
	container.activeLinks = m
	activeLinksMu.Unlock()
}

// sortedKeys: links are set up in the order of their names.
func sortedKeys(m map[string]*Container) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DisableLink removes the rules of the link named alias (delete's
// removeLink: `docker rm -l /web/db` calls it on web).
func (container *Container) DisableLink(alias string) {
	activeLinksMu.Lock()
	link, ok := container.activeLinks[alias]
	delete(container.activeLinks, alias)
	activeLinksMu.Unlock()
	if ok {
		link.Disable()
	}
}

// disableActiveLinks removes every link's rules (cleanup at stop).
func (container *Container) disableActiveLinks() {
	activeLinksMu.Lock()
	active := container.activeLinks
	container.activeLinks = nil
	activeLinksMu.Unlock()

	eng := container.daemon.eng
	for _, link := range active {
		if !eng.IsShutdown() {
			link.Disable()
			continue
		}
		// What links.Link.Disable asks the link job, straight to the
		// driver (see runEvenAtShutdown).
		ports := make([]string, len(link.Ports))
		for i, p := range link.Ports {
			ports[i] = p.Port() + "/" + p.Proto()
		}
		portsJSON, _ := json.Marshal(ports)
		container.runEvenAtShutdown(bridge.LinkContainers, "link", []string{"-D"}, map[string]string{
			"ParentIP": link.ParentIP, "ChildIP": link.ChildIP, "IgnoreErrors": "true", "Ports": string(portsJSON),
		})
		link.IsEnabled = false
	}
}

// linkGraphName is name as graphdb keeps it: "/web" for "web".
func linkGraphName(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("Container name cannot be empty")
	}
	if name[0] != '/' {
		name = "/" + name
	}
	return name, nil
}

// Children are the containers name links to, keyed by the link's full
// name ("/web/db" for --link db:db on web).
func (daemon *Daemon) Children(name string) (map[string]*Container, error) {
	name, err := linkGraphName(name)
	if err != nil {
		return nil, err
	}
	children := make(map[string]*Container)
	err = daemon.containerGraph.Walk(name, func(p string, e *graphdb.Entity) error {
		c := daemon.Get(e.ID())
		if c == nil {
			return fmt.Errorf("Could not get container for name %s and id %s", e.ID(), p)
		}
		children[p] = c
		return nil
	}, 0)
	if err != nil {
		return nil, err
	}
	return children, nil
}

// RegisterLink records in graphdb that parent reaches child as alias:
// the name "<parent name>/<alias>" points at child's id.
func (daemon *Daemon) RegisterLink(parent, child *Container, alias string) error {
	fullName := path.Join(parent.Name, alias)
	if daemon.containerGraph.Exists(fullName) {
		return nil
	}
	_, err := daemon.containerGraph.Set(fullName, child.ID)
	return err
}

// RegisterLinks records each --link name:alias of hostConfig, then
// empties the list: the links now live in graphdb, and a second start
// must not register them again.
func (daemon *Daemon) RegisterLinks(container *Container, hostConfig *runconfig.HostConfig) error {
	if hostConfig == nil || hostConfig.Links == nil {
		return nil
	}
	for _, l := range hostConfig.Links {
		parts, err := opts.PartParser("name:alias", l)
		if err != nil {
			return err
		}
		// By name only: "db" is also a hex prefix, and Get would take
		// a container whose id starts with it.
		child, err := daemon.GetByName(parts["name"])
		if err != nil {
			return err
		}
		if err := daemon.RegisterLink(container, child, parts["alias"]); err != nil {
			return err
		}
	}
	hostConfig.Links = nil
	return container.WriteHostConfig()
}

// WaitReleased returns once the container's last run has been cleaned
// up: its network released (address, ports, link rules) and its log
// closed. The wait job answers earlier, at the exit; a chapter demo that
// prints the machine's rules right after a container ends waits here.
func (container *Container) WaitReleased() { container.waitForPreviousRun() }
