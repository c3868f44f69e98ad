// Package network gives a container its network stack: a strategy per
// entry of container.json's "networks" — loopback, veth (a pair whose one
// end joins the bridge and whose other end becomes eth0 inside), netns
// (join another container's namespace).
//
// Upstream: vendor/src/github.com/docker/libcontainer/network/types.go at
// v1.2.0, vendor/src/github.com/docker/libcontainer/network/strategy.go at
// v1.2.0, vendor/src/github.com/docker/libcontainer/network/network.go at
// v1.2.0.
// Book: ch.13 §13.5 (网络栈资源, 配置网络栈) and ch.14 §14.3 网络.
// Notes: 003 "Docker容器中的网络"; 001 "docker网络" (the container's half: create the
// veth pair, one end to the bridge, the other into the container's
// namespace).
//
// Each strategy has two halves, as upstream: Create runs in the parent,
// in the machine's own namespace, once the child exists; Initialize runs
// inside the child's namespace before the user's program starts.
// Upstream's Initialize ran in dockerinit, inside the namespace; here the
// parent does it through a backend.Net handle on the child's namespace
// (the backend's ProcSpec.Setup hook, while the child still waits).
package network

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
)

// Network is one entry of container.json's "networks".
type Network struct {
	Type       string `json:"type,omitempty"`        // "loopback", "veth" or "netns"
	NsPath     string `json:"ns_path,omitempty"`     // netns: /proc/<pid>/ns/net of the container to join
	Bridge     string `json:"bridge,omitempty"`      // veth: the bridge the host end joins
	VethPrefix string `json:"veth_prefix,omitempty"` // veth: "veth"
	Address    string `json:"address,omitempty"`     // CIDR, e.g. 172.17.0.2/16
	Gateway    string `json:"gateway,omitempty"`     // veth: the default route's next hop
	Mtu        int    `json:"mtu,omitempty"`
}

// NetworkState is what the strategies made, saved in state.json.
type NetworkState struct {
	VethHost  string `json:"veth_host,omitempty"`
	VethChild string `json:"veth_child,omitempty"`
	NsPath    string `json:"ns_path,omitempty"`
}

// Strategy sets up one kind of network.
type Strategy interface {
	// Create runs in the machine's namespace (root) once the container's
	// process exists with pid nspid.
	Create(root backend.Net, n *Network, nspid int, state *NetworkState) error
	// Initialize runs in the container's namespace (ns).
	Initialize(ns backend.Net, n *Network, state *NetworkState) error
}

var strategies = map[string]Strategy{
	"loopback": &Loopback{},
	"veth":     &Veth{},
	"netns":    &NetNS{},
}

// GetStrategy returns the strategy for a network type.
func GetStrategy(kind string) (Strategy, error) {
	s, ok := strategies[kind]
	if !ok {
		return nil, fmt.Errorf("unknown network strategy %q (want loopback, veth or netns)", kind)
	}
	return s, nil
}

// NsPathPid reads the pid out of "/proc/<pid>/ns/net", the only kind of
// NsPath Docker 1.2 wrote. The backend joins a namespace by pid
// (backend.NSPid), never by opening a path of the machine.
func NsPathPid(nsPath string) (int, error) {
	rest, ok := strings.CutPrefix(nsPath, "/proc/")
	if ok {
		pidText, tail, _ := strings.Cut(rest, "/")
		if pid, err := strconv.Atoi(pidText); err == nil && pid > 0 && tail == "ns/net" {
			return pid, nil
		}
	}
	return 0, fmt.Errorf("netns: ns_path %q is not of the form /proc/<pid>/ns/net", nsPath)
}
