// config.lxc: the LXC configuration 0.1.0 wrote for every container
// before `lxc-start -n <id> -f <root>/config.lxc`.
//
// Upstream: lxc_template.go at v0.1.0 (LxcTemplate, getMemorySwap); in
// dockerlab's own template with the same keys and values. See
// docs/upstream/v0.1.0.md §6 "LXC template".
// Notes: 002 "/sbin/init", "关于lxcbr0" (what the template sets up: docker
// bind-mounted as /sbin/init inside the container, a veth on lxcbr0; the
// note has no section on the template itself).
//
// dockerlab never runs lxc-start: the backend does what these lines
// asked LXC to do (namespaces, the veth on lxcbr0, pivot_root, proc/sys/
// devpts, the memory cgroup; sysinit.go says who does which part). The
// file is still written, so a reader can compare it with the book, and
// because it is the clearest list of what a 2013 container was.
// Not reproduced by the backend: the device whitelist and the dropped
// capabilities (docs/divergences.md "v0.1 containers").
package docker

import (
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

// lxcDevicesAllowed are the character devices a container may use:
// null, zero, console, tty, tty0, tty1, urandom, random, the pty slaves,
// ptmx and the tun device (rtc and fuse stayed commented out in 2013).
var lxcDevicesAllowed = []string{
	"c 1:3 rwm", "c 1:5 rwm", "c 5:1 rwm", "c 5:0 rwm", "c 4:0 rwm", "c 4:1 rwm",
	"c 1:9 rwm", "c 1:8 rwm", "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm",
}

// lxcCapsDropped are the capabilities LXC took away from a container.
var lxcCapsDropped = []string{
	"audit_control", "audit_write", "mac_admin", "mac_override", "mknod", "setfcap",
	"setpcap", "sys_admin", "sys_boot", "sys_module", "sys_nice", "sys_pacct",
	"sys_rawio", "sys_resource", "sys_time", "sys_tty_config",
}

var lxcTemplate = template.Must(template.New("config.lxc").Funcs(template.FuncMap{
	"join": strings.Join,
}).Parse(`# hostname
lxc.utsname = {{.Hostname}}

# network: one veth end on the bridge, the other is eth0 inside
lxc.network.type = veth
lxc.network.flags = up
lxc.network.link = {{.Bridge}}
lxc.network.name = eth0
lxc.network.mtu = 1500
lxc.network.ipv4 = {{.IpAddress}}/{{.IpPrefixLen}}

# root filesystem
lxc.rootfs = {{.Rootfs}}

# terminals
lxc.pts = 1024
lxc.console = none
lxc.tty = 1

# devices: deny everything, then allow a few
lxc.cgroup.devices.deny = a
{{range .Devices}}lxc.cgroup.devices.allow = {{.}}
{{end}}
# pseudo-filesystems
lxc.mount.entry = proc {{.Rootfs}}/proc proc nosuid,nodev,noexec 0 0
lxc.mount.entry = sysfs {{.Rootfs}}/sys sysfs nosuid,nodev,noexec 0 0
lxc.mount.entry = devpts {{.Rootfs}}/dev/pts devpts newinstance,ptmxmode=0666,nosuid,noexec 0 0

# the docker binary becomes the container's /sbin/init (sysinit.go)
lxc.mount.entry = {{.SysInitPath}} {{.Rootfs}}/sbin/init none bind,ro 0 0

# the host's resolver
lxc.mount.entry = /etc/resolv.conf {{.Rootfs}}/etc/resolv.conf none bind,ro 0 0

# capabilities
lxc.cap.drop = {{join .CapsDropped " "}}
{{if .Memory}}
# memory limits (-m)
lxc.cgroup.memory.limit_in_bytes = {{.Memory}}
lxc.cgroup.memory.soft_limit_in_bytes = {{.Memory}}
{{with .MemorySwap}}lxc.cgroup.memory.memsw.limit_in_bytes = {{.}}
{{end}}{{end}}`))

// lxcConfig is what the template reads.
type lxcConfig struct {
	Hostname, Bridge, IpAddress, Rootfs, SysInitPath string
	IpPrefixLen                                      int
	Devices, CapsDropped                             []string
	Memory, MemorySwap                               int64
}

// getMemorySwap is 0.1.0's rule, kept with its quirk: a negative
// MemorySwap means no swap line, anything else (even a positive value the
// user chose) gives twice the memory.
func getMemorySwap(config *Config) int64 {
	if config.MemorySwap < 0 {
		return 0
	}
	return config.Memory * 2
}

// lxcHostname is lxc.utsname: the configured hostname, else the id.
func (container *Container) lxcHostname() string {
	if container.Config.Hostname != "" {
		return container.Config.Hostname
	}
	return container.Id
}

// generateLXCConfig writes <root>/config.lxc.
func (container *Container) generateLXCConfig() error {
	settings := container.NetworkSettings
	cfg := lxcConfig{
		Hostname:    container.lxcHostname(),
		Bridge:      networkBridgeIface,
		IpAddress:   settings.IpAddress,
		IpPrefixLen: settings.IpPrefixLen,
		Rootfs:      container.RootfsPath(),
		SysInitPath: container.SysInitPath,
		Devices:     lxcDevicesAllowed,
		CapsDropped: lxcCapsDropped,
		Memory:      container.Config.Memory,
		MemorySwap:  getMemorySwap(container.Config),
	}
	var b strings.Builder
	if err := lxcTemplate.Execute(&b, cfg); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(container.root, "config.lxc"), []byte(b.String()), 0644)
}
