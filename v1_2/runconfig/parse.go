// Parse: the flags of `docker run` (and `docker create`'s ancestor) turned
// into a Config and a HostConfig, with 1.2's checks and messages.
//
// Upstream: runconfig/parse.go at v1.2.0 (Parse, ParseSubcommand, parseRun
// and the Err* values).
// Book: ch.7 §7.3 (CmdRun calls runconfig.ParseSubcommand, then posts the
// config to /containers/create).
//
// Checks done here, in this order: flag syntax and each value's validator
// (opts), -a with -d, a relative -w, --rm with -d, -h with a shared network
// (--net=host or container:), links with --net=host, -m's size, bind
// destinations, --lxc-conf, -p, --expose, --device, --env-file, --net,
// --restart, --rm with a restart policy. The smallest memory limit (512k,
// "Minimum memory limit allowed is 512k") is NOT checked here: the daemon's
// create job checks it (daemon/create.go).
package runconfig

import (
	"flag"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/opts"
	"github.com/dockerlab/dockerlab/v1_2/pkg/sysinfo"
)

var (
	ErrInvalidWorkingDirectory            = fmt.Errorf("The working directory is invalid. It needs to be an absolute path.")
	ErrConflictAttachDetach               = fmt.Errorf("Conflicting options: -a and -d")
	ErrConflictDetachAutoRemove           = fmt.Errorf("Conflicting options: --rm and -d")
	ErrConflictNetworkHostname            = fmt.Errorf("Conflicting options: -h and the network mode (--net)")
	ErrConflictHostNetworkAndLinks        = fmt.Errorf("Conflicting options: --net=host can't be used with links. This would result in undefined behavior.")
	ErrConflictRestartPolicyAndAutoRemove = fmt.Errorf("Conflicting options: --restart and --rm")
)

// Parse reads args ("[flags] IMAGE [COMMAND [ARG...]]") on a fresh, silent
// flag set. sysInfo may be nil (then no kernel limit is assumed missing).
func Parse(args []string, sysInfo *sysinfo.SysInfo) (*Config, *HostConfig, *flag.FlagSet, error) {
	cmd := flag.NewFlagSet("run", flag.ContinueOnError)
	cmd.SetOutput(io.Discard)
	cmd.Usage = func() {}
	return parseRun(cmd, args, sysInfo)
}

// ParseSubcommand is Parse on the client's own flag set, so that its usage
// text and its extra flags come along (CmdRun looks up "name" and
// "sig-proxy" on the returned set).
func ParseSubcommand(cmd *flag.FlagSet, args []string, sysInfo *sysinfo.SysInfo) (*Config, *HostConfig, *flag.FlagSet, error) {
	return parseRun(cmd, args, sysInfo)
}

// runFlags are the values of every `run` flag after parsing.
type runFlags struct {
	attach, volumes, links, env, devices          opts.ListOpts
	publish, expose, dns, dnsSearch, volumesFrom  opts.ListOpts
	lxcOpts, envFile, capAdd, capDrop             opts.ListOpts
	autoRemove, detach, network, privileged       *bool
	publishAll, stdin, tty                        *bool
	containerIDFile, entrypoint, hostname, memory *string
	user, workingDir, cpuset, netMode, restart    *string
	cpuShares                                     *int64
}

