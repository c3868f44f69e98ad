// What of a container's confinement this machine can enforce (book ch.14
// §14.3 其他; docs/divergences.md "What is and is not a security
// boundary here"): capabilities (the bounding set needs nothing but root),
// the devices cgroup (a v1 controller, or on v2 an eBPF program the kernel
// must agree to load — where it will not, unprivileged containers are
// refused), /proc and /sys restrictions (read-only bind mounts: always),
// and the LSMs Docker 1.2 used, which dockerlab only records.
package doctor

import (
	"fmt"
	"strings"
)

// CheckCapabilities reports the capability sets dockerlab can give: a
// container keeps its list, cut to what the daemon (root) holds.
func CheckCapabilities(e Env) Check {
	c := Check{Name: "capabilities"}
	if e.GOOS != "linux" {
		c.Status, c.Found = Warn, "not checked (not Linux); the fake backend models them"
		return c
	}
	b, err := e.ReadFile("/proc/self/status")
	if err != nil {
		c.Status, c.Found = Warn, "cannot read /proc/self/status: "+err.Error()
		return c
	}
	bnd := ""
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "CapBnd:"); ok {
			bnd = strings.TrimSpace(v)
		}
	}
	if e.Euid != 0 {
		c.Status, c.Found = Warn, "not root: cannot start containers, so none to confine (bounding set "+bnd+")"
		return c
	}
	c.Status = OK
	c.Found = fmt.Sprintf("enforced: bounding, permitted, effective and inheritable cut to the container's list, ambient emptied; at most this process's bounding set %s", bnd)
	return c
}

// CheckDevices says how the devices a container may open are limited.
func CheckDevices(e Env) Check {
	c := Check{Name: "devices"}
	if e.GOOS != "linux" {
		c.Status, c.Found = Warn, "not checked (not Linux); the fake backend models the devices cgroup"
		return c
	}
	mode, err := e.CgroupMode()
	if err != nil {
		c.Status, c.Found = Warn, "cgroups not found: "+err.Error()
		c.Hint = "without a devices cgroup a container is refused unless --privileged"
		return c
	}
	if mode == "v2" {
		switch {
		case e.Euid != 0 || e.ProbeDeviceFilter == nil:
			c.Status, c.Found = OK, "cgroup v2: an eBPF device program per container (not tried: needs root)"
		default:
			if err := e.ProbeDeviceFilter(); err != nil {
				c.Status = Warn
				c.Found = "cgroup v2: this kernel would not load the eBPF device program (" + err.Error() + ") — containers that are not --privileged are refused"
				c.Hint = "a kernel with CONFIG_BPF_SYSCALL and CONFIG_CGROUP_BPF, or cgroup v1 (systemd.unified_cgroup_hierarchy=0)"
				return c
			}
			c.Status, c.Found = OK, "enforced: cgroup v2 eBPF device program (loaded a test program)"
		}
		return c
	}
	b, err := e.ReadFile("/proc/cgroups")
	if err == nil {
		if cs, err := ParseProcCgroups(string(b)); err == nil {
			for _, ctl := range cs {
				if ctl.Name == "devices" && ctl.Enabled && ctl.Hierarchy != 0 {
					c.Status, c.Found = OK, "enforced: devices cgroup v1 (deny all, then 1.2's allow list and --device)"
					return c
				}
			}
		}
	}
	c.Status, c.Found = Warn, "cgroup "+mode+" without a mounted devices controller — containers that are not --privileged are refused"
	c.Hint = "mount it: mount -t cgroup -o devices cgroup /sys/fs/cgroup/devices"
	return c
}

// CheckProcSys: /proc and /sys restrictions are read-only bind mounts in
// the container's mount namespace, which every kernel dockerlab runs on
// can make.
func CheckProcSys(e Env) Check {
	c := Check{Name: "/proc, /sys", Status: OK}
	if e.GOOS != "linux" {
		c.Status, c.Found = Warn, "not checked (not Linux); the fake backend models them"
		return c
	}
	c.Found = "enforced: /proc/sys, sysrq-trigger, irq, bus read-only, kcore masked, /sys read-only (lifted by --privileged)"
	return c
}

// CheckLSM reports AppArmor and SELinux. Docker 1.2 loaded the AppArmor
// profile docker-default; dockerlab records the profile name in
// container.json and loads nothing: informative only.
func CheckLSM(e Env) Check {
	c := Check{Name: "lsm", Status: OK}
	aa := "AppArmor absent"
	if b, err := e.ReadFile("/sys/module/apparmor/parameters/enabled"); err == nil && strings.TrimSpace(string(b)) == "Y" {
		aa = "AppArmor enabled"
	}
	se := "SELinux absent"
	if e.Exists("/sys/fs/selinux/enforce") {
		se = "SELinux present"
	}
	c.Found = aa + ", " + se + " (recorded only: dockerlab loads no profile or label; docs/divergences.md)"
	return c
}
