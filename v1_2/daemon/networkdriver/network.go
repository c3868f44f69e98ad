// Package networkdriver holds the address arithmetic and the overlap checks
// the bridge driver uses to pick a free range for docker0.
//
// Upstream: daemon/networkdriver/network.go at v1.2.0,
// daemon/networkdriver/utils.go at v1.2.0. See docs/upstream/v1.2.0.md §3.1
// (createBridge) and §3.6 (network_test.go).
// Book: ch.6 §6.4.
// Notes: 000 "创建Docker网络设备": docker0 gets the first candidate range that
// overlaps neither a nameserver nor an existing route.
package networkdriver

import "errors"

// The two reasons a candidate range is refused.
var (
	ErrNetworkOverlapsWithNameservers = errors.New("requested network overlaps with nameserver")
	ErrNetworkOverlaps                = errors.New("requested network overlaps with existing network")
)
