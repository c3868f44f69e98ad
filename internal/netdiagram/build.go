// Build: fill a Model from a live backend.Host (either backend). The veth
// peers are found the way a reader would with `ip -d link` in every
// namespace: a link whose ifindex is our port's peer index and whose peer
// index is our port's ifindex (reference docs/kernels.md
// §3: a veth's IFLA_LINK is its peer's ifindex in the peer's namespace).
package netdiagram

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/dockerlab/dockerlab/backend"
)

// place is one namespace we may find veth peers in.
type place struct {
	where string // "ns c1", "pid 42 (web)", "same namespace"
	name  string // the name Link.PeerNetNS would use ("c1", "pid:42"), "" for n itself
	links []backend.Link
	addrs map[int][]string
}

// Build reads namespace n of h (its links, addresses and ip_forward) and
// looks for the far end of each veth in n itself, in every named namespace
// and in the namespace of every process that has one of its own.
func Build(h backend.Host, n backend.Net) (Model, error) {
	here, err := readPlace(n, "same namespace", "")
	if err != nil {
		return Model{}, err
	}
	m := Model{Namespace: "root", IPForward: "?"}
	if ref := n.Ref(); ref != (backend.NSRef{}) {
		m.Namespace = "ns " + ref.String()
	}
	if v, err := n.Sysctl("net.ipv4.ip_forward"); err == nil {
		m.IPForward = v
	}

	places := []place{here}
	places = append(places, otherPlaces(h, n.Ref())...)

	ports := map[int][]Port{} // bridge ifindex → its ports
	for _, l := range here.links {
		switch {
		case l.Kind == backend.KindBridge || l.Kind == backend.KindLoopback:
			continue
		case l.MasterIndex != 0:
			ports[l.MasterIndex] = append(ports[l.MasterIndex], makePort(l, here, places))
		case l.Kind == backend.KindVeth:
			m.Loose = append(m.Loose, makePort(l, here, places))
		default:
			m.Uplinks = append(m.Uplinks, iface(l, here))
		}
	}
	for _, l := range here.links {
		if l.Kind == backend.KindBridge {
			m.Bridges = append(m.Bridges, Bridge{Iface: iface(l, here), Ports: ports[l.Index]})
		}
	}
	return m, nil
}

// otherPlaces lists the root namespace (when n is not it), the named namespaces (sorted, as ListNetNS gives them)
// and then the processes' own namespaces by pid. A namespace that cannot be
// read is skipped: the drawing then says "peer not found", which is true.
func otherPlaces(h backend.Host, self backend.NSRef) []place {
	var out []place
	if self != (backend.NSRef{}) {
		if p, err := readPlace(h.Root(), "root ns", "root"); err == nil {
			out = append(out, p)
		}
	}
	if names, err := h.ListNetNS(); err == nil {
		for _, name := range names {
			if self.Pid == 0 && self.Name == name {
				continue
			}
			if ns, err := h.NetNS(backend.NSName(name)); err == nil {
				if p, err := readPlace(ns, "ns "+name, name); err == nil {
					out = append(out, p)
				}
			}
		}
	}
	procs, err := h.Procs()
	if err != nil {
		return out
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].Pid < procs[j].Pid })
	for _, pi := range procs {
		if !pi.OwnNetNS || pi.State == "exited" || self.Pid == pi.Pid {
			continue
		}
		ns, err := h.NetNS(backend.NSPid(pi.Pid))
		if err != nil {
			continue
		}
		where := "pid " + strconv.Itoa(pi.Pid)
		if pi.Hostname != "" {
			where += " (" + pi.Hostname + ")"
		}
		if p, err := readPlace(ns, where, backend.NSPid(pi.Pid).String()); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func readPlace(n backend.Net, where, name string) (place, error) {
	links, err := n.LinkList()
	if err != nil {
		return place{}, fmt.Errorf("list links of namespace %s: %w", n.Ref(), err)
	}
	addrs, err := n.AddrList("")
	if err != nil {
		return place{}, fmt.Errorf("list addresses of namespace %s: %w", n.Ref(), err)
	}
	p := place{where: where, name: name, links: links, addrs: map[int][]string{}}
	for _, a := range addrs {
		// IPv4 only, like backend.Dump: the kernel's own fe80:: addresses
		// would crowd the boxes and Docker 1.2's network was IPv4.
		if a.IPNet != nil && a.IPNet.IP.To4() != nil {
			p.addrs[a.LinkIndex] = append(p.addrs[a.LinkIndex], a.IPNet.String())
		}
	}
	return p, nil
}

func iface(l backend.Link, p place) Iface {
	return Iface{Name: l.Name, Up: l.Up, Addrs: p.addrs[l.Index]}
}

func makePort(l backend.Link, here place, places []place) Port {
	port := Port{Iface: iface(l, here), Veth: l.Kind == backend.KindVeth, PeerIndex: l.PeerIndex}
	if port.Veth {
		port.Peer = findPeer(l, places)
	}
	return port
}

// findPeer returns the first matching veth, preferring the namespace the
// backend named in PeerNetNS when it named one (two namespaces can reuse
// the same ifindex numbers).
func findPeer(l backend.Link, places []place) *Endpoint {
	var first *Endpoint
	for _, p := range places {
		for _, c := range p.links {
			if c.Kind != backend.KindVeth || c.Index != l.PeerIndex || c.PeerIndex != l.Index {
				continue
			}
			if p.name == "" && c.Name == l.Name {
				continue // ourselves
			}
			e := &Endpoint{Where: p.where, Iface: iface(c, p)}
			if l.PeerNetNS != "" && p.name == l.PeerNetNS {
				return e
			}
			if first == nil {
				first = e
			}
		}
	}
	return first
}