// declareRunFlags puts Docker 1.2's `run` flags on cmd, with its names,
// defaults and help texts.
func declareRunFlags(cmd *flag.FlagSet) *runFlags {
	f := &runFlags{
		attach:  opts.NewListOpts(opts.ValidateAttach),
		volumes: opts.NewListOpts(opts.ValidatePath),
		links:   opts.NewListOpts(opts.ValidateLink),
		env:     opts.NewListOpts(opts.ValidateEnv),
		devices: opts.NewListOpts(opts.ValidatePath),

		publish:     opts.NewListOpts(nil),
		expose:      opts.NewListOpts(nil),
		dns:         opts.NewListOpts(opts.ValidateIPAddress),
		dnsSearch:   opts.NewListOpts(opts.ValidateDnsSearch),
		volumesFrom: opts.NewListOpts(nil),
		lxcOpts:     opts.NewListOpts(nil),
		envFile:     opts.NewListOpts(nil),
		capAdd:      opts.NewListOpts(nil),
		capDrop:     opts.NewListOpts(nil),
	}
	f.autoRemove = boolFlag(cmd, []string{"#rm", "-rm"}, false, "Automatically remove the container when it exits (incompatible with -d)")
	f.detach = boolFlag(cmd, []string{"d", "-detach"}, false, "Detached mode: run container in the background and print new container ID")
	f.network = boolFlag(cmd, []string{"#n", "#-networking"}, true, "Enable networking for this container")
	f.privileged = boolFlag(cmd, []string{"#privileged", "-privileged"}, false, "Give extended privileges to this container")
	f.publishAll = boolFlag(cmd, []string{"P", "-publish-all"}, false, "Publish all exposed ports to the host interfaces")
	f.stdin = boolFlag(cmd, []string{"i", "-interactive"}, false, "Keep STDIN open even if not attached")
	f.tty = boolFlag(cmd, []string{"t", "-tty"}, false, "Allocate a pseudo-TTY")
	f.containerIDFile = stringFlag(cmd, []string{"#cidfile", "-cidfile"}, "", "Write the container ID to the file")
	f.entrypoint = stringFlag(cmd, []string{"#entrypoint", "-entrypoint"}, "", "Overwrite the default ENTRYPOINT of the image")
	f.hostname = stringFlag(cmd, []string{"h", "-hostname"}, "", "Container host name")
	f.memory = stringFlag(cmd, []string{"m", "-memory"}, "", "Memory limit (format: <number><optional unit>, where unit = b, k, m or g)")
	f.user = stringFlag(cmd, []string{"u", "-user"}, "", "Username or UID")
	f.workingDir = stringFlag(cmd, []string{"w", "-workdir"}, "", "Working directory inside the container")
	f.cpuShares = int64Flag(cmd, []string{"c", "-cpu-shares"}, 0, "CPU shares (relative weight)")
	f.cpuset = stringFlag(cmd, []string{"-cpuset"}, "", "CPUs in which to allow execution (0-3, 0,1)")
	f.netMode = stringFlag(cmd, []string{"-net"}, "bridge", "Set the Network mode for the container: 'bridge' (a new stack on the docker bridge), 'none', 'container:<name|id>' (share another container's stack) or 'host' (the host's stack; gives access to local services such as D-bus, so it is insecure)")
	f.restart = stringFlag(cmd, []string{"-restart"}, "", "Restart policy to apply when a container exits (no, on-failure[:max-retry], always)")
	// Read by the client (CmdRun) through cmd.Lookup, not by this parser.
	boolFlag(cmd, []string{"#sig-proxy", "-sig-proxy"}, true, "Proxy received signals to the process (even in non-TTY mode). SIGCHLD, SIGSTOP, and SIGKILL are not proxied.")
	stringFlag(cmd, []string{"#name", "-name"}, "", "Assign a name to the container")

	varFlag(cmd, &f.attach, []string{"a", "-attach"}, "Attach to STDIN, STDOUT or STDERR.")
	varFlag(cmd, &f.volumes, []string{"v", "-volume"}, "Bind mount a volume (e.g., from the host: -v /host:/container, from Docker: -v /container); on the fake backend a host path bound here is the one host path the container reaches, read and written with the daemon's uid (/ and paths holding the fake's state file are refused)")
	varFlag(cmd, &f.links, []string{"#link", "-link"}, "Add link to another container in the form of name:alias")
	varFlag(cmd, &f.devices, []string{"-device"}, "Add a host device to the container (e.g. --device=/dev/sdc:/dev/xvdc)")
	varFlag(cmd, &f.env, []string{"e", "-env"}, "Set environment variables")
	varFlag(cmd, &f.envFile, []string{"-env-file"}, "Read in a line delimited file of environment variables")
	varFlag(cmd, &f.publish, []string{"p", "-publish"}, "Publish a container's port to the host, format: "+nat.PortSpecTemplateFormat+" (use 'docker port' to see the actual mapping)")
	varFlag(cmd, &f.expose, []string{"#expose", "-expose"}, "Expose a port from the container without publishing it to your host")
	varFlag(cmd, &f.dns, []string{"#dns", "-dns"}, "Set custom DNS servers")
	varFlag(cmd, &f.dnsSearch, []string{"-dns-search"}, "Set custom DNS search domains")
	varFlag(cmd, &f.volumesFrom, []string{"#volumes-from", "-volumes-from"}, "Mount volumes from the specified container(s)")
	varFlag(cmd, &f.lxcOpts, []string{"#lxc-conf", "-lxc-conf"}, "(lxc exec-driver only) Add custom lxc options --lxc-conf=\"lxc.cgroup.cpuset.cpus = 0,1\"")
	varFlag(cmd, &f.capAdd, []string{"-cap-add"}, "Add Linux capabilities")
	varFlag(cmd, &f.capDrop, []string{"-cap-drop"}, "Drop Linux capabilities")
	return f
}

