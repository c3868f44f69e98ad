// The checks, one function each, in report order. FAIL is kept for what
// stops the linux backend outright (not Linux, not root, no network
// namespaces, no bridge or veth); everything else warns, because the
// backend still starts and only some chapters miss it.
package doctor

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

const fakeHint = "the fake backend (--backend fake, the default) needs none of this"

// CheckOS: namespaces, cgroups and netlink are Linux's.
func CheckOS(e Env) Check {
	c := Check{Name: "os", Found: e.GOOS}
	if e.GOOS == "linux" {
		c.Status = OK
		return c
	}
	c.Status = Fail
	c.Found += ": the linux backend needs a Linux kernel"
	c.Hint = "use a Linux VM for --backend linux; " + fakeHint
	return c
}

// CheckRoot: creating namespaces, links and cgroups needs root (Docker's
// daemon refused to start otherwise, book ch.4 §4.4 系统支持/权限).
func CheckRoot(e Env) Check {
	c := Check{Name: "root"}
	if e.Euid == 0 {
		c.Status, c.Found = OK, "running as root (uid 0)"
		return c
	}
	c.Status = Fail
	c.Found = fmt.Sprintf("running as uid %d, not root", e.Euid)
	c.Hint = "run the linux backend as root (sudo dockerlab --backend linux ...); " + fakeHint
	return c
}

// CheckKernel reports the release; anything 4.x or newer has what we use.
func CheckKernel(e Env) Check {
	c := Check{Name: "kernel"}
	b, err := e.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		c.Status, c.Found = Warn, "cannot read the kernel release: "+err.Error()
		return c
	}
	rel := strings.TrimSpace(string(b))
	c.Found = "Linux " + rel
	major, _ := strconv.Atoi(strings.SplitN(rel, ".", 2)[0])
	if major < 4 {
		c.Status = Warn
		c.Hint = "dockerlab is tested on Linux 6.x; overlayfs and cgroup features may be missing"
		return c
	}
	c.Status = OK
	return c
}

// CheckNetNS: the sandbox is a network namespace.
func CheckNetNS(e Env) Check {
	c := Check{Name: "netns"}
	if e.Exists("/proc/self/ns/net") {
		c.Status, c.Found = OK, "network namespaces available (/proc/self/ns/net)"
		return c
	}
	c.Status, c.Found = Fail, "no /proc/self/ns/net: kernel without network namespaces"
	c.Hint = "use a kernel built with CONFIG_NET_NS=y"
	return c
}

// CheckCgroups reports the mode (reference §4) and the controllers that
// `docker run -m -c --cpuset` and pause need.
func CheckCgroups(e Env) Check {
	c := Check{Name: "cgroups"}
	mode, err := e.CgroupMode()
	if err != nil {
		c.Status, c.Found = Warn, err.Error()
		c.Hint = "mount cgroups at /sys/fs/cgroup (v1 or v2); containers then run without limits"
		return c
	}
	var have []string
	want := []string{"cpu", "cpuset", "memory", "pids"}
	if mode == "v2" {
		b, err := e.ReadFile("/sys/fs/cgroup/cgroup.controllers")
		if err == nil {
			have = ParseControllers(string(b))
		}
	} else {
		want = append(want, "freezer") // v2 freezes with cgroup.freeze, v1 needs the controller
		b, err := e.ReadFile("/proc/cgroups")
		if err == nil {
			cs, perr := ParseProcCgroups(string(b))
			if perr == nil {
				have = V1Controllers(cs)
			}
		}
	}
	c.Found = mode + ": " + strings.Join(have, " ")
	if mode == "hybrid" {
		if b, err := e.ReadFile("/sys/fs/cgroup/unified/cgroup.controllers"); err == nil {
			v2 := ParseControllers(string(b))
			c.Found += "; unified (v2): " + strings.Join(v2, " ")
			if len(v2) == 0 {
				c.Found += "(none)"
			}
		}
	}
	var missing []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		c.Status = Warn
		c.Found += "; missing " + strings.Join(missing, " ")
		c.Hint = "limits that need " + strings.Join(missing, ", ") + " will fail; enable the controllers in the kernel or boot options"
		return c
	}
	c.Status = OK
	return c
}

