// Package template is the starting point of every native container's
// config: the capabilities a container keeps, the five namespaces, the
// cgroup parent, /sys read-only.
//
// Upstream: daemon/execdriver/native/template/default_template.go at v1.2.0
// (New). See docs/upstream/v1.2.0.md §5.2 (createContainer).
// Book: ch.14 §14.3 (namespace, cgroup, 其他: capabilities).
// Notes: 003 "命名空间".
package template

import (
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/cgroups"
)

// DefaultCapabilities is what a container that is not --privileged keeps:
// enough to be root in its own little machine (chown files, bind low
// ports, use raw sockets, setuid), not enough to load modules, mount, or
// change the clock.
var DefaultCapabilities = []string{
	"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
	"SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
	"SYS_CHROOT", "KILL", "AUDIT_WRITE",
}

// CgroupParent is where containers' cgroups go: "docker" upstream.
const CgroupParent = "dockerlab"

// New returns a fresh default config.
func New() *libcontainer.Config {
	return &libcontainer.Config{
		Capabilities: append([]string(nil), DefaultCapabilities...),
		Namespaces: map[string]bool{
			libcontainer.NEWNS:  true,
			libcontainer.NEWUTS: true,
			libcontainer.NEWIPC: true,
			libcontainer.NEWPID: true,
			libcontainer.NEWNET: true,
		},
		Cgroups: &cgroups.Cgroup{
			Parent:          CgroupParent,
			AllowAllDevices: false,
		},
		MountConfig: &libcontainer.MountConfig{},
		// Upstream set AppArmorProfile "docker-default" when AppArmor
		// was enabled; dockerlab loads no AppArmor profile.
	}
}
