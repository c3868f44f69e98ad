// Addresses: `ip addr add/del/show` (docs/design.md "The backend": links;
// reference docs/kernels.md §3 and §6 — duplicate EEXIST,
// missing EADDRNOTAVAIL, missing link ENODEV; book ch.6 bridge address).
package fake

import (
	"net"
	"sort"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// checkIPNet refuses a nil or non-IPv4 address: the fake models IPv4 only,
// like Docker 1.2's bridge driver.
func checkIPNet(op, linkName string, a *net.IPNet) error {
	if a == nil || a.IP == nil || a.Mask == nil {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, linkName, "no address given")
	}
	if a.IP.To4() == nil {
		return backend.Errorf(backend.ErrUnsupported, syscall.EAFNOSUPPORT, op, a.String(), "the fake backend models IPv4 only")
	}
	if ones, bits := a.Mask.Size(); bits != 32 || ones < 0 {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, a.String(), "bad IPv4 prefix")
	}
	return nil
}

// cidrOf keeps the address's own IP (not the network), as `ip addr` does.
func cidrOf(a *net.IPNet) string {
	ones, _ := a.Mask.Size()
	return (&net.IPNet{IP: a.IP.To4(), Mask: net.CIDRMask(ones, 32)}).String()
}

// parseCIDR is net.ParseCIDR keeping the host bits.
func parseCIDR(s string) *net.IPNet {
	ip, n, err := net.ParseCIDR(s)
	if err != nil {
		return nil
	}
	return &net.IPNet{IP: ip.To4(), Mask: n.Mask}
}

func (h *netHandle) AddrAdd(linkName string, a *net.IPNet) error {
	if err := checkIPNet("addr add", linkName, a); err != nil {
		return err
	}
	cidr := cidrOf(a)
	return h.with("AddrAdd", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("addr add", linkName)
		if err != nil {
			return err
		}
		for _, x := range ns.Addrs {
			if x.Link == l.Index && x.CIDR == cidr {
				return backend.ErrnoError(syscall.EEXIST, "addr add", cidr+" dev "+linkName)
			}
		}
		ns.Addrs = append(ns.Addrs, addr{Link: l.Index, CIDR: cidr, Secondary: ns.hasSubnet(l.Index, cidr)})
		return nil
	})
}

func (h *netHandle) AddrDel(linkName string, a *net.IPNet) error {
	if err := checkIPNet("addr del", linkName, a); err != nil {
		return err
	}
	cidr := cidrOf(a)
	return h.with("AddrDel", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("addr del", linkName)
		if err != nil {
			return err
		}
		for i, x := range ns.Addrs {
			if x.Link == l.Index && x.CIDR == cidr {
				ns.Addrs = append(ns.Addrs[:i], ns.Addrs[i+1:]...)
				if !x.Secondary {
					ns.dropSecondaries(l.Index, cidr)
				}
				ns.routesAfterAddrDel(l.Index, cidr)
				return nil
			}
		}
		return backend.ErrnoError(syscall.EADDRNOTAVAIL, "addr del", cidr+" dev "+linkName)
	})
}

// AddrList lists one link's addresses, or every link's when linkName is
// "", in ifindex order as `ip addr` dumps them.
func (h *netHandle) AddrList(linkName string) ([]backend.Addr, error) {
	var out []backend.Addr
	err := h.read("AddrList", func(m *machine, ns *netns) error {
		// listed pairs each address with its secondary flag, so that the
		// sort below moves the two together
		type listed struct {
			addr      backend.Addr
			secondary bool
		}
		var list []listed
		want := 0
		if linkName != "" {
			l, err := ns.mustLink("addr show", linkName)
			if err != nil {
				return err
			}
			want = l.Index
		}
		for _, x := range ns.Addrs {
			if want != 0 && x.Link != want {
				continue
			}
			l := ns.linkByIndex(x.Link)
			if l == nil {
				continue
			}
			list = append(list, listed{backend.Addr{LinkIndex: l.Index, LinkName: l.Name, IPNet: parseCIDR(x.CIDR)}, x.Secondary})
		}
		// per link, primaries first (the kernel inserts a new primary
		// after the last primary and appends secondaries)
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].addr.LinkIndex != list[j].addr.LinkIndex {
				return list[i].addr.LinkIndex < list[j].addr.LinkIndex
			}
			return !list[i].secondary && list[j].secondary
		})
		for _, x := range list {
			out = append(out, x.addr)
		}
		return nil
	})
	return out, err
}

// sameSubnet says whether two addresses have the same prefix length and
// network (the kernel's test for "secondary").
func sameSubnet(a, b string) bool {
	x, y := parseCIDR(a), parseCIDR(b)
	if x == nil || y == nil {
		return false
	}
	xo, _ := x.Mask.Size()
	yo, _ := y.Mask.Size()
	return xo == yo && x.IP.Mask(x.Mask).Equal(y.IP.Mask(y.Mask))
}

func (ns *netns) hasSubnet(link int, cidr string) bool {
	for _, a := range ns.Addrs {
		if a.Link == link && sameSubnet(a.CIDR, cidr) {
			return true
		}
	}
	return false
}

// dropSecondaries removes the secondaries of a deleted primary: with
// net.ipv4.conf.*.promote_secondaries at its default 0, the kernel deletes
// them rather than promote one.
func (ns *netns) dropSecondaries(link int, cidr string) {
	keep := ns.Addrs[:0]
	for _, a := range ns.Addrs {
		if !(a.Link == link && a.Secondary && sameSubnet(a.CIDR, cidr)) {
			keep = append(keep, a)
		}
	}
	ns.Addrs = keep
}

// routesAfterAddrDel copies what the kernel does to routes when an address
// goes: routes using it as preferred source go (fib_sync_down_addr), and
// when it was the link's last address every route through the link goes
// (fib_disable_ip).
func (ns *netns) routesAfterAddrDel(link int, cidr string) {
	ip := parseCIDR(cidr).IP.String()
	keep := ns.Routes[:0]
	for _, r := range ns.Routes {
		if r.Src != ip {
			keep = append(keep, r)
		}
	}
	ns.Routes = keep
	for _, a := range ns.Addrs {
		if a.Link == link {
			return
		}
	}
	ns.flushRoutes(link)
}