// sbinDirs are where distributions install iptables: on root's PATH, not
// on an ordinary user's (Debian gives users /usr/local/bin:/usr/bin:/bin).
var sbinDirs = []string{"/usr/sbin", "/sbin", "/usr/local/sbin"}

// CheckIPTables finds iptables and says which mode it drives (reference §2).
// Without root it is usually installed but off PATH (in /usr/sbin): that is
// said as such, not as "install iptables".
func CheckIPTables(e Env) Check {
	c := Check{Name: "iptables"}
	p, err := e.LookPath("iptables")
	offPath := ""
	if err != nil {
		for _, dir := range sbinDirs {
			if e.Exists(dir + "/iptables") {
				p, offPath = dir+"/iptables", dir
				break
			}
		}
	}
	if p == "" {
		c.Status, c.Found = Warn, "iptables not found on PATH nor in "+strings.Join(sbinDirs, ", ")
		c.Hint = "apt-get install iptables (the bridge driver's NAT and port mapping need it)"
		return c
	}
	out, err := e.Output(p, "--version")
	if err != nil {
		c.Status, c.Found = Warn, fmt.Sprintf("%s --version failed: %v %s", p, err, out)
		c.Hint = "reinstall iptables (apt-get install --reinstall iptables)"
		return c
	}
	v, mode, err := ParseIPTablesVersion(out)
	if err != nil {
		c.Status, c.Found = Warn, err.Error()
		return c
	}
	c.Status = OK
	c.Found = fmt.Sprintf("%s v%s (%s)", p, v, mode)
	if offPath != "" {
		c.Found += fmt.Sprintf("; installed, but %s is not on your PATH (it is on root's, which the linux backend runs as)", offPath)
	}
	return c
}

// CheckIPForward shows the host's value. dockerlab never changes it: the
// linux backend sets ip_forward inside its sandbox namespace only.
func CheckIPForward(e Env) Check {
	c := Check{Name: "ip_forward", Status: OK}
	b, err := e.ReadFile("/proc/sys/net/ipv4/ip_forward")
	if err != nil {
		c.Status, c.Found = Warn, "cannot read /proc/sys/net/ipv4/ip_forward: "+err.Error()
		return c
	}
	c.Found = "host net.ipv4.ip_forward=" + strings.TrimSpace(string(b)) + " (informative: dockerlab only sets it in its sandbox)"
	return c
}

// CheckForwardPolicy shows the host's FORWARD policy (reading it needs
// root). Informative, like ip_forward: the sandbox has its own tables.
func CheckForwardPolicy(e Env) Check {
	c := Check{Name: "FORWARD policy", Status: OK}
	if e.Euid != 0 {
		c.Found = "not checked (reading iptables needs root)"
		return c
	}
	p, err := e.LookPath("iptables")
	if err != nil {
		c.Found = "not checked (no iptables)"
		return c
	}
	out, err := e.Output(p, "-S", "FORWARD")
	if err != nil {
		c.Status, c.Found = Warn, fmt.Sprintf("iptables -S FORWARD failed: %v %s", err, out)
		return c
	}
	pol, err := ParseChainPolicy(out, "FORWARD")
	if err != nil {
		c.Status, c.Found = Warn, err.Error()
		return c
	}
	c.Found = "host filter FORWARD policy " + pol + " (informative: the sandbox has its own tables)"
	return c
}

// CheckBridgeVeth: Docker's network is a bridge with a veth pair per
// container. As root we really make them, in a throwaway namespace;
// otherwise we look for the kernel modules.
func CheckBridgeVeth(e Env) Check {
	c := Check{Name: "bridge+veth"}
	if e.GOOS != "linux" {
		c.Status, c.Found = Warn, "not checked (not Linux)"
		return c
	}
	if e.Euid == 0 {
		if err := e.ProbeLinks(); err != nil {
			c.Status, c.Found = Fail, "cannot create a bridge and a veth pair: "+err.Error()
			c.Hint = "load the modules: modprobe bridge veth (CONFIG_BRIDGE, CONFIG_VETH)"
			return c
		}
		c.Status, c.Found = OK, "created a bridge and a veth pair in a throwaway namespace"
		return c
	}
	var missing []string
	for _, m := range []struct{ name, file string }{
		{"bridge", "kernel/net/bridge/bridge.ko"},
		{"veth", "kernel/drivers/net/veth.ko"},
	} {
		if !moduleAvailable(e, m.name, m.file) {
			missing = append(missing, m.name)
		}
	}
	if len(missing) == 0 {
		c.Status, c.Found = OK, "bridge and veth modules available (not tried: needs root)"
		return c
	}
	c.Status = Warn
	c.Found = "cannot see module " + strings.Join(missing, ", ") + " (not tried: needs root)"
	c.Hint = "it may be built in; run `sudo dockerlab doctor` to try for real"
	return c
}

