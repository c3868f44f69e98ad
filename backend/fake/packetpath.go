// The path of a connection through the simulated machine: where the
// first packet of `connect(172.17.0.2:80)` goes, hop by hop, through the
// namespaces, links, bridges and netfilter chains the fake holds. This is
// note 000's bridge-mode picture (容器访问外部 / 外界访问容器内部服务) and
// book ch.7 §7.2–7.5 made executable:
//
//	sender's namespace   nat OUTPUT (DNAT of a published port reached from
//	                     the host itself), filter OUTPUT
//	then, at each hop    the destination is an address of this namespace:
//	                     filter INPUT, then the listener — done;
//	                     else the main table's longest-prefix route picks
//	                     the link out (none: "Network is unreachable"); a
//	                     namespace that is not the sender forwards only with
//	                     net.ipv4.ip_forward=1 and filter FORWARD's ACCEPT
//	the wire             out of a veth: into its peer; out of a bridge: to
//	                     the port whose far end owns the next hop; across a
//	                     bridge from one port to another: the bridge's
//	                     namespace's filter FORWARD with -i and -o the bridge
//	                     (br_netfilter, which Docker loads; --icc=false)
//	arrival namespace    nat PREROUTING with -i the arrival interface (DNAT
//	                     of a published port reached from outside)
//
// Simplifications: only the first packet is judged (netfilter_eval.go);
// POSTROUTING (MASQUERADE) is not run, so a server sees the sender's own
// address; a link to the world outside the machine (eth0) leads nowhere.
package fake

