// The "start" job and Container.Start: everything a created container
// needs before its process runs, in the book's order.
//
// Upstream: daemon/start.go at v1.2.0 (ContainerStart, setHostConfig),
// daemon/container.go at v1.2.0 (Start, setupContainerDns,
// verifyDaemonSettings, setupWorkingDirectory, createDaemonEnvironment,
// populateCommand, startLoggingToDisk, waitForStart, cleanup). See
// docs/upstream/v1.2.0.md §2.4 ("start") and §5.1 (populateCommand).
// Book: ch.12 §12.4 启动容器.
// Notes: 001 容器的创建 (start).
//
// Start's steps (book §12.4), each a function below or in the file named,
// each traced with --trace as "12.4 <step>":
//
//  1. setupContainerDns           resolv.conf (this file)
//  2. Mount                       the rootfs from the graph driver (container.go)
//  3. initializeNetworking        the network mode (container_network.go)
//  4. verifyDaemonSettings        drop limits the kernel cannot enforce
//  5. prepareVolumesForContainer  -v and VOLUME (volumes.go)
//  6. setupLinkedContainers       --link env and rules (container_network.go)
//  7. setupWorkingDirectory       -w made inside the rootfs
//  8. createDaemonEnvironment     PATH, HOSTNAME, TERM, links, -e
//  9. populateCommand             the execdriver.Command
//  10. setupMountsForContainer    volumes and the /etc files as mounts (volumes.go)
//  11. waitForStart               the monitor runs the process (monitor.go)
package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/devices"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// ContainerStart is the "start" job: `start <id>`; an env, when present,
// is the HostConfig (docker 1.2 sent it with start).
func (daemon *Daemon) ContainerStart(job *engine.Job) engine.Status {
	if len(job.Args) < 1 {
		return job.Errorf("Usage: %s container_id", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	if container.State.IsRunning() {
		return job.Errorf("Container already started")
	}
	if len(job.Environ()) > 0 {
		hostConfig := runconfig.ContainerHostConfigFromJob(job)
		if err := daemon.setHostConfig(container, hostConfig); err != nil {
			return job.Error(err)
		}
	}
	if err := container.Start(); err != nil {
		return job.Errorf("Cannot start container %s: %s", name, err)
	}
	return engine.StatusOK
}

// setHostConfig makes the bind sources that do not exist yet, registers
// the links in graphdb, and keeps hostConfig in hostconfig.json.
func (daemon *Daemon) setHostConfig(container *Container, hostConfig *runconfig.HostConfig) error {
	for _, bind := range hostConfig.Binds {
		source, _, _ := strings.Cut(bind, ":")
		if !filepath.IsAbs(source) {
			return fmt.Errorf("Invalid bind %q: the host path must be absolute", bind)
		}
		if _, err := os.Stat(source); os.IsNotExist(err) {
			if err := os.MkdirAll(source, 0o755); err != nil {
				return fmt.Errorf("Could not create local directory '%s' for bind mount: %s!", source, err)
			}
		}
	}
	if err := daemon.RegisterLinks(container, hostConfig); err != nil {
		return err
	}
	container.SetHostConfig(hostConfig)
	return container.ToDisk()
}

// Start runs book §12.4's steps. Any failure undoes what the earlier
// steps did (cleanup).
func (container *Container) Start() (err error) {
	if container.State.IsRunning() {
		return nil
	}
	container.waitForPreviousRun()
	container.Lock()
	defer container.Unlock()
	if container.State.IsRunning() {
		return nil
	}
	trace := container.daemon.config.tracef
	container.releaseStaleNetwork()
	monitored := false
	defer func() {
		if err != nil {
			container.cleanup()
			if !monitored {
				// Not upstream: a step before the monitor failed (a
				// --device naming nothing, say). Today's CLI (run --rm,
				// API below 1.30) waits for "die"; without it, it waits
				// for ever.
				container.LogEvent("die")
			}
		}
	}()

	if err := container.setupContainerDns(); err != nil {
		return err
	}
	trace("12.4", "setupContainerDns: %s", container.ResolvConfPath)
	if err := container.Mount(); err != nil {
		return err
	}
	trace("12.4", "Mount: rootfs %s", container.basefs)
	if err := container.initializeNetworking(); err != nil {
		return err
	}
	trace("12.4", "initializeNetworking: mode %q ip %s gateway %s", container.hostConfig.NetworkMode,
		container.NetworkSettings.IPAddress, container.NetworkSettings.Gateway)
	container.verifyDaemonSettings()
	trace("12.4", "verifyDaemonSettings: memory %d swap %d", container.Config.Memory, container.Config.MemorySwap)
	if err := prepareVolumesForContainer(container); err != nil {
		return err
	}
	trace("12.4", "prepareVolumesForContainer: %d volumes", len(container.Volumes))
	linkedEnv, err := container.setupLinkedContainers()
	if err != nil {
		return err
	}
	trace("12.4", "setupLinkedContainers: %d variables", len(linkedEnv))
	if err := container.setupWorkingDirectory(); err != nil {
		return err
	}
	trace("12.4", "setupWorkingDirectory: %q", container.Config.WorkingDir)
	env := container.createDaemonEnvironment(linkedEnv)
	trace("12.4", "createDaemonEnvironment: %q", env)
	if err := populateCommand(container, env); err != nil {
		return err
	}
	trace("12.4", "populateCommand: %s %q in %s", container.command.Entrypoint, container.command.Arguments, container.command.Rootfs)
	if err := setupMountsForContainer(container); err != nil {
		return err
	}
	trace("12.4", "setupMountsForContainer: %d mounts", len(container.command.Mounts))
	monitored = true // from here on the monitor logs the "die"
	if err := container.waitForStart(); err != nil {
		return err
	}
	trace("12.4", "waitForStart: pid %d", container.State.GetPid())
	// The running state is on disk before start answers: a daemon killed
	// right after still knows this container ran (restore).
	if err := container.toDisk(); err != nil {
		container.daemon.logf("%s: saving the running state: %s", container.ID, err)
	}
	return nil
}

// cleanup undoes a start: network, links, rootfs (called by the monitor
// when the process ends, and when Start fails half way).
func (container *Container) cleanup() {
	container.releaseNetwork()
	container.disableActiveLinks()
	if container.basefs != "" {
		if err := container.Unmount(); err != nil {
			container.daemon.logf("%v: Failed to umount filesystem: %v", container.ID, err)
		}
		// Cleared so that a second cleanup (the monitor's after a failed
		// first start) does not Put twice.
		container.basefs = ""
	}
}

// setupContainerDns writes the container's resolv.conf once: the host's,
// with --dns/--dns-search (the start's, else the daemon's) in place of
// its nameservers and search domains. --net=host keeps the host's file.
//
//lab:exercise ch12.container-dns
func (container *Container) setupContainerDns() error {
	if container.ResolvConfPath != "" {
		return nil
	}
	config := container.hostConfig
	daemon := container.daemon
	resolvConf, err := os.ReadFile(ResolvConfPath)
	if err != nil {
		return err
	}
	path, err := container.getRootResourcePath("resolv.conf")
	if err != nil {
		return err
	}
	custom := len(config.Dns) > 0 || len(daemon.config.Dns) > 0 || len(config.DnsSearch) > 0 || len(daemon.config.DnsSearch) > 0
	if config.NetworkMode != "host" && custom {
		dns, search := GetNameservers(resolvConf), GetSearchDomains(resolvConf)
		if len(config.Dns) > 0 {
			dns = config.Dns
		} else if len(daemon.config.Dns) > 0 {
			dns = daemon.config.Dns
		}
		if len(config.DnsSearch) > 0 {
			search = config.DnsSearch
		} else if len(daemon.config.DnsSearch) > 0 {
			search = daemon.config.DnsSearch
		}
		resolvConf = BuildResolvConf(dns, search)
	}
	if err := os.WriteFile(path, resolvConf, 0o644); err != nil {
		return err
	}
	container.ResolvConfPath = path
	return nil
}

// verifyDaemonSettings drops what this kernel cannot limit, as upstream
// did, with its warnings.
func (container *Container) verifyDaemonSettings() {
	info := container.daemon.sysInfo
	if container.Config.Memory > 0 && !info.MemoryLimit {
		container.daemon.infof("WARNING: Your kernel does not support memory limit capabilities. Limitation discarded.")
		container.Config.Memory = 0
	}
	if container.Config.Memory > 0 && !info.SwapLimit {
		container.daemon.infof("WARNING: Your kernel does not support swap limit capabilities. Limitation discarded.")
		container.Config.MemorySwap = -1
	}
	if info.IPv4ForwardingDisabled {
		container.daemon.infof("WARNING: IPv4 forwarding is disabled. Networking will not work")
	}
}

// setupWorkingDirectory makes -w (or WORKDIR) inside the rootfs.
func (container *Container) setupWorkingDirectory() error {
	if container.Config.WorkingDir == "" {
		return nil
	}
	container.Config.WorkingDir = filepath.Clean(container.Config.WorkingDir)
	path, err := container.getResourcePath(container.Config.WorkingDir)
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		if !os.IsNotExist(err) {
			return err
		}
		return os.MkdirAll(path, 0o755)
	}
	if !fi.IsDir() {
		return fmt.Errorf("Cannot mkdir: %s is not a directory", container.Config.WorkingDir)
	}
	return nil
}

// createDaemonEnvironment is the process's environment: PATH, HOSTNAME,
// TERM with -t, the links' variables, then -e/ENV over all of them.
// HOME is left to dockerinit (it knows the user).
//
//lab:exercise ch12.daemon-env
func (container *Container) createDaemonEnvironment(linkedEnv []string) []string {
	env := []string{
		"PATH=" + DefaultPathEnv,
		"HOSTNAME=" + container.Config.Hostname,
	}
	if container.Config.Tty {
		env = append(env, "TERM=xterm")
	}
	env = append(env, linkedEnv...)
	return ReplaceOrAppendEnvValues(env, container.Config.Env)
}

// populateCommand fills the execdriver.Command (docs/upstream/v1.2.0.md §5.1).
func populateCommand(c *Container, env []string) error {
	network, err := c.networkForCommand()
	if err != nil {
		return err
	}
	context := map[string][]string{
		"process_label": {c.ProcessLabel},
		"mount_label":   {c.MountLabel},
	}
	for _, kv := range c.hostConfig.LxcConf {
		// --lxc-conf only meant something to the lxc driver; kept where
		// upstream put it, for the driver to ignore.
		context["lxc"] = append(context["lxc"], kv.Key+"="+kv.Value)
	}
	// The devices: libcontainer's defaults, then each --device, which
	// is both allowed and made (at its container path).
	userDevices := make([]*devices.Device, 0, len(c.hostConfig.Devices))
	for _, m := range c.hostConfig.Devices {
		if m.PathInContainer == "" {
			m.PathInContainer = m.PathOnHost
		}
		if m.CgroupPermissions == "" {
			m.CgroupPermissions = "rwm"
		}
		if !filepath.IsAbs(m.PathInContainer) || filepath.Clean(m.PathInContainer) != m.PathInContainer {
			return fmt.Errorf("invalid device %q: the path in the container (%q) must be absolute and clean, e.g. /dev/xvdc", m.PathOnHost, m.PathInContainer)
		}
		d, err := devices.GetDevice(c.daemon.config.Host, m.PathOnHost, m.CgroupPermissions)
		if err != nil {
			return fmt.Errorf("error gathering device information while adding custom device %q: %s", m.PathOnHost, err)
		}
		d.Path = m.PathInContainer
		userDevices = append(userDevices, d)
	}
	allowed := append(append([]*devices.Device{}, devices.DefaultAllowedDevices...), userDevices...)
	autoCreated := append(append([]*devices.Device{}, devices.DefaultAutoCreatedDevices...), userDevices...)
	c.command = &execdriver.Command{
		ID:         c.ID,
		Privileged: c.hostConfig.Privileged,
		Rootfs:     c.RootfsPath(),
		InitPath:   "/.dockerinit",
		Entrypoint: c.Path,
		Arguments:  c.Args,
		WorkingDir: c.Config.WorkingDir,
		ConfigPath: c.root,
		Network:    network,
		Tty:        c.Config.Tty,
		User:       c.Config.User,
		Config:     context,
		Resources: &execdriver.Resources{
			Memory:     c.Config.Memory,
			MemorySwap: c.Config.MemorySwap,
			CpuShares:  c.Config.CpuShares,
			Cpuset:     c.Config.Cpuset,
		},
		CapAdd:             c.hostConfig.CapAdd,
		CapDrop:            c.hostConfig.CapDrop,
		AllowedDevices:     allowed,
		AutoCreatedDevices: autoCreated,
		Env:                env,
	}
	return nil
}

// startLoggingToDisk adds <id>-json.log as a reader of stdout and stderr.
func (container *Container) startLoggingToDisk() error {
	path := container.LogPath()
	if err := container.daemon.LogToDisk(container.stdout, path, "stdout"); err != nil {
		return err
	}
	return container.daemon.LogToDisk(container.stderr, path, "stderr")
}

// waitForStart hands the container to a new monitor and returns once the
// process runs, or with the error of its first start.
func (container *Container) waitForStart() error {
	container.monitor = newContainerMonitor(container, container.hostConfig.RestartPolicy)
	errc := make(chan error, 1)
	go func() { errc <- container.monitor.Start() }()
	select {
	case <-container.monitor.startSignal:
		return nil
	case err := <-errc:
		select {
		case <-container.monitor.startSignal:
			return nil // it started, and already ended
		default:
		}
		if err == nil {
			// Exited before the callback could say it started: the
			// driver never called back. Say so rather than succeed.
			return ErrContainerStart
		}
		return err
	}
}
