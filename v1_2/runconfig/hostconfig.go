// HostConfig: the part of a container's configuration that only makes
// sense on this host, and the small types it is made of.
//
// Upstream: runconfig/hostconfig.go at v1.2.0 (HostConfig, NetworkMode,
// DeviceMapping, RestartPolicy), utils/utils.go at v1.2.0 (KeyValuePair).
// Book: ch.7 §7.3.
// Notes: 001 and 003 (the four network modes: bridge, host, container:<id>,
// none).
package runconfig

import (
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/nat"
)

// NetworkMode is the `--net` value: "bridge", "none", "host" or
// "container:<name|id>".
type NetworkMode string

// IsHost: the container shares the host's network namespace.
func (n NetworkMode) IsHost() bool {
	return n == "host"
}

// IsContainer: the container joins another container's namespace.
func (n NetworkMode) IsContainer() bool {
	kind, _, ok := strings.Cut(string(n), ":")
	return ok && kind == "container"
}

// DeviceMapping is one `--device host[:container[:perms]]`.
type DeviceMapping struct {
	PathOnHost        string
	PathInContainer   string
	CgroupPermissions string // "rwm" letters for the devices cgroup
}

// RestartPolicy is the `--restart` value: Name is "" (no), "always" or
// "on-failure" (with an optional retry limit; 0 means no limit).
type RestartPolicy struct {
	Name              string
	MaximumRetryCount int
}

// KeyValuePair is one `--lxc-conf key=value` (upstream: utils.KeyValuePair).
type KeyValuePair struct {
	Key   string
	Value string
}

// HostConfig is sent with POST /containers/<id>/start in 1.2 (and may
// already be in the create body); the daemon stores it next to the
// container as hostconfig.json.
type HostConfig struct {
	Binds           []string
	ContainerIDFile string
	LxcConf         []KeyValuePair
	Privileged      bool
	PortBindings    nat.PortMap
	Links           []string
	PublishAllPorts bool
	Dns             []string
	DnsSearch       []string
	VolumesFrom     []string
	Devices         []DeviceMapping
	NetworkMode     NetworkMode
	CapAdd          []string
	CapDrop         []string
	RestartPolicy   RestartPolicy
}
