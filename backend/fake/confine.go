// Confinement in the simulated kernel: a process's capability sets, the
// devices cgroup, the device nodes of a container's /dev and the read-only
// parts of /proc and /sys (docs/design.md "Safety of what users run"; book
// ch.14 §14.3 其他; backend/security.go). The fake makes the decisions the
// kernel makes, at the same places: a missing capability is EPERM where
// the syscall checks it (sethostname, netlink and netfilter writes, mknod,
// chown, mount), a device the cgroup does not allow is EPERM at open or
// mknod, and a write under a read-only /proc path is EROFS.
package fake

import (
	"sort"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// fakeLastCap is the fake kernel's cap_last_cap (CAP_CHECKPOINT_RESTORE,
// as on Linux 5.9 and later).
const fakeLastCap = backend.LastCap

// mountNS is what the fake keeps of a container's mount namespace: its
// /dev (the nodes made in it) and whether /proc and /sys are restricted.
type mountNS struct {
	Nodes       map[string]backend.Device `json:"nodes"`                  // by path: "/dev/null"
	RestrictSys bool                      `json:"restrict_sys,omitempty"` // read-only /proc/sys…, masked kcore
	SysRW       bool                      `json:"sys_rw,omitempty"`       // /sys writable (--privileged)
}

// machineDevices are the fake machine's own device nodes: what a QEMU VM
// shows in /dev, with the numbers Linux gives them.
var machineDevices = []backend.Device{
	{Path: "/dev/console", Type: 'c', Major: 5, Minor: 1, FileMode: 0o600},
	{Path: "/dev/full", Type: 'c', Major: 1, Minor: 7, FileMode: 0o666},
	{Path: "/dev/fuse", Type: 'c', Major: 10, Minor: 229, FileMode: 0o666},
	{Path: "/dev/kmsg", Type: 'c', Major: 1, Minor: 11, FileMode: 0o644},
	{Path: "/dev/loop0", Type: 'b', Major: 7, Minor: 0, FileMode: 0o660},
	{Path: "/dev/mem", Type: 'c', Major: 1, Minor: 1, FileMode: 0o640},
	{Path: "/dev/net/tun", Type: 'c', Major: 10, Minor: 200, FileMode: 0o666},
	{Path: "/dev/null", Type: 'c', Major: 1, Minor: 3, FileMode: 0o666},
	{Path: "/dev/ptmx", Type: 'c', Major: 5, Minor: 2, FileMode: 0o666},
	{Path: "/dev/random", Type: 'c', Major: 1, Minor: 8, FileMode: 0o666},
	{Path: "/dev/tty", Type: 'c', Major: 5, Minor: 0, FileMode: 0o666},
	{Path: "/dev/tty0", Type: 'c', Major: 4, Minor: 0, FileMode: 0o620},
	{Path: "/dev/tty1", Type: 'c', Major: 4, Minor: 1, FileMode: 0o620},
	{Path: "/dev/urandom", Type: 'c', Major: 1, Minor: 9, FileMode: 0o666},
	{Path: "/dev/vda", Type: 'b', Major: 254, Minor: 0, FileMode: 0o660},
	{Path: "/dev/vda1", Type: 'b', Major: 254, Minor: 1, FileMode: 0o660},
	{Path: "/dev/zero", Type: 'c', Major: 1, Minor: 5, FileMode: 0o666},
}

var _ backend.DeviceHost = (*Kernel)(nil)

// DeviceNode describes a device node of the fake machine.
func (k *Kernel) DeviceNode(path string) (backend.Device, error) {
	for _, d := range machineDevices {
		if d.Path == path {
			d.Permissions = "rwm"
			return d, nil
		}
	}
	if path == "/dev" || path == "/dev/net" {
		return backend.Device{}, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "device", path, "%s is not a device node", path)
	}
	return backend.Device{}, backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "stat", path, "no such device node on the fake machine")
}

// DeviceNodes lists the fake machine's device nodes.
func (k *Kernel) DeviceNodes() ([]backend.Device, error) {
	out := make([]backend.Device, 0, len(machineDevices))
	for _, d := range machineDevices {
		d.Permissions = "rwm"
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// machineDevice says whether the machine has a driver for typ major:minor
// (opening a node with other numbers is ENXIO).
func machineDevice(typ rune, major, minor int64) (backend.Device, bool) {
	for _, d := range machineDevices {
		if d.Type == typ && d.Major == major && d.Minor == minor {
			return d, true
		}
	}
	return backend.Device{}, false
}

// fullCaps are the sets of a root process nothing has confined.
func fullCaps() backend.CapSets {
	all := backend.FullCapMask(fakeLastCap)
	return backend.CapSets{Permitted: all, Effective: all, Bounding: all}
}

// startCaps are the sets a started process runs with.
func startCaps(spec backend.ProcSpec) (backend.CapSets, error) {
	if spec.Confine == nil {
		c := fullCaps()
		if spec.Uid != 0 {
			c.Permitted, c.Effective = 0, 0
		}
		return c, nil
	}
	return backend.ConfinedCaps(fullCaps(), spec.Confine.Capabilities, spec.Uid)
}

// newMountNS records a started container's /dev and restrictions.
func newMountNS(spec backend.ProcSpec) *mountNS {
	ns := &mountNS{Nodes: map[string]backend.Device{}}
	if spec.Confine == nil || spec.Confine.DeviceNodes == nil {
		for _, d := range backend.DefaultNodes {
			ns.Nodes[d.Path] = d
		}
	} else {
		for _, d := range spec.Confine.DeviceNodes {
			ns.Nodes[d.Path] = d
		}
	}
	if spec.Confine != nil {
		ns.RestrictSys = spec.Confine.RestrictSys
		ns.SysRW = !spec.Confine.RestrictSys
	}
	return ns
}

// validConfine refuses a Confinement the kernel could not apply.
func validConfine(spec backend.ProcSpec) error {
	c := spec.Confine
	if c == nil {
		return nil
	}
	if _, err := backend.CapMask(c.Capabilities); err != nil {
		return err
	}
	for _, d := range c.DeviceNodes {
		if err := backend.ValidNode(d); err != nil {
			return err
		}
	}
	return nil
}

// capable says whether the process has cap in its effective set.
func (rec *procRec) capable(name string) bool {
	bit, ok := backend.CapBit(name)
	return ok && rec.Caps.Effective&(1<<bit) != 0
}

// devicesAllow is the devices cgroup's decision for a process: every
// cgroup from its own up to the root that has a list must allow access.
func (m *machine) devicesAllow(rec *procRec, typ rune, major, minor int64, access rune) bool {
	p := rec.Cgroup
	for {
		if g, ok := m.Cgroups[p]; ok && g.Res.Devices != nil {
			if !backend.DevicesAllow(g.Res.Devices, typ, major, minor, access) {
				return false
			}
		}
		if p == "" {
			return true
		}
		p = parentOf(p)
	}
}

// eperm is the error of a refused operation.
func eperm(op, object string) error { return backend.ErrnoError(syscall.EPERM, op, object) }
