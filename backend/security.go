// Confinement: what keeps root inside a container from being root of the
// machine — the capabilities it keeps, the devices it may open, the parts
// of /proc and /sys it may not write (docs/design.md "Safety of what users
// run"; book ch.14 §14.3 其他: capabilities, devices; note 003 "安全").
//
// Docker 1.2's native driver wrote these into container.json (capabilities,
// cgroups.allowed_devices, mount_config.device_nodes, restrict_sys) and
// libcontainer applied them inside dockerinit before exec. Here the daemon
// still writes container.json, and the backend applies what a ProcSpec's
// Confinement and a cgroup's Resources.Devices say: the linux backend with
// prctl/capset, the devices cgroup and read-only mounts, the fake by making
// the same decisions in its simulated kernel.
package backend

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// Confinement is how a process is confined (ProcSpec.Confine). A nil
// Confinement leaves the process with whatever its starter had, as a bare
// clone(2) would; both daemons always give one.
type Confinement struct {
	// Capabilities are the only capabilities the program keeps, by
	// libcontainer's names ("NET_ADMIN", no CAP_ prefix): the bounding,
	// permitted, effective and inheritable sets are cut to them (and to
	// what the starter itself holds), the ambient set is emptied. A
	// program run as a user other than root ends up with empty
	// permitted and effective sets, as setuid(2) leaves them.
	Capabilities []string
	// DeviceNodes are made in the new /dev (ProcSpec.Rootfs) instead of
	// the default null, zero, full, random, urandom and tty. Which of
	// them may be opened is the devices cgroup's decision
	// (Resources.Devices), not this list's.
	DeviceNodes []Device
	// RestrictSys makes /proc/sys, /proc/sysrq-trigger, /proc/irq and
	// /proc/bus read-only, hides /proc/kcore behind /dev/null and mounts
	// /sys read-only (libcontainer's RestrictSys). false gives a
	// writable /sys and an unrestricted /proc: --privileged.
	RestrictSys bool
}

// Device is a device node and its devices-cgroup rule, libcontainer's
// devices.Device: Type 'c' or 'b' ('a' for "every device" in a rule),
// Major and Minor (-1 is "*"), the cgroup permissions (letters of "rwm":
// read, write, mknod) and, for a node, its path and permission bits.
type Device struct {
	Path        string `json:"path,omitempty"`
	Type        rune   `json:"type"`
	Major       int64  `json:"major"`
	Minor       int64  `json:"minor"`
	Permissions string `json:"permissions"`
	FileMode    uint32 `json:"file_mode,omitempty"`
}

// DefaultNodes are the nodes of a container's /dev when its Confinement
// names none (or it has none): null, zero, full, random, urandom, tty.
var DefaultNodes = []Device{
	{Path: "/dev/null", Type: 'c', Major: 1, Minor: 3, FileMode: 0o666},
	{Path: "/dev/zero", Type: 'c', Major: 1, Minor: 5, FileMode: 0o666},
	{Path: "/dev/full", Type: 'c', Major: 1, Minor: 7, FileMode: 0o666},
	{Path: "/dev/random", Type: 'c', Major: 1, Minor: 8, FileMode: 0o666},
	{Path: "/dev/urandom", Type: 'c', Major: 1, Minor: 9, FileMode: 0o666},
	{Path: "/dev/tty", Type: 'c', Major: 5, Minor: 0, FileMode: 0o666},
}

// Wildcard is "*" as a major or minor number.
const Wildcard = -1

// Rule is the line devices.allow takes: "c 1:3 rwm", "b *:* m".
func (d Device) Rule() string {
	num := func(n int64) string {
		if n == Wildcard {
			return "*"
		}
		return strconv.FormatInt(n, 10)
	}
	if d.Type == 'a' {
		return "a *:* " + d.Permissions
	}
	return fmt.Sprintf("%c %s:%s %s", d.Type, num(d.Major), num(d.Minor), d.Permissions)
}

// Allows says whether the rule d lets a process do access (one of 'r',
// 'w', 'm') on the device typ major:minor.
func (d Device) Allows(typ rune, major, minor int64, access rune) bool {
	if d.Type != 'a' && d.Type != typ {
		return false
	}
	if d.Major != Wildcard && d.Major != major || d.Minor != Wildcard && d.Minor != minor {
		return false
	}
	return strings.ContainsRune(d.Permissions, access)
}

