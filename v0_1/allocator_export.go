// Exported constructors of the v0.1 allocators, for tools/benchtable
// (docs/benchmarks.md: what pre-filling a channel with every address
// costs) and the v0.1 chapter demo.
//
// Not upstream: Docker 0.1.0 kept these constructors unexported inside
// network.go; nothing in the v0.1 daemon calls them.
package docker

import "net"

// NewIPAllocator is newIPAllocator: it pre-fills a channel with every
// host address of network except the bridge's own.
func NewIPAllocator(network *net.IPNet) (*IPAllocator, error) {
	return newIPAllocator(network)
}

// NewPortAllocator is newPortAllocator over 0.1.0's range: a channel
// pre-filled with 49153…65534 (65535 is never handed out, as upstream).
func NewPortAllocator() (*PortAllocator, error) {
	return newPortAllocator(portRangeStart, portRangeEnd)
}
