// Sort a list of ports by a caller's rule; links use it to pick the
// "default" port of a linked container (the lowest, tcp first).
//
// Upstream: nat/sort.go at v1.2.0 (Sort).
// Book: ch.12 (links).
package nat

import "sort"

// Sort orders ports in place; less(a, b) says a goes before b.
func Sort(ports []Port, less func(a, b Port) bool) {
	sort.Slice(ports, func(i, j int) bool { return less(ports[i], ports[j]) })
}