// DevicesAllow is the devices cgroup's decision for an allow list: a
// device is usable for access exactly when one rule says so.
func DevicesAllow(rules []Device, typ rune, major, minor int64, access rune) bool {
	for _, r := range rules {
		if r.Allows(typ, major, minor, access) {
			return true
		}
	}
	return false
}

// ValidDevice checks a rule or node: a type, numbers, permissions.
func ValidDevice(d Device) error {
	bad := func(format string, args ...any) error {
		return Errorf(ErrInvalid, syscall.EINVAL, "device", d.Rule(), format, args...)
	}
	switch d.Type {
	case 'c', 'b', 'a':
	default:
		return bad("device type %q is not c, b or a", d.Type)
	}
	if d.Major < Wildcard || d.Minor < Wildcard || d.Major > 0xfff || d.Minor > 0xfffff {
		return bad("device number %d:%d out of range", d.Major, d.Minor)
	}
	if d.Permissions == "" || strings.Trim(d.Permissions, "rwm") != "" {
		return bad("device permissions %q are not letters of rwm", d.Permissions)
	}
	return nil
}

// ValidNode checks a node to make: an absolute clean path, type c or b,
// real numbers (its cgroup permissions do not matter here).
func ValidNode(d Device) error {
	bad := func(format string, args ...any) error {
		return Errorf(ErrInvalid, syscall.EINVAL, "device node", d.Path, format, args...)
	}
	switch {
	case d.Type != 'c' && d.Type != 'b':
		return bad("device node %q: type %q is not c or b", d.Path, d.Type)
	case !strings.HasPrefix(d.Path, "/") || path.Clean(d.Path) != d.Path:
		return bad("device node path %q must be absolute and clean", d.Path)
	case d.Major < 0 || d.Minor < 0 || d.Major > 0xfff || d.Minor > 0xfffff:
		return bad("device node %q: number %d:%d out of range", d.Path, d.Major, d.Minor)
	}
	return nil
}

// capabilityBits are the capabilities of linux/capability.h by number
// (an ABI that never changes; a test on linux compares them with
// golang.org/x/sys/unix's CAP_ constants).
var capabilityBits = map[string]int{
	"CHOWN": 0, "DAC_OVERRIDE": 1, "DAC_READ_SEARCH": 2, "FOWNER": 3, "FSETID": 4,
	"KILL": 5, "SETGID": 6, "SETUID": 7, "SETPCAP": 8, "LINUX_IMMUTABLE": 9,
	"NET_BIND_SERVICE": 10, "NET_BROADCAST": 11, "NET_ADMIN": 12, "NET_RAW": 13,
	"IPC_LOCK": 14, "IPC_OWNER": 15, "SYS_MODULE": 16, "SYS_RAWIO": 17,
	"SYS_CHROOT": 18, "SYS_PTRACE": 19, "SYS_PACCT": 20, "SYS_ADMIN": 21,
	"SYS_BOOT": 22, "SYS_NICE": 23, "SYS_RESOURCE": 24, "SYS_TIME": 25,
	"SYS_TTY_CONFIG": 26, "MKNOD": 27, "LEASE": 28, "AUDIT_WRITE": 29,
	"AUDIT_CONTROL": 30, "SETFCAP": 31, "MAC_OVERRIDE": 32, "MAC_ADMIN": 33,
	"SYSLOG": 34, "WAKE_ALARM": 35, "BLOCK_SUSPEND": 36, "AUDIT_READ": 37,
	"PERFMON": 38, "BPF": 39, "CHECKPOINT_RESTORE": 40,
}

// LastCap is the highest capability number this table knows (the kernel
// says its own in /proc/sys/kernel/cap_last_cap).
const LastCap = 40

// CapBit is a capability's number ("NET_ADMIN" → 12; a "CAP_" prefix and
// lower case are accepted).
func CapBit(name string) (int, bool) {
	n := strings.ToUpper(name)
	n = strings.TrimPrefix(n, "CAP_")
	bit, ok := capabilityBits[n]
	return bit, ok
}

// CapName is the name of capability bit ("" when unknown).
func CapName(bit int) string {
	for name, b := range capabilityBits {
		if b == bit {
			return name
		}
	}
	return ""
}

