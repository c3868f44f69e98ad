// The netns strategy: --net=container:<id>. The container joins the
// network namespace of another running container and creates nothing.
//
// Upstream: vendor/src/github.com/docker/libcontainer/network/netns.go at
// v1.2.0 (its Initialize opened NsPath and called setns from inside
// dockerinit).
// Book: ch.14 §14.3 网络.
// Notes: 003 "Docker容器中的网络" (the container mode).
//
// Here the joining happens when the process is created: namespaces.Exec
// reads the pid from NsPath and sets ProcSpec.NetNS to that process's
// namespace, so there is nothing left to do in either half.
package network

import "github.com/dockerlab/dockerlab/backend"

// NetNS records the namespace joined.
type NetNS struct{}

func (*NetNS) Create(_ backend.Net, n *Network, _ int, state *NetworkState) error {
	state.NsPath = n.NsPath
	return nil
}

func (*NetNS) Initialize(backend.Net, *Network, *NetworkState) error { return nil }
