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
// because it is the clearest list of what a 2013 container was. Its device
// whitelist and its lxc.cap.drop are enforced: the container's cgroup gets
// the whitelist (lxcDevices), its process keeps every capability of 2013's
// kernels but the dropped ones (lxcConfinement) — minus two that were
// holes, and with /proc/sys read-only (docs/divergences.md "v0.1
// containers").
package docker

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"

	"github.com/dockerlab/dockerlab/backend"
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

// lxcCapsOf2013 are the capabilities a 2013 kernel had (Linux 3.8:
// CHOWN … BLOCK_SUSPEND, numbers 0 to 36). LXC dropped the listed ones and
// left the rest; capabilities added since (AUDIT_READ, PERFMON, BPF,
// CHECKPOINT_RESTORE) did not exist to be left.
const lxcLastCap2013 = 36

// lxcCapsHoles are kept by 0.1.0's config but dropped here: DAC_READ_SEARCH
// lets open_by_handle_at(2) open any file of the host's file system (the
// "shocker" escape of June 2014, after which Docker 1.0 dropped it), and
// SYSLOG lets `dmesg -c` clear the host's kernel log.
var lxcCapsHoles = []string{"DAC_READ_SEARCH", "SYSLOG"}

// lxcConfinement is what config.lxc asked of the kernel, as the backend
// applies it: the capabilities lxc.cap.drop leaves, /proc/sys and /sys
// read-only (a divergence: LXC 0.x mounted them writable).
func lxcConfinement() (*backend.Confinement, error) {
	drop := map[string]bool{}
	for _, c := range append(append([]string{}, lxcCapsDropped...), lxcCapsHoles...) {
		drop[strings.ToUpper(c)] = true
	}
	var keep []string
	for bit := 0; bit <= lxcLastCap2013; bit++ {
		if name := backend.CapName(bit); name != "" && !drop[name] {
			keep = append(keep, name)
		}
	}
	if _, err := backend.CapMask(keep); err != nil {
		return nil, err
	}
	// The nodes of /dev are those the whitelist lets it open: no
	// /dev/full (1:7 is not on it), and no mknod ("m") of anything else.
	var nodes []backend.Device
	for _, d := range backend.DefaultNodes {
		if lxcAllows(d) {
			nodes = append(nodes, d)
		}
	}
	return &backend.Confinement{Capabilities: keep, DeviceNodes: nodes, RestrictSys: true}, nil
}

// lxcAllows says whether the whitelist lets a container make and open d.
func lxcAllows(d backend.Device) bool {
	rules, err := lxcDevices()
	if err != nil {
		return false
	}
	for _, a := range "rwm" {
		if !backend.DevicesAllow(rules, d.Type, d.Major, d.Minor, a) {
			return false
		}
	}
	return true
}

// lxcDevices turns the whitelist into devices cgroup rules.
func lxcDevices() ([]backend.Device, error) {
	out := make([]backend.Device, 0, len(lxcDevicesAllowed))
	for _, line := range lxcDevicesAllowed {
		d, err := parseDeviceRule(line)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// parseDeviceRule reads one lxc.cgroup.devices.allow value, "c 136:* rwm".
func parseDeviceRule(line string) (backend.Device, error) {
	f := strings.Fields(line)
	bad := fmt.Errorf("bad device rule %q (want \"c MAJOR:MINOR rwm\")", line)
	if len(f) != 3 || len(f[0]) != 1 {
		return backend.Device{}, bad
	}
	majS, minS, ok := strings.Cut(f[1], ":")
	if !ok {
		return backend.Device{}, bad
	}
	num := func(s string) (int64, error) {
		if s == "*" {
			return backend.Wildcard, nil
		}
		return strconv.ParseInt(s, 10, 64)
	}
	maj, err1 := num(majS)
	min, err2 := num(minS)
	if err1 != nil || err2 != nil {
		return backend.Device{}, bad
	}
	d := backend.Device{Type: rune(f[0][0]), Major: maj, Minor: min, Permissions: f[2]}
	return d, backend.ValidDevice(d)
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