func parseRun(cmd *flag.FlagSet, args []string, sysInfo *sysinfo.SysInfo) (*Config, *HostConfig, *flag.FlagSet, error) {
	f := declareRunFlags(cmd)
	if err := cmd.Parse(groupedFlags(cmd, args)); err != nil {
		return nil, nil, cmd, err
	}

	// A kernel without the memory cgroup cannot limit memory: drop -m.
	if sysInfo != nil && *f.memory != "" && !sysInfo.MemoryLimit {
		*f.memory = ""
	}

	if *f.detach && f.attach.Len() > 0 {
		return nil, nil, cmd, ErrConflictAttachDetach
	}
	if *f.workingDir != "" && !path.IsAbs(*f.workingDir) {
		return nil, nil, cmd, ErrInvalidWorkingDirectory
	}
	if *f.detach && *f.autoRemove {
		return nil, nil, cmd, ErrConflictDetachAutoRemove
	}
	// With the host's or another container's network, the UTS name is not
	// this container's to choose.
	if *f.netMode != "bridge" && *f.netMode != "none" && *f.hostname != "" {
		return nil, nil, cmd, ErrConflictNetworkHostname
	}
	if *f.netMode == "host" && f.links.Len() > 0 {
		return nil, nil, cmd, ErrConflictHostNetworkAndLinks
	}

	// Neither -a nor -d: attach stdout and stderr, and stdin with -i.
	if f.attach.Len() == 0 && !*f.detach {
		_ = f.attach.Set("stdout")
		_ = f.attach.Set("stderr")
		if *f.stdin {
			_ = f.attach.Set("stdin")
		}
	}

	var memory int64
	if *f.memory != "" {
		parsed, err := RAMInBytes(*f.memory)
		if err != nil {
			return nil, nil, cmd, err
		}
		memory = parsed
	}

	// "-v /host:/ctr" is a bind (HostConfig); "-v /ctr" stays a volume of
	// the Config, the only kind an image may record on commit.
	var binds []string
	for bind := range f.volumes.GetMap() {
		if parts := strings.Split(bind, ":"); len(parts) > 1 {
			if parts[1] == "/" {
				return nil, nil, cmd, fmt.Errorf("Invalid bind mount: destination can't be '/'")
			}
			binds = append(binds, bind)
			f.volumes.Delete(bind)
		} else if bind == "/" {
			return nil, nil, cmd, fmt.Errorf("Invalid volume: path can't be '/'")
		}
	}

	var (
		rest       = cmd.Args()
		image      string
		runCmd     []string
		entrypoint []string
	)
	if len(rest) >= 1 {
		image = rest[0]
	}
	if len(rest) > 1 {
		runCmd = rest[1:]
	}
	if *f.entrypoint != "" {
		entrypoint = []string{*f.entrypoint}
	}

	lxcConf, err := parseKeyValueOpts(f.lxcOpts)
	if err != nil {
		return nil, nil, cmd, err
	}

	// -h web.example.com: hostname "web", domain "example.com".
	hostname, domainname, _ := strings.Cut(*f.hostname, ".")

	ports, portBindings, err := nat.ParsePortSpecs(f.publish.GetAll())
	if err != nil {
		return nil, nil, cmd, err
	}
	for _, e := range f.expose.GetAll() {
		if strings.Contains(e, ":") {
			return nil, nil, cmd, fmt.Errorf("Invalid port format for --expose: %s", e)
		}
		ports[nat.NewPort(nat.SplitProtoPort(e))] = struct{}{}
	}

	devices := []DeviceMapping{}
	for _, d := range f.devices.GetAll() {
		m, err := ParseDevice(d)
		if err != nil {
			return nil, nil, cmd, err
		}
		devices = append(devices, m)
	}

	// --env-file first, so -e can override a file's value.
	env := []string{}
	for _, file := range f.envFile.GetAll() {
		vars, err := opts.ParseEnvFile(file)
		if err != nil {
			return nil, nil, cmd, err
		}
		env = append(env, vars...)
	}
	env = append(env, f.env.GetAll()...)

	netMode, err := parseNetMode(*f.netMode)
	if err != nil {
		return nil, nil, cmd, fmt.Errorf("--net: invalid net mode: %v", err)
	}
	restart, err := parseRestartPolicy(*f.restart)
	if err != nil {
		return nil, nil, cmd, err
	}
	if *f.autoRemove && (restart.Name == "always" || restart.Name == "on-failure") {
		return nil, nil, cmd, ErrConflictRestartPolicyAndAutoRemove
	}

	config := &Config{
		Hostname:        hostname,
		Domainname:      domainname,
		ExposedPorts:    ports,
		User:            *f.user,
		Tty:             *f.tty,
		NetworkDisabled: !*f.network,
		OpenStdin:       *f.stdin,
		Memory:          memory,
		CpuShares:       *f.cpuShares,
		Cpuset:          *f.cpuset,
		AttachStdin:     f.attach.Get("stdin"),
		AttachStdout:    f.attach.Get("stdout"),
		AttachStderr:    f.attach.Get("stderr"),
		Env:             env,
		Cmd:             runCmd,
		Image:           image,
		Volumes:         f.volumes.GetMap(),
		Entrypoint:      entrypoint,
		WorkingDir:      *f.workingDir,
	}
	hostConfig := &HostConfig{
		Binds:           binds,
		ContainerIDFile: *f.containerIDFile,
		LxcConf:         lxcConf,
		Privileged:      *f.privileged,
		PortBindings:    portBindings,
		Links:           f.links.GetAll(),
		PublishAllPorts: *f.publishAll,
		Dns:             f.dns.GetAll(),
		DnsSearch:       f.dnsSearch.GetAll(),
		VolumesFrom:     f.volumesFrom.GetAll(),
		NetworkMode:     netMode,
		Devices:         devices,
		CapAdd:          f.capAdd.GetAll(),
		CapDrop:         f.capDrop.GetAll(),
		RestartPolicy:   restart,
	}

	// A memory limit without swap accounting: turn swap off entirely.
	if sysInfo != nil && memory > 0 && !sysInfo.SwapLimit {
		config.MemorySwap = -1
	}
	// An attached, open stdin closes when the client goes away.
	if config.OpenStdin && config.AttachStdin {
		config.StdinOnce = true
	}
	return config, hostConfig, cmd, nil
}
