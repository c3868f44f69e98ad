// A container's address and published ports: allocate_interface and
// allocate_port at start, release_interface at stop, and what a daemon
// that restarts or stops must do about them.
//
// Upstream: daemon/container.go at v1.2.0 (allocateNetwork, allocatePort,
// releaseNetwork), daemon/utils.go at v1.2.0 (migratePortMappings). See
// docs/upstream/v1.2.0.md §2.4 "Callers of the network jobs", §3.1
// "Handlers".
// Book: ch.7 §7.4; ch.12 §12.4.
// Notes: 000 "外界访问Docker Container" (DNAT).
//
// Divergences (docs/divergences.md "Container networking"): restoreNetwork
// takes a container's old address and ports again when its process
// outlived the daemon; scrubNetwork deletes the FORWARD rules a crashed
// daemon left; a daemon that stops releases its containers' network
// although its engine refuses jobs by then; -P publishes in port order.
package daemon

import (
	"sort"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

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
		if err := job.Run(); err != nil {
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
