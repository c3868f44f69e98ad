// Package libcontainer is a small libcontainer: the container.json a
// driver hands to the code that sets up namespaces, cgroups, mounts and
// the network, and the state.json it leaves behind while the container
// runs.
//
// Upstream: vendor/src/github.com/docker/libcontainer/config.go at v1.2.0
// (libcontainer as vendored then). See docs/upstream/v1.2.0.md §5.2.
// Book: ch.13 §13.5 (libcontainer运行) and ch.14 §14.2–14.3 (Docker,
// libcontainer and LXC; namespace, cgroup, network, mount).
// Notes: 001 "docker 和libcontainer的关系".
//
// The JSON field names are upstream's, so a reader can put the
// container.json dockerlab writes next to one Docker 1.2 wrote. What the
// kernel does with the config is not done here: dockerlab's libcontainer
// turns it into a backend.ProcSpec (namespaces/exec.go) and the backend
// does the clone, mounts and pivot_root (docs/design.md: v1_2 reaches the
// kernel only through backend).
package libcontainer

import (
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/cgroups"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/devices"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

// Config is one container's container.json.
type Config struct {
	MountConfig *MountConfig `json:"mount_config,omitempty"`

	Hostname   string   `json:"hostname,omitempty"`
	User       string   `json:"user,omitempty"` // "uid", "uid:gid" or a name in the rootfs's /etc/passwd
	WorkingDir string   `json:"working_dir,omitempty"`
	Env        []string `json:"environment,omitempty"`
	Tty        bool     `json:"tty,omitempty"`

	// Namespaces names the namespaces the process gets of its own:
	// "NEWNS", "NEWUTS", "NEWIPC", "NEWPID", "NEWNET" (clone(2) flags
	// without the CLONE_ prefix, as upstream spelled them).
	Namespaces map[string]bool `json:"namespaces,omitempty"`

	// Capabilities are the only ones the process keeps: every other one
	// leaves its bounding, permitted, effective and inheritable sets
	// before it execs (security/capabilities at v1.2.0).
	Capabilities []string `json:"capabilities,omitempty"`

	Networks []*network.Network `json:"networks,omitempty"`
	Routes   []*Route           `json:"routes,omitempty"`

	Cgroups *cgroups.Cgroup `json:"cgroups,omitempty"`

	AppArmorProfile string `json:"apparmor_profile,omitempty"`
	ProcessLabel    string `json:"process_label,omitempty"`

	// RestrictSys mounts /sys read-only, makes /proc/sys,
	// /proc/sysrq-trigger, /proc/irq and /proc/bus read-only and hides
	// /proc/kcore (security/restrict at v1.2.0). Off with --privileged.
	RestrictSys bool `json:"restrict_sys,omitempty"`
}

// MountConfig is how the container's filesystem is put together.
type MountConfig struct {
	NoPivotRoot bool    `json:"no_pivot_root,omitempty"` // MS_MOVE instead of pivot_root (ramdisks)
	ReadonlyFs  bool    `json:"readonly_fs,omitempty"`
	Mounts      []Mount `json:"mounts,omitempty"`
	MountLabel  string  `json:"mount_label,omitempty"`
	// DeviceNodes are made in the container's /dev.
	DeviceNodes []*devices.Device `json:"device_nodes,omitempty"`
}

// Mount is one extra mount; Docker 1.2 only made binds (volumes).
type Mount struct {
	Type        string `json:"type,omitempty"` // "bind"
	Source      string `json:"source,omitempty"`
	Destination string `json:"destination,omitempty"`
	Writable    bool   `json:"writable,omitempty"`
	Private     bool   `json:"private,omitempty"`
}

// Route is an extra route inside the container (Docker 1.2 added none:
// the veth strategy sets the default route itself).
type Route struct {
	Destination   string `json:"destination,omitempty"`
	Source        string `json:"source,omitempty"`
	Gateway       string `json:"gateway,omitempty"`
	InterfaceName string `json:"interface_name,omitempty"`
}

// The namespace names a Config uses.
const (
	NEWNS  = "NEWNS"
	NEWUTS = "NEWUTS"
	NEWIPC = "NEWIPC"
	NEWPID = "NEWPID"
	NEWNET = "NEWNET"
)

// KnownNamespaces lists the names Config.Namespaces may use.
var KnownNamespaces = []string{NEWNS, NEWUTS, NEWIPC, NEWPID, NEWNET}
