// Exported constructors of the v0.1 allocators, for tools/benchtable
// (docs/benchmarks.md: what pre-filling a channel with every address
// costs). Docker 0.1.0 kept them unexported inside network.go; nothing
// in the v0.1 daemon calls these.
package docker

import "net"

// NewIPAllocator is newIPAllocator: it pre-fills a channel with every
// host address of network except the bridge's own.
func NewIPAllocator(network *net.IPNet) (*IPAllocator, error) {
	return newIPAllocator(network)
}