import (
	"net"
	"strconv"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// maxHops is the packet's TTL, against routing loops.
const maxHops = 16

// pathEnd is where a connection lands: a namespace and the address and
// port a listener must hold there, plus the source the server sees.
type pathEnd struct {
	nsKey string
	dst   net.IP
	dport int
	src   net.IP
}

func connectErr(errno syscall.Errno, dst net.IP, port int, detail string) error {
	kind := backend.ErrUnreachable // nothing answers at that address
	return backend.Errorf(kind, errno, "connect", net.JoinHostPort(dst.String(), strconv.Itoa(port)), "%s", detail)
}

// connectPath follows the first packet from namespace key to dst:port.
func (m *machine) connectPath(key string, dst net.IP, dport, sport int) (pathEnd, error) {
	if dst.IsUnspecified() {
		dst = net.IPv4(127, 0, 0, 1) // connect(0.0.0.0) reaches this machine
	}
	p := &packet{proto: "tcp", dst: dst.To4(), dport: dport, sport: sport}
	orig := append(net.IP(nil), p.dst...)
	ns := m.Namespaces[key]
	if ns == nil {
		return pathEnd{}, connectErr(syscall.ENETUNREACH, orig, dport, "Network is unreachable")
	}
	p.src = ns.sourceFor(p.dst)
	switch ns.judge("nat", "OUTPUT", p) {
	case vDrop:
		return pathEnd{}, connectErr(syscall.ETIMEDOUT, orig, dport, "Connection timed out")
	}
	switch ns.judge("filter", "OUTPUT", p) {
	case vDrop:
		return pathEnd{}, connectErr(syscall.ETIMEDOUT, orig, dport, "Connection timed out")
	case vReject:
		return pathEnd{}, connectErr(syscall.ECONNREFUSED, orig, dport, "Connection refused")
	}
	if p.src == nil {
		p.src = ns.sourceFor(p.dst)
	}
	for hop := 0; hop < maxHops; hop++ {
		if ns.isLocal(p.dst) {
			switch ns.judge("filter", "INPUT", p) {
			case vDrop:
				return pathEnd{}, connectErr(syscall.ETIMEDOUT, orig, dport, "Connection timed out")
			case vReject:
				return pathEnd{}, connectErr(syscall.ECONNREFUSED, orig, dport, "Connection refused")
			}
			return pathEnd{nsKey: key, dst: p.dst, dport: p.dport, src: p.src}, nil
		}
		out, nextHop := ns.route(p.dst)
		if out == nil {
			return pathEnd{}, connectErr(syscall.ENETUNREACH, orig, dport, "Network is unreachable")
		}
		p.out = out.Name
		if hop > 0 { // this namespace forwards the packet
			if ns.Sysctl["net.ipv4.ip_forward"] != "1" {
				return pathEnd{}, connectErr(syscall.ETIMEDOUT, orig, dport, "Connection timed out")
			}
			switch ns.judge("filter", "FORWARD", p) {
			case vDrop:
				return pathEnd{}, connectErr(syscall.ETIMEDOUT, orig, dport, "Connection timed out")
			case vReject:
				return pathEnd{}, connectErr(syscall.ECONNREFUSED, orig, dport, "Connection refused")
			}
		}
		nextKey, inName, v := m.wire(key, out, nextHop, p)
		switch {
		case v == vDrop:
			return pathEnd{}, connectErr(syscall.ETIMEDOUT, orig, dport, "Connection timed out")
		case v == vReject:
			return pathEnd{}, connectErr(syscall.ECONNREFUSED, orig, dport, "Connection refused")
		case inName == "":
			// Nobody on that link has the next hop's address (ARP
			// gets no answer): the kernel says EHOSTUNREACH.
			return pathEnd{}, connectErr(syscall.EHOSTUNREACH, orig, dport, "No route to host")
		}
		key, ns = nextKey, m.Namespaces[nextKey]
		p.in, p.out = inName, ""
		switch ns.judge("nat", "PREROUTING", p) {
		case vDrop:
			return pathEnd{}, connectErr(syscall.ETIMEDOUT, orig, dport, "Connection timed out")
		}
	}
	return pathEnd{}, connectErr(syscall.EHOSTUNREACH, orig, dport, "No route to host")
}

// endpoint is one interface on a piece of wire: a namespace and a link.
type endpoint struct {
	nsKey string
	l     *link
}

// wire sends p out of link out (namespace key) towards nextHop and
// returns where it arrives: the namespace and interface that own nextHop.
// Crossing a bridge between two of its ports runs the bridge namespace's
// filter FORWARD (the verdict is returned).
func (m *machine) wire(key string, out *link, nextHop net.IP, p *packet) (string, string, verdict) {
	var candidates []endpoint
	var bridge *endpoint // the bridge the packet crosses, when it does
	switch out.Kind {
	case backend.KindBridge:
		// Sent by the bridge's own namespace: any port's far end.
		candidates = m.bridgePeers(key, out, nil)
	case backend.KindVeth:
		peer := m.peerOf(key, out)
		if peer == nil || !peer.l.Up {
			return "", "", vContinue
		}
		if peer.l.Master != 0 { // the far end is a bridge port
			br := m.Namespaces[peer.nsKey].linkByIndex(peer.l.Master)
			if br == nil || !br.Up {
				return "", "", vContinue
			}
			bridge = &endpoint{peer.nsKey, br}
			candidates = append([]endpoint{*bridge}, m.bridgePeers(peer.nsKey, br, peer.l)...)
		} else {
			candidates = []endpoint{*peer}
		}
	default:
		return "", "", vContinue // eth0 and friends lead out of the machine
	}
	for _, c := range candidates {
		if !c.l.Up || !m.Namespaces[c.nsKey].hasAddrOn(c.l, nextHop) {
			continue
		}
		if bridge != nil && c.l != bridge.l {
			// Bridged from one port to another: br_netfilter shows
			// the packet to the bridge namespace's FORWARD chain.
			q := *p
			q.in, q.out = bridge.l.Name, bridge.l.Name
			if v := m.Namespaces[bridge.nsKey].judge("filter", "FORWARD", &q); v != vAccept {
				return "", "", v
			}
		}
		return c.nsKey, c.l.Name, vAccept
	}
	return "", "", vContinue
}

// bridgePeers lists the far ends of a bridge's veth ports, except skip.
func (m *machine) bridgePeers(key string, br *link, skip *link) []endpoint {
	var out []endpoint
	for _, port := range m.Namespaces[key].Links {
		if port.Master != br.Index || port == skip || !port.Up {
			continue
		}
		if peer := m.peerOf(key, port); peer != nil {
			out = append(out, *peer)
		}
	}
	return out
}

// peerOf is the other end of a veth.
func (m *machine) peerOf(key string, l *link) *endpoint {
	if l.Kind != backend.KindVeth {
		return nil
	}
	ns := m.Namespaces[l.PeerNS]
	if ns == nil {
		return nil
	}
	if pl := ns.linkByIndex(l.PeerIndex); pl != nil {
		return &endpoint{l.PeerNS, pl}
	}
	return nil
}

// hasAddrOn says whether link l carries address ip.
func (ns *netns) hasAddrOn(l *link, ip net.IP) bool {
	for _, a := range ns.Addrs {
		if a.Link != l.Index {
			continue
		}
		if have, _, err := net.ParseCIDR(a.CIDR); err == nil && have.Equal(ip) {
			return true
		}
	}
	return false
}

// isLocal says whether ip is an address of this namespace (the kernel's
// local table): an address on an up link, or any address of a loopback
// prefix (127.0.0.0/8 on lo).
func (ns *netns) isLocal(ip net.IP) bool {
	for _, a := range ns.Addrs {
		l := ns.linkByIndex(a.Link)
		have, n, err := net.ParseCIDR(a.CIDR)
		if l == nil || !l.Up || err != nil {
			continue
		}
		if have.Equal(ip) || (l.Kind == backend.KindLoopback && n.Contains(ip)) {
			return true
		}
	}
	return false
}

// route is the main table's longest-prefix match: the link out and the
// next hop (the gateway, or the destination itself on a connected net).
func (ns *netns) route(dst net.IP) (*link, net.IP) {
	best := -1
	var out *link
	var hop net.IP
	for _, r := range ns.allRoutes() {
		ones, _ := r.Dst.Mask.Size()
		l := ns.linkByIndex(r.LinkIndex)
		if !r.Dst.Contains(dst) || ones <= best || l == nil || !l.Up {
			continue
		}
		best, out, hop = ones, l, dst
		if r.Gw != nil {
			hop = r.Gw
		}
	}
	return out, hop
}

// sourceFor is the source address the kernel picks for a connection to
// dst: the destination itself when it is local (127.0.0.1 for loopback),
// else the route's preferred source or the first address of its link.
func (ns *netns) sourceFor(dst net.IP) net.IP {
	if ns.isLocal(dst) {
		if dst.IsLoopback() {
			return net.IPv4(127, 0, 0, 1).To4()
		}
		return dst
	}
	out, _ := ns.route(dst)
	if out == nil {
		return nil
	}
	for _, r := range ns.allRoutes() {
		if r.LinkIndex == out.Index && r.Src != nil && r.Dst.Contains(dst) {
			return r.Src.To4()
		}
	}
	for _, a := range ns.Addrs {
		if a.Link == out.Index {
			if ip, _, err := net.ParseCIDR(a.CIDR); err == nil {
				return ip.To4()
			}
		}
	}
	return nil
}