// moduleAvailable looks for a module loaded (/sys/module), built in
// (modules.builtin) or installed (the .ko under /lib/modules).
func moduleAvailable(e Env, name, file string) bool {
	if e.Exists("/sys/module/" + name) {
		return true
	}
	if b, err := e.ReadFile("/proc/modules"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, name+" ") {
				return true
			}
		}
	}
	rel, err := e.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return false
	}
	dir := path.Join("/lib/modules", strings.TrimSpace(string(rel)))
	if b, err := e.ReadFile(path.Join(dir, "modules.builtin")); err == nil && strings.Contains(string(b), file) {
		return true
	}
	for _, ext := range []string{"", ".xz", ".zst", ".gz"} {
		if e.Exists(path.Join(dir, file+ext)) {
			return true
		}
	}
	return false
}

// CheckOverlay: image layers are stacked with overlayfs (AUFS is gone).
func CheckOverlay(e Env) Check {
	c := Check{Name: "overlayfs"}
	b, err := e.ReadFile("/proc/filesystems")
	if err == nil && slices.Contains(ParseFilesystems(string(b)), "overlay") {
		c.Status, c.Found = OK, "overlay in /proc/filesystems"
		return c
	}
	c.Status = Warn
	if moduleAvailable(e, "overlay", "kernel/fs/overlayfs/overlay.ko") {
		c.Found = "overlay module present but not loaded"
		c.Hint = "modprobe overlay"
		return c
	}
	c.Found = "no overlayfs in this kernel"
	c.Hint = "image layers need overlayfs (CONFIG_OVERLAY_FS); the vfs driver still works"
	return c
}

// CheckBusybox: the demo image is one static busybox.
func CheckBusybox(e Env) Check {
	c := Check{Name: "busybox"}
	p := e.Getenv("DOCKERLAB_BUSYBOX")
	if p == "" {
		p = "/bin/busybox"
	}
	if !e.Exists(p) {
		c.Status, c.Found = Warn, p+" not found"
		c.Hint = "apt-get install busybox-static, or set DOCKERLAB_BUSYBOX=/path/to/static/busybox"
		return c
	}
	static, err := e.IsStaticELF(p)
	switch {
	case err != nil:
		c.Status, c.Found = Warn, p+": not an ELF binary ("+err.Error()+")"
		c.Hint = "point DOCKERLAB_BUSYBOX at a static busybox binary"
	case !static:
		c.Status, c.Found = Warn, p+" is dynamically linked: it cannot run alone in a container rootfs"
		c.Hint = "apt-get install busybox-static (it replaces busybox), or set DOCKERLAB_BUSYBOX"
	default:
		c.Status, c.Found = OK, p+" (static)"
	}
	return c
}

// CheckDockerCLI: any modern docker CLI can drive the v1.2 daemon, which
// speaks Remote API 1.14. Optional.
func CheckDockerCLI(e Env) Check {
	c := Check{Name: "docker CLI"}
	p, err := e.LookPath("docker")
	if err != nil {
		c.Status, c.Found = Warn, "docker not on PATH (optional)"
		c.Hint = "to drive the v1.2 daemon with the stock client: apt-get install docker.io (only the CLI is used)"
		return c
	}
	out, err := e.Output(p, "--version")
	if err != nil {
		c.Status, c.Found = Warn, fmt.Sprintf("%s --version failed: %v", p, err)
		return c
	}
	c.Status, c.Found = OK, out
	return c
}
