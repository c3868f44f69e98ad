// NetworkSettings: what the bridge driver gave a container (its address,
// gateway, bridge) and which of its ports are published where.
//
// Upstream: daemon/network_settings.go at v1.2.0 (PortMapping,
// NetworkSettings, PortMappingAPI).
// Book: ch.7 §7.4 (Daemon创建/启动容器之网络: allocateNetwork fills these fields from
// the allocate_interface and allocate_port jobs' answers).
// Notes: 000 "bridge桥接模式".
//
// The settings are saved in the container's config.json, so their field
// names are the JSON keys `docker inspect` shows under "NetworkSettings".
package daemon

import (
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/nat"
)

// PortMapping is the pre-0.6.5 record of published ports ("80" → "49153").
// Docker 1.2 still carried the field so that old config.json files load;
// allocateNetwork clears it and nothing fills it any more.
type PortMapping map[string]string

// NetworkSettings of a running container; all zero when it is stopped or
// when its network mode gave it no interface of its own (host, none,
// container:<id>).
type NetworkSettings struct {
	IPAddress   string
	IPPrefixLen int
	Gateway     string
	Bridge      string
	PortMapping map[string]PortMapping // deprecated, kept for old files
	Ports       nat.PortMap
}

// PortMappingAPI is the "Ports" column of the containers job (docker ps):
// one row per published binding, and one row without PublicPort for an
// exposed port that is not published. Rows come out in map order, as
// upstream's did; the client sorts them.
func (settings *NetworkSettings) PortMappingAPI() *engine.Table {
	outs := engine.NewTable("", 0)
	if settings == nil {
		return outs
	}
	for port, bindings := range settings.Ports {
		private, _ := nat.ParsePort(port.Port())
		if len(bindings) == 0 {
			out := &engine.Env{}
			out.SetInt("PrivatePort", private)
			out.Set("Type", port.Proto())
			outs.Add(out)
			continue
		}
		for _, binding := range bindings {
			public, _ := nat.ParsePort(binding.HostPort)
			out := &engine.Env{}
			out.SetInt("PrivatePort", private)
			out.SetInt("PublicPort", public)
			out.Set("Type", port.Proto())
			out.Set("IP", binding.HostIp)
			outs.Add(out)
		}
	}
	return outs
}
