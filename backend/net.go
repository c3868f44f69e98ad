// Net: one network namespace's links, addresses, routes, netfilter tables and
// net.* sysctls (docs/design.md "The backend"). Everything in Linux networking that
// Docker touched is per network namespace, which is what lets the real
// backend work inside a sandbox namespace and never on the host's own.
package backend

import "net"

// Net is a handle on one network namespace. Names are interface names
// (at most 15 bytes, as IFNAMSIZ allows); an operation on a missing link
// fails with ErrNotFound, a duplicate with ErrExists, and so on, exactly as
// the table in reference docs/kernels.md §6 lists.
type Net interface {
	// Ref says which namespace this is.
	Ref() NSRef

	// Links (`ip link`).
	AddBridge(name string, mtu int) error       // ip link add NAME type bridge
	AddVeth(name, peer string, mtu int) error   // ip link add NAME type veth peer name PEER
	LinkDel(name string) error                  // deleting one veth end deletes its peer
	LinkByName(name string) (Link, error)       // ErrNotFound when missing
	LinkList() ([]Link, error)                  // in ifindex order
	LinkSetUp(name string) error                // ip link set NAME up
	LinkSetDown(name string) error              // ip link set NAME down
	LinkSetMaster(name, bridge string) error    // ip link set NAME master BRIDGE
	LinkSetNoMaster(name string) error          // ip link set NAME nomaster
	LinkSetName(name, newName string) error     // ip link set NAME name NEW (callers set it down first)
	LinkSetMTU(name string, mtu int) error      // ip link set NAME mtu N
	LinkSetNs(name string, target NSRef) error  // ip link set NAME netns TARGET: the link arrives down, without addresses
	AddrAdd(link string, addr *net.IPNet) error // ip addr add ADDR dev LINK
	AddrDel(link string, addr *net.IPNet) error // ip addr del ADDR dev LINK
	AddrList(link string) ([]Addr, error)       // "" lists every link's addresses
	RouteAdd(r Route) error                     // ip route add; Dst nil or 0.0.0.0/0 means default
	RouteDel(r Route) error                     // ip route del
	RouteList() ([]Route, error)                // the main table, connected routes included

	// IPTables is the namespace's netfilter, tables nat and filter.
	IPTables() IPTables

	// Sysctl reads and writes a net.* key under /proc/sys, e.g.
	// "net.ipv4.ip_forward". In a new namespace ip_forward starts at "0".
	Sysctl(key string) (string, error)
	SetSysctl(key, value string) error
}