// CapMask turns names into a set, one bit per capability, the form of
// /proc/PID/status's CapEff line. An unknown name is ErrInvalid.
func CapMask(names []string) (uint64, error) {
	var mask uint64
	for _, n := range names {
		bit, ok := CapBit(n)
		if !ok {
			return 0, Errorf(ErrInvalid, syscall.EINVAL, "capabilities", n, "unknown capability %q", n)
		}
		mask |= 1 << bit
	}
	return mask, nil
}

// CapNames lists the names of the capabilities in mask, by number.
func CapNames(mask uint64) []string {
	var out []string
	for bit := 0; bit <= 63; bit++ {
		if mask&(1<<bit) != 0 {
			if n := CapName(bit); n != "" {
				out = append(out, n)
			} else {
				out = append(out, "cap_"+strconv.Itoa(bit))
			}
		}
	}
	return out
}

// FullCapMask is every capability up to last (cap_last_cap).
func FullCapMask(last int) uint64 {
	if last >= 63 {
		return ^uint64(0)
	}
	return 1<<(last+1) - 1
}

// CapSets are a process's five capability sets, as /proc/PID/status
// prints them (CapInh, CapPrm, CapEff, CapBnd, CapAmb).
type CapSets struct {
	Inheritable, Permitted, Effective, Bounding, Ambient uint64
}

// StatusLines are the five lines of /proc/PID/status.
func (c CapSets) StatusLines() string {
	return fmt.Sprintf("CapInh:\t%016x\nCapPrm:\t%016x\nCapEff:\t%016x\nCapBnd:\t%016x\nCapAmb:\t%016x\n",
		c.Inheritable, c.Permitted, c.Effective, c.Bounding, c.Ambient)
}

// ParseCapSets reads the Cap* lines of a /proc/PID/status text.
func ParseCapSets(status string) (CapSets, error) {
	var c CapSets
	seen := 0
	for _, line := range strings.Split(status, "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		var dst *uint64
		switch key {
		case "CapInh":
			dst = &c.Inheritable
		case "CapPrm":
			dst = &c.Permitted
		case "CapEff":
			dst = &c.Effective
		case "CapBnd":
			dst = &c.Bounding
		case "CapAmb":
			dst = &c.Ambient
		default:
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(val), 16, 64)
		if err != nil {
			return c, fmt.Errorf("status line %q: %w", line, err)
		}
		*dst = n
		seen++
	}
	if seen != 5 {
		return c, fmt.Errorf("status text has %d of the 5 Cap lines", seen)
	}
	return c, nil
}

// ConfinedCaps are the sets a confined process ends up with, given the
// sets its starter holds: the kept capabilities where the starter has
// them, nothing ambient, nothing at all but the bounding set for a user
// other than root.
func ConfinedCaps(starter CapSets, keep []string, uid int) (CapSets, error) {
	mask, err := CapMask(keep)
	if err != nil {
		return CapSets{}, err
	}
	bnd := starter.Bounding & mask
	prm := starter.Permitted & mask
	out := CapSets{Bounding: bnd, Permitted: prm, Effective: prm, Inheritable: prm}
	if uid != 0 {
		out.Permitted, out.Effective, out.Inheritable = 0, 0, 0
	}
	return out, nil
}

// SortedCapNames returns names upper-cased without CAP_, sorted by number.
func SortedCapNames(names []string) []string {
	out := append([]string(nil), names...)
	sort.Slice(out, func(i, j int) bool {
		a, _ := CapBit(out[i])
		b, _ := CapBit(out[j])
		return a < b
	})
	return out
}

// DeviceHost is implemented by a Host that can say what the machine's
// device nodes are: `docker run --device /dev/fuse` names one, and
// --privileged gives a container every one (libcontainer's GetDevice and
// GetHostDeviceNodes read the host's /dev). Both backends implement it.
type DeviceHost interface {
	// DeviceNode describes the node at path: ErrNotFound when there is
	// nothing, ErrInvalid when it is not a device node. Permissions
	// are "rwm" and FileMode the node's permission bits.
	DeviceNode(path string) (Device, error)
	// DeviceNodes lists the nodes under /dev, without /dev/pts,
	// /dev/shm and /dev/fd, sorted by path.
	DeviceNodes() ([]Device, error)
}
