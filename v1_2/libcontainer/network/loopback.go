// The loopback strategy: bring lo up inside the container (a new network
// namespace starts with lo down).
//
// Upstream: vendor/src/github.com/docker/libcontainer/network/loopback.go at
// v1.2.0.
// Book: ch.13 §13.5 配置网络栈; ch.14 §14.3 网络.
package network

import (
	"fmt"

	"github.com/dockerlab/dockerlab/backend"
)

// Loopback brings lo up; it creates nothing.
type Loopback struct{}

func (*Loopback) Create(backend.Net, *Network, int, *NetworkState) error { return nil }

func (*Loopback) Initialize(ns backend.Net, _ *Network, _ *NetworkState) error {
	if err := ns.LinkSetUp("lo"); err != nil {
		return fmt.Errorf("lo up: %w", err)
	}
	return nil
}
