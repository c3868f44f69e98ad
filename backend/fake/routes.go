// Routes: the main routing table, `ip route add/del/show` (docs/design.md "The
// backend": links; reference docs/kernels.md §3 — default
// route Dst 0.0.0.0/0, connected routes proto kernel scope link, duplicate
// EEXIST, unreachable gateway ENETUNREACH, missing ESRCH).
//
// Only the main table is modelled. The real kernel also puts local and
// broadcast routes (and lo's 127.0.0.0/8) into the local table; `ip route`
// does not show that table and neither does the fake.
package fake

import (
	"bytes"
	"net"
	"sort"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// connected derives the kernel's connected routes: one per address on an
// up, non-loopback link, for the address's network, unless the prefix is
// /32 (the kernel adds no prefix route for a host address).
func (ns *netns) connected() []backend.Route {
	var out []backend.Route
	for _, a := range ns.Addrs {
		l := ns.linkByIndex(a.Link)
		n := parseCIDR(a.CIDR)
		if l == nil || !l.Up || l.Kind == backend.KindLoopback || n == nil {
			continue
		}
		if ones, _ := n.Mask.Size(); ones == 32 {
			continue
		}
		// A secondary address adds no route: the subnet's route is
		// the primary's (src = the primary address).
		if a.Secondary {
			continue
		}
		dst := &net.IPNet{IP: n.IP.Mask(n.Mask), Mask: n.Mask}
		out = append(out, backend.Route{
			Dst: dst, LinkIndex: l.Index, LinkName: l.Name,
			Src: n.IP, Scope: backend.ScopeLink, Proto: backend.ProtoKernel,
		})
	}
	return out
}

// flushRoutes drops the user routes through a link (the link went down,
// left the namespace or was deleted).
func (ns *netns) flushRoutes(index int) {
	keep := ns.Routes[:0]
	for _, r := range ns.Routes {
		if r.Link != index {
			keep = append(keep, r)
		}
	}
	ns.Routes = keep
}

// allRoutes is the main table as `ip route` lists it: in prefix order,
// default first, longer prefixes first for the same network address.
func (ns *netns) allRoutes() []backend.Route {
	out := ns.connected()
	for _, r := range ns.Routes {
		br := backend.Route{Dst: parseCIDR(r.Dst), LinkIndex: r.Link, Scope: r.Scope, Proto: r.Proto}
		if r.Gw != "" {
			br.Gw = net.ParseIP(r.Gw).To4()
		}
		if r.Src != "" {
			br.Src = net.ParseIP(r.Src).To4()
		}
		if l := ns.linkByIndex(r.Link); l != nil {
			br.LinkName = l.Name
		}
		out = append(out, br)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := bytes.Compare(out[i].Dst.IP.To4(), out[j].Dst.IP.To4()); c != 0 {
			return c < 0
		}
		a, _ := out[i].Dst.Mask.Size()
		b, _ := out[j].Dst.Mask.Size()
		return a > b
	})
	return out
}

// routeDst normalises a route's destination: nil means default; host bits
// set is EINVAL as in the kernel ("Invalid prefix for given prefix length").
func routeDst(op string, d *net.IPNet) (*net.IPNet, error) {
	if d == nil {
		return backend.DefaultDst(), nil
	}
	if err := checkIPNet(op, "", d); err != nil {
		return nil, err
	}
	ones, _ := d.Mask.Size()
	n := &net.IPNet{IP: d.IP.To4().Mask(d.Mask), Mask: net.CIDRMask(ones, 32)}
	if !n.IP.Equal(d.IP.To4()) {
		return nil, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, d.String(), "invalid prefix for given prefix length")
	}
	return n, nil
}

// routeLink finds the link a route names, by name or index (0 = none).
func (ns *netns) routeLink(op string, r backend.Route) (*link, error) {
	switch {
	case r.LinkName != "":
		return ns.mustLink(op, r.LinkName)
	case r.LinkIndex != 0:
		if l := ns.linkByIndex(r.LinkIndex); l != nil {
			return l, nil
		}
		return nil, backend.ErrnoError(syscall.ENODEV, op, "")
	}
	return nil, nil
}

func (h *netHandle) RouteAdd(r backend.Route) error {
	const op = "route add"
	dst, err := routeDst(op, r.Dst)
	if err != nil {
		return err
	}
	return h.with("RouteAdd", func(m *machine, ns *netns) error {
		l, err := ns.routeLink(op, r)
		if err != nil {
			return err
		}
		nr := route{Dst: dst.String(), Scope: backend.ScopeUniverse, Proto: backend.ProtoBoot}
		if r.Proto != "" {
			nr.Proto = r.Proto
		}
		if r.Src != nil {
			nr.Src = r.Src.To4().String()
		}
		switch {
		case r.Gw != nil:
			// The gateway must sit in a connected prefix (of the named
			// link, if one is named); down links have none.
			var via *link
			for _, c := range ns.connected() {
				if c.Dst.Contains(r.Gw) && (l == nil || c.LinkIndex == l.Index) {
					via = ns.linkByIndex(c.LinkIndex)
					break
				}
			}
			if via == nil {
				return backend.Errorf(backend.ErrUnreachable, syscall.ENETUNREACH, op, dst.String(), "gateway %s is not on a connected network", r.Gw)
			}
			nr.Gw, nr.Link = r.Gw.To4().String(), via.Index
		case l != nil:
			if !l.Up { // ENETDOWN, which both backends report as ErrInvalid (KindOfErrno)
				return backend.Errorf(backend.ErrInvalid, syscall.ENETDOWN, op, dst.String(), "Device for nexthop is not up (%s)", l.Name)
			}
			nr.Link, nr.Scope = l.Index, backend.ScopeLink
		default:
			return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, dst.String(), "a route needs a gateway or a device")
		}
		if r.Scope != "" {
			nr.Scope = r.Scope
		}
		for _, x := range ns.allRoutes() {
			if x.Dst.String() == nr.Dst {
				return backend.ErrnoError(syscall.EEXIST, op, nr.Dst)
			}
		}
		ns.Routes = append(ns.Routes, nr)
		return nil
	})
}

func (h *netHandle) RouteDel(r backend.Route) error {
	const op = "route del"
	dst, err := routeDst(op, r.Dst)
	if err != nil {
		return err
	}
	return h.with("RouteDel", func(m *machine, ns *netns) error {
		l, err := ns.routeLink(op, r)
		if err != nil {
			return err
		}
		for i, x := range ns.Routes {
			if x.Dst != dst.String() || (l != nil && x.Link != l.Index) ||
				(r.Gw != nil && x.Gw != r.Gw.To4().String()) {
				continue
			}
			ns.Routes = append(ns.Routes[:i], ns.Routes[i+1:]...)
			return nil
		}
		return backend.ErrnoError(syscall.ESRCH, op, dst.String())
	})
}

func (h *netHandle) RouteList() ([]backend.Route, error) {
	var out []backend.Route
	err := h.read("RouteList", func(m *machine, ns *netns) error {
		out = ns.allRoutes()
		return nil
	})
	return out, err
}
