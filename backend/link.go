// Links, addresses and routes: what `ip link`, `ip addr` and `ip route` show
// (docs/design.md "The backend": links; reference docs/kernels.md
// §3 "vishvananda/netlink"). Upstream Docker 0.1.0 ran the ip(8) tool for
// these; Docker 1.2.0 used libcontainer's netlink package.
package backend

import (
	"net"
	"strconv"
)

// LinkKind is the driver of a link, as `ip -d link` names it.
type LinkKind string

const (
	KindLoopback LinkKind = "loopback" // lo
	KindBridge   LinkKind = "bridge"
	KindVeth     LinkKind = "veth"
	KindDevice   LinkKind = "device" // a physical (or pre-existing, unknown-kind) device such as the host's eth0
)

// Link is a snapshot of one network interface in one namespace.
type Link struct {
	Index        int
	Name         string
	Kind         LinkKind
	Up           bool // administratively up (IFF_UP)
	MTU          int
	HardwareAddr net.HardwareAddr
	MasterIndex  int    // index of the bridge this link is a port of, 0 when none
	Master       string // name of that bridge, "" when none
	// PeerIndex is a veth's peer's ifindex (IFLA_LINK), in the peer's own
	// namespace; PeerNetNS names that namespace when the backend knows it
	// ("" when the peer is in the same namespace or unknown).
	PeerIndex int
	PeerNetNS string
}

// Addr is an IP address on a link (`ip addr`).
type Addr struct {
	LinkIndex int
	LinkName  string
	IPNet     *net.IPNet // the address with its prefix, e.g. 172.17.42.1/16
}

// Route is one entry of the main routing table (`ip route`). A default
// route has Dst 0.0.0.0/0 (as netlink v1.3 reports it, never nil).
type Route struct {
	Dst       *net.IPNet
	Gw        net.IP // nil for a connected route
	LinkIndex int
	LinkName  string
	Src       net.IP // preferred source, set on the kernel's connected routes
	Scope     RouteScope
	Proto     RouteProto
}

// RouteScope is the route's scope as ip(8) prints it.
type RouteScope string

const (
	ScopeUniverse RouteScope = "global" // printed as nothing by ip route
	ScopeLink     RouteScope = "link"
	ScopeHost     RouteScope = "host"
)

// RouteProto says who installed a route.
type RouteProto string

const (
	ProtoKernel RouteProto = "kernel" // connected routes added with an address
	ProtoBoot   RouteProto = "boot"   // added by a user (ip route add, RouteAdd)
	ProtoStatic RouteProto = "static"
)

// DefaultDst is the destination of a default route.
func DefaultDst() *net.IPNet { return &net.IPNet{IP: net.IPv4zero.To4(), Mask: net.CIDRMask(0, 32)} }

// NSRef names a network namespace: by its name (a namespace made with
// Host.NewNetNS, or "" for the backend's root namespace), or by the pid of a
// process the backend started (a container's anonymous namespace, as
// Docker 1.2 moved a veth into the namespace of the container's init).
type NSRef struct {
	Name string
	Pid  int
}

// NSName refers to a named namespace; NSPid to a process's namespace.
func NSName(name string) NSRef { return NSRef{Name: name} }
func NSPid(pid int) NSRef      { return NSRef{Pid: pid} }

func (r NSRef) String() string {
	switch {
	case r.Pid != 0:
		return "pid:" + strconv.Itoa(r.Pid)
	case r.Name == "":
		return "root"
	}
	return r.Name
}
