// Options of the real-kernel backend (docs/architecture.md; docs/design.md "The
// backend": the sandbox namespace). Kept free of build tags so callers on
// any OS can fill them in; New itself needs Linux.

package linux

import "github.com/dockerlab/dockerlab/backend"

// Options configure a Host.
type Options struct {
	// HostNetwork makes the root network namespace the machine's own
	// instead of the persistent sandbox namespace SandboxName: the Host
	// then works on the real interfaces and iptables of the VM. It is an
	// opt-in (the CLI's --sandbox=false) so that the zero Options value,
	// and any caller that forgets a field, stays inside the sandbox.
	HostNetwork bool
	// SandboxName names the sandbox; it lives at /run/netns/<name> so that
	// `ip netns exec <name> …` works. It is created on first use.
	SandboxName string
	// NetNSPath, when set, is an existing namespace file used as the root
	// namespace (tests make a throwaway one). It wins over HostNetwork and the sandbox.
	NetNSPath string
	// RunDir holds the named namespaces of NewNetNS (<RunDir>/netns/<name>,
	// never /run/netns, so they cannot collide with iproute2's) and the
	// registry of started processes (<RunDir>/procs).
	RunDir string
	// CgroupRoot is where cgroupfs is mounted.
	CgroupRoot string
	// CgroupMode is "" to detect it from CgroupRoot.
	CgroupMode backend.CgroupMode
	// CgroupParent is the cgroup every path is created under.
	CgroupParent string
	// IPTablesPath is the iptables binary; "" looks up "iptables" in PATH.
	IPTablesPath string
}

// Defaults.
const (
	DefaultSandboxName  = "dockerlab"
	DefaultRunDir       = "/run/dockerlab"
	DefaultCgroupRoot   = "/sys/fs/cgroup"
	DefaultCgroupParent = "dockerlab"
	// SandboxDir is where the sandbox is bind-mounted: iproute2's directory.
	SandboxDir = "/run/netns"
)

// DefaultOptions work inside the sandbox namespace "dockerlab".
func DefaultOptions() Options {
	return Options{
		SandboxName:  DefaultSandboxName,
		RunDir:       DefaultRunDir,
		CgroupRoot:   DefaultCgroupRoot,
		CgroupParent: DefaultCgroupParent,
	}
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.SandboxName == "" {
		o.SandboxName = DefaultSandboxName
	}
	if o.RunDir == "" {
		o.RunDir = DefaultRunDir
	}
	if o.CgroupRoot == "" {
		o.CgroupRoot = DefaultCgroupRoot
	}
	if o.CgroupParent == "" {
		o.CgroupParent = DefaultCgroupParent
	}
	return o
}

// SandboxCgroupParent is the cgroup parent of the sandbox called name:
// "dockerlab" for the default sandbox (the book's /sys/fs/cgroup/<ctrl>/
// docker/<id>, renamed), "dockerlab-<name>" for any other. Siblings, not
// nested: resetting one sandbox removes the empty cgroups under its own
// parent only, never a container cgroup another sandbox's daemon has just
// made and not yet joined.
func SandboxCgroupParent(name string) string {
	if name == "" || name == DefaultSandboxName {
		return DefaultCgroupParent
	}
	return DefaultCgroupParent + "-" + name
}

// SandboxPath is the namespace file of the sandbox called name.
func SandboxPath(name string) string { return SandboxDir + "/" + name }
