// Options of the real-kernel backend (linux.md brief; design.md "The
// backend": the sandbox namespace). Kept free of build tags so callers on
// any OS can fill them in; New itself needs Linux.

package linux

import "github.com/dockerlab/dockerlab/backend"

// Options configure a Host.
type Options struct {
	// Sandbox makes the root network namespace the persistent sandbox
	// namespace SandboxName instead of the machine's own. DefaultOptions
	// turns it on; only an explicit --sandbox=false turns it off.
	// Beware: with Sandbox false and no NetNSPath the Host works on the
	// machine's real interfaces and iptables. Start from DefaultOptions.
	Sandbox bool
	// SandboxName names the sandbox; it lives at /run/netns/<name> so that
	// `ip netns exec <name> …` works. It is created on first use.
	SandboxName string
	// NetNSPath, when set, is an existing namespace file used as the root
	// namespace (tests make a throwaway one). It wins over Sandbox.
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
		Sandbox:      true,
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

// SandboxPath is the namespace file of the sandbox called name.
func SandboxPath(name string) string { return SandboxDir + "/" + name }
