// Links: bridge and veth create/delete, master, rename, up/down, MTU and
// moving a link into another namespace (docs/design.md "The backend": links;
// reference docs/kernels.md §3 "Measured kernel behaviour"
// and §6; book ch.6 docker0 bridge and ch.14 veth pairs).
package fake

import (
	"crypto/rand"

	"net"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// ifNameMax is IFNAMSIZ-1: the kernel refuses longer names with ERANGE.
const ifNameMax = 15

// checkLinkName copies the kernel's dev_valid_name: empty, ".", ".." and
// names with '/', ':' or whitespace are EINVAL; too long is ERANGE.
func checkLinkName(op, name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, name, "invalid interface name %q", name)
	case len(name) > ifNameMax:
		return backend.Errorf(backend.ErrInvalid, syscall.ERANGE, op, name, "interface name longer than %d bytes", ifNameMax)
	case strings.ContainsAny(name, "/: \t\n"):
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, name, "invalid interface name %q", name)
	}
	return nil
}

// randomMAC gives a random unicast, locally administered address. The
// kernel randomises the whole first octet (keeping those two bits); the
// fake fixes it to 02 so a reader spots a generated MAC at a glance.
// (A real bridge then takes the lowest MAC of its ports; the fake keeps
// its random one.)
func randomMAC() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	b[0] = 0x02
	return net.HardwareAddr(b).String()
}

func (ns *netns) link(name string) *link {
	for _, l := range ns.Links {
		if l.Name == name {
			return l
		}
	}
	return nil
}

func (ns *netns) linkByIndex(i int) *link {
	for _, l := range ns.Links {
		if l.Index == i {
			return l
		}
	}
	return nil
}

// mustLink finds a link or fails with ENODEV, as netlink does.
func (ns *netns) mustLink(op, name string) (*link, error) {
	if l := ns.link(name); l != nil {
		return l, nil
	}
	return nil, backend.Errorf(backend.ErrNotFound, syscall.ENODEV, op, name, "no such device")
}

func defaultMTU(mtu int) int {
	if mtu <= 0 {
		return 1500
	}
	return mtu
}

func (h *netHandle) AddBridge(name string, mtu int) error {
	if err := checkLinkName("link add", name); err != nil {
		return err
	}
	return h.with("AddBridge", func(m *machine, ns *netns) error {
		if ns.link(name) != nil {
			return backend.ErrnoError(syscall.EEXIST, "link add", name)
		}
		ns.Links = append(ns.Links, &link{Index: ns.allocIfindex(), Name: name, Kind: backend.KindBridge,
			MTU: defaultMTU(mtu), MAC: randomMAC()})
		return nil
	})
}

func (h *netHandle) AddVeth(name, peer string, mtu int) error {
	if err := checkLinkName("link add", name); err != nil {
		return err
	}
	if err := checkLinkName("link add", peer); err != nil {
		return err
	}
	return h.with("AddVeth", func(m *machine, ns *netns) error {
		for _, n := range []string{name, peer} {
			if ns.link(n) != nil {
				return backend.ErrnoError(syscall.EEXIST, "link add", n)
			}
		}
		if name == peer {
			// The kernel registers the peer first, then fails on the
			// second name and unregisters the peer: its ifindex is used
			// up all the same (measured on 6.18).
			ns.allocIfindex()
			return backend.ErrnoError(syscall.EEXIST, "link add", peer)
		}
		// The kernel registers the peer first, so the peer gets the
		// lower ifindex.
		b := &link{Index: ns.allocIfindex(), Name: peer, Kind: backend.KindVeth, MTU: defaultMTU(mtu), MAC: randomMAC()}
		a := &link{Index: ns.allocIfindex(), Name: name, Kind: backend.KindVeth, MTU: defaultMTU(mtu), MAC: randomMAC()}
		a.PeerNS, a.PeerIndex = h.key, b.Index
		b.PeerNS, b.PeerIndex = h.key, a.Index
		ns.Links = append(ns.Links, b, a)
		return nil
	})
}

func (h *netHandle) LinkDel(name string) error {
	return h.with("LinkDel", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link del", name)
		if err != nil {
			return err
		}
		if l.Kind == backend.KindLoopback || l.Kind == backend.KindDevice {
			// no rtnl_link_ops: lo and physical devices cannot be deleted
			return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, "link del", name, "")
		}
		ns.removeLink(l)
		if l.Kind == backend.KindVeth {
			m.deletePeer(l)
		}
		return nil
	})
}

// removeLink takes a link out of its namespace with everything that hangs
// on it: addresses, routes through it, and (for a bridge) its ports'
// membership.
func (ns *netns) removeLink(l *link) {
	ns.detach(l)
	for _, p := range ns.Links {
		if p.Master == l.Index {
			p.Master = 0
		}
	}
	keep := ns.Links[:0]
	for _, x := range ns.Links {
		if x != l {
			keep = append(keep, x)
		}
	}
	ns.Links = keep
}

// detach drops a link's addresses and routes and takes it off its bridge:
// what happens to a link that leaves the namespace.
func (ns *netns) detach(l *link) {
	addrs := ns.Addrs[:0]
	for _, a := range ns.Addrs {
		if a.Link != l.Index {
			addrs = append(addrs, a)
		}
	}
	ns.Addrs = addrs
	ns.flushRoutes(l.Index)
	if old := l.Master; old != 0 {
		l.Master = 0
		ns.adjustBridgeMTU(old)
	}
}

// deletePeer deletes the other end of a veth, wherever it is.
func (m *machine) deletePeer(l *link) {
	pns, ok := m.Namespaces[l.PeerNS]
	if !ok {
		return
	}
	if p := pns.linkByIndex(l.PeerIndex); p != nil && p.Kind == backend.KindVeth {
		pns.removeLink(p)
	}
}

