// A container's network, from the daemon's side: which of the four modes
// it runs in, its /etc/hostname and /etc/hosts, and what the execdriver
// must build for it. The address and ports are in
// container_network_ports.go, the links in container_network_links.go.
// The daemon asks the bridge driver through the engine's jobs, never by
// calling it.
//
// Upstream: daemon/container.go at v1.2.0 (initializeNetworking,
// buildHostnameFile, buildHostnameAndHostsFiles, getNetworkedContainer, the
// network half of populateCommand).
// Book: ch.7 §7.2 (the four modes), §7.4 (Daemon创建/启动容器之网络), §7.5
// (execdriver); ch.12 §12.4 (start: initializeNetworking).
// Notes: 003 "四种网络模式"; 000 "bridge桥接模式".
//
// Divergence (docs/divergences.md "Container networking"): --net=none
// allocates nothing (1.2 gave it an address and published its ports on a
// container nobody could reach; fixed upstream in ba24820284, Docker 1.3).
package daemon

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
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

// WaitReleased returns once the container's last run has been cleaned
// up: its network released (address, ports, link rules) and its log
// closed. The wait job answers earlier, at the exit; a chapter demo that
// prints the machine's rules right after a container ends waits here.
func (container *Container) WaitReleased() { container.waitForPreviousRun() }
