//go:build linux

// Addresses and routes: `ip addr` and `ip route` (docs/design.md "The backend";
// reference docs/kernels.md §3 "Addresses and routes").
// Docker 1.2.0 gave docker0 its address and the container its default route
// with libcontainer's netlink (book ch.6 "网络"); the kernel adds the
// connected route itself.

package linux

import (
	"net"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// AddrAdd is `ip addr add ADDR dev LINK` (a duplicate is EEXIST).
func (n *Net) AddrAdd(link string, addr *net.IPNet) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	if addr == nil {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "addr add", link, "no address given")
	}
	l, err := n.link("addr add", link)
	if err != nil {
		return err
	}
	return kernelErr("addr add", addr.String(), n.nl.AddrAdd(l, &netlink.Addr{IPNet: addr}))
}

// AddrDel is `ip addr del ADDR dev LINK` (a missing one is EADDRNOTAVAIL).
func (n *Net) AddrDel(link string, addr *net.IPNet) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	if addr == nil {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "addr del", link, "no address given")
	}
	l, err := n.link("addr del", link)
	if err != nil {
		return err
	}
	return kernelErr("addr del", addr.String(), n.nl.AddrDel(l, &netlink.Addr{IPNet: addr}))
}

// AddrList lists IPv4 addresses of one link, or of every link for "".
func (n *Net) AddrList(link string) ([]backend.Addr, error) {
	if err := n.hold(); err != nil {
		return nil, err
	}
	defer n.release()
	var l netlink.Link
	if link != "" {
		var err error
		if l, err = n.link("addr list", link); err != nil {
			return nil, err
		}
	}
	as, err := retryDump(func() ([]netlink.Addr, error) { return n.nl.AddrList(l, netlink.FAMILY_V4) })
	if err != nil {
		return nil, kernelErr("addr list", link, err)
	}
	names := n.linkNames()
	out := make([]backend.Addr, 0, len(as))
	for _, a := range as {
		out = append(out, backend.Addr{LinkIndex: a.LinkIndex, LinkName: names[a.LinkIndex], IPNet: a.IPNet})
	}
	return out, nil
}

// linkNames maps ifindex to name in this namespace.
func (n *Net) linkNames() map[int]string {
	names := map[int]string{}
	ls, _ := retryDump(n.nl.LinkList)
	for _, l := range ls {
		names[l.Attrs().Index] = l.Attrs().Name
	}
	return names
}

// toNetlinkRoute builds the request for RouteAdd/RouteDel.
func (n *Net) toNetlinkRoute(op string, r backend.Route) (*netlink.Route, error) {
	nr := &netlink.Route{Dst: r.Dst, Gw: r.Gw, Src: r.Src, LinkIndex: r.LinkIndex, Table: unix.RT_TABLE_MAIN}
	if nr.Dst == nil {
		nr.Dst = backend.DefaultDst()
	}
	if r.LinkName != "" {
		l, err := n.link(op, r.LinkName)
		if err != nil {
			return nil, err
		}
		nr.LinkIndex = l.Attrs().Index
	}
	switch r.Scope {
	case backend.ScopeLink:
		nr.Scope = netlink.SCOPE_LINK
	case backend.ScopeHost:
		nr.Scope = netlink.SCOPE_HOST
	default:
		nr.Scope = netlink.SCOPE_UNIVERSE
		if r.Gw == nil && op == "route add" {
			// `ip route add 10.0.0.0/8 dev X` picks scope link itself.
			nr.Scope = netlink.SCOPE_LINK
		}
	}
	switch r.Proto {
	case backend.ProtoKernel:
		nr.Protocol = unix.RTPROT_KERNEL
	case backend.ProtoStatic:
		nr.Protocol = unix.RTPROT_STATIC
	default:
		nr.Protocol = unix.RTPROT_BOOT
	}
	return nr, nil
}

// RouteAdd is `ip route add`; Dst nil or 0.0.0.0/0 means default.
func (n *Net) RouteAdd(r backend.Route) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	nr, err := n.toNetlinkRoute("route add", r)
	if err != nil {
		return err
	}
	return kernelErr("route add", nr.Dst.String(), n.nl.RouteAdd(nr))
}

// RouteDel is `ip route del` (a missing route is ESRCH).
func (n *Net) RouteDel(r backend.Route) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	nr, err := n.toNetlinkRoute("route del", r)
	if err != nil {
		return err
	}
	// Let the kernel match any scope and protocol, as `ip route del` does.
	nr.Scope = netlink.SCOPE_NOWHERE
	nr.Protocol = 0
	return kernelErr("route del", nr.Dst.String(), n.nl.RouteDel(nr))
}

// RouteList is the main IPv4 table, connected routes included.
func (n *Net) RouteList() ([]backend.Route, error) {
	if err := n.hold(); err != nil {
		return nil, err
	}
	defer n.release()
	filter := &netlink.Route{Table: unix.RT_TABLE_MAIN}
	rs, err := retryDump(func() ([]netlink.Route, error) {
		return n.nl.RouteListFiltered(netlink.FAMILY_V4, filter, netlink.RT_FILTER_TABLE)
	})
	if err != nil {
		return nil, kernelErr("route list", "", err)
	}
	names := n.linkNames()
	out := make([]backend.Route, 0, len(rs))
	for _, r := range rs {
		br := backend.Route{Dst: r.Dst, Gw: r.Gw, LinkIndex: r.LinkIndex, LinkName: names[r.LinkIndex], Src: r.Src}
		if br.Dst == nil {
			br.Dst = backend.DefaultDst()
		}
		switch r.Scope {
		case netlink.SCOPE_LINK:
			br.Scope = backend.ScopeLink
		case netlink.SCOPE_HOST:
			br.Scope = backend.ScopeHost
		default:
			br.Scope = backend.ScopeUniverse
		}
		switch r.Protocol {
		case unix.RTPROT_KERNEL:
			br.Proto = backend.ProtoKernel
		case unix.RTPROT_STATIC:
			br.Proto = backend.ProtoStatic
		default:
			br.Proto = backend.ProtoBoot
		}
		out = append(out, br)
	}
	return out, nil
}