// snapshot turns a stored link into the value callers get (a copy).
func (m *machine) snapshot(key string, ns *netns, l *link) backend.Link {
	out := backend.Link{Index: l.Index, Name: l.Name, Kind: l.Kind, Up: l.Up, MTU: l.MTU,
		MasterIndex: l.Master, PeerIndex: l.PeerIndex}
	out.HardwareAddr, _ = net.ParseMAC(l.MAC)
	if b := ns.linkByIndex(l.Master); b != nil {
		out.Master = b.Name
	}
	if l.Kind == backend.KindVeth && l.PeerNS != key {
		out.PeerNetNS = keyRef(l.PeerNS).String()
	}
	return out
}

func (h *netHandle) LinkByName(name string) (backend.Link, error) {
	var out backend.Link
	err := h.read("LinkByName", func(m *machine, ns *netns) error {
		l := ns.link(name)
		if l == nil {
			return backend.Errorf(backend.ErrNotFound, syscall.ENODEV, "link show", name, "Link not found")
		}
		out = m.snapshot(h.key, ns, l)
		return nil
	})
	return out, err
}

func (h *netHandle) LinkList() ([]backend.Link, error) {
	var out []backend.Link
	err := h.read("LinkList", func(m *machine, ns *netns) error {
		for _, l := range ns.Links {
			out = append(out, m.snapshot(h.key, ns, l))
		}
		return nil
	})
	return out, err
}

// LinkSetUp brings a link up. Like the kernel (inetdev_event on
// NETDEV_UP), bringing a loopback up gives it 127.0.0.1/8 if it lacks it.
func (h *netHandle) LinkSetUp(name string) error {
	return h.with("LinkSetUp", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link set up", name)
		if err != nil {
			return err
		}
		l.Up = true
		if l.Kind == backend.KindLoopback {
			for _, a := range ns.Addrs {
				if a.Link == l.Index && a.CIDR == "127.0.0.1/8" {
					return nil
				}
			}
			ns.Addrs = append(ns.Addrs, addr{Link: l.Index, CIDR: "127.0.0.1/8"})
		}
		return nil
	})
}

// LinkSetDown downs a link. IPv4 routes through it go with it (the kernel
// flushes them); its connected routes come back when it goes up again
// because they follow from its addresses.
func (h *netHandle) LinkSetDown(name string) error {
	return h.with("LinkSetDown", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link set down", name)
		if err == nil {
			l.Up = false
			ns.flushRoutes(l.Index)
		}
		return err
	})
}

// LinkSetName renames a link; since Linux 6.2 (commit bd039b5ea2a9) this
// is allowed while the link is up, and the fake copies 6.18.
func (h *netHandle) LinkSetName(name, newName string) error {
	if err := checkLinkName("link set name", newName); err != nil {
		return err
	}
	return h.with("LinkSetName", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link set name", name)
		if err != nil || name == newName {
			return err
		}
		if ns.link(newName) != nil {
			return backend.ErrnoError(syscall.EEXIST, "link set name", newName)
		}
		l.Name = newName
		return nil
	})
}

func (h *netHandle) LinkSetMTU(name string, mtu int) error {
	return h.with("LinkSetMTU", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link set mtu", name)
		if err != nil {
			return err
		}
		if mtu < 68 || mtu > 65535 {
			return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "link set mtu", name, "mtu %d out of range 68..65535", mtu)
		}
		l.MTU = mtu
		if l.Kind == backend.KindBridge {
			l.MTUSet = true
		}
		if l.Master != 0 {
			ns.adjustBridgeMTU(l.Master)
		}
		return nil
	})
}

// LinkSetNs moves a link into another namespace, as Docker 1.2 moved the
// container end of a veth into the container's namespace. The link
// arrives down, without addresses or routes, off any bridge; its veth peer
// stays where it is and keeps running. lo and bridges are namespace-local
// (NETIF_F_NETNS_LOCAL): EINVAL.
func (h *netHandle) LinkSetNs(name string, target backend.NSRef) error {
	return h.with("LinkSetNs", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link set netns", name)
		if err != nil {
			return err
		}
		key, err := m.refKey(target)
		if err != nil {
			return err
		}
		if key == h.key {
			return nil
		}
		if l.Kind == backend.KindLoopback || l.Kind == backend.KindBridge {
			return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "link set netns", name,
				"%s devices cannot change namespace", l.Kind)
		}
		dst := m.Namespaces[key]
		if dst.link(name) != nil {
			return backend.Errorf(backend.ErrExists, syscall.EEXIST, "link set netns", name,
				"a link named %s exists in %s", name, target)
		}
		ns.removeLink(l)
		l.Up = false
		// The link keeps its ifindex unless the target namespace uses it.
		var peer *link
		if pns, ok := m.Namespaces[l.PeerNS]; ok && l.Kind == backend.KindVeth {
			peer = pns.linkByIndex(l.PeerIndex)
		}
		if dst.linkByIndex(l.Index) != nil {
			l.Index = dst.allocIfindex()
		}
		if peer != nil {
			peer.PeerNS, peer.PeerIndex = key, l.Index
		}
		dst.Links = append(dst.Links, l)
		dst.sortLinks()
		return nil
	})
}

func (ns *netns) sortLinks() {
	for i := 1; i < len(ns.Links); i++ {
		for j := i; j > 0 && ns.Links[j-1].Index > ns.Links[j].Index; j-- {
			ns.Links[j-1], ns.Links[j] = ns.Links[j], ns.Links[j-1]
		}
	}
}
