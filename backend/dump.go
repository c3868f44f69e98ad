// Dumps: the state of one network namespace as the real tools print it
// (docs/design.md "The backend": "a dump in the real tools' text formats";
// reference docs/kernels.md §6 "Optional golden layer").
//
// Every function here is a pure function over the Net interface, so the
// fake and the linux backend print byte-identical text for identical state.
// That is what a student reads in a chapter demo, and what the parity test
// in backend/backendtest compares (after Normalize, dump_normalize.go).
//
// The formats follow `ip -o link`, `ip -o addr`, `ip route` and
// `iptables-save`, trimmed to what a backend.Link, Addr and Route carry:
//
//   - no operstate (`state UP`, `LOWER_UP`, `NO-CARRIER`): the fake does not
//     model carrier, and on a real kernel it depends on the peer and on
//     timing, so the link line shows only the administrative UP flag;
//   - no qdisc, group, qlen, brd of links, valid_lft: fixed noise for Docker;
//   - IPv4 only: the kernel adds IPv6 link-local addresses (fe80::/64) on its
//     own whenever a link goes up, Docker 1.2 networking was IPv4 only, and
//     the fake does not model IPv6. Showing them would only show noise.
package backend

import (
	"fmt"
	"net"
	"sort"
	"strings"
)

// Dump prints every section of one namespace under a header naming the
// command a student would type to see the same thing on a real machine.
func Dump(n Net) (string, error) {
	sections := []struct {
		header string
		dump   func(Net) (string, error)
	}{
		{"# ip -o link", DumpLinks},
		{"# ip -o addr", DumpAddrs},
		{"# ip route", DumpRoutes},
		{"# sysctl net.ipv4.ip_forward", DumpIPForward},
		{"# iptables-save", DumpIPTables},
	}
	var b strings.Builder
	for _, s := range sections {
		text, err := s.dump(n)
		if err != nil {
			return "", fmt.Errorf("dump %s (%s): %w", n.Ref(), strings.TrimPrefix(s.header, "# "), err)
		}
		b.WriteString(s.header)
		b.WriteString("\n")
		b.WriteString(text)
	}
	return b.String(), nil
}

// DumpLinks prints one line per link in ifindex order, like `ip -o link`:
//
//	1: lo: <LOOPBACK,UP> mtu 65536\    link/loopback 00:00:00:00:00:00
//	4: veth1a@if3: <BROADCAST,MULTICAST,UP> mtu 1500 master docker0\    link/ether 02:…
//
// A veth names its peer the way ip does: `@peername` when the peer is in
// the same namespace, `@ifN` (the peer's ifindex in its own namespace)
// when it is elsewhere.
func DumpLinks(n Net) (string, error) {
	links, err := n.LinkList()
	if err != nil {
		return "", err
	}
	sort.Slice(links, func(i, j int) bool { return links[i].Index < links[j].Index })
	byIndex := map[int]Link{}
	for _, l := range links {
		byIndex[l.Index] = l
	}
	var b strings.Builder
	for _, l := range links {
		name := l.Name
		if l.Kind == KindVeth && l.PeerIndex != 0 {
			name += "@" + peerLabel(l, byIndex)
		}
		fmt.Fprintf(&b, "%d: %s: <%s> mtu %d", l.Index, name, linkFlags(l), l.MTU)
		if l.Master != "" {
			fmt.Fprintf(&b, " master %s", l.Master)
		}
		fmt.Fprintf(&b, "\\    link/%s %s\n", linkType(l), macString(l.HardwareAddr))
	}
	return b.String(), nil
}

// peerLabel is what follows the "@" of a veth: the peer's name when it
// lives in the same namespace (it is in the list and points back at us),
// "ifN" otherwise.
func peerLabel(l Link, byIndex map[int]Link) string {
	if l.PeerNetNS == "" {
		if p, ok := byIndex[l.PeerIndex]; ok && p.Kind == KindVeth && p.PeerIndex == l.Index {
			return p.Name
		}
	}
	return fmt.Sprintf("if%d", l.PeerIndex)
}

// linkFlags are the interface flags ip prints between angle brackets,
// reduced to what a Link records.
func linkFlags(l Link) string {
	flags := []string{"BROADCAST", "MULTICAST"}
	if l.Kind == KindLoopback {
		flags = []string{"LOOPBACK"}
	}
	if l.Up {
		flags = append(flags, "UP")
	}
	return strings.Join(flags, ",")
}

func linkType(l Link) string {
	if l.Kind == KindLoopback {
		return "loopback"
	}
	return "ether"
}

// macString prints an absent address as zeros, as ip does for lo.
func macString(mac net.HardwareAddr) string {
	if len(mac) == 0 {
		return "00:00:00:00:00:00"
	}
	return mac.String()
}

// DumpAddrs prints the IPv4 addresses like `ip -o addr`, in link order and,
// within a link, in the order the backend lists them:
//
//	1: lo    inet 127.0.0.1/8 scope host lo
//	2: docker0    inet 172.17.42.1/16 brd 172.17.255.255 scope global docker0
//
// brd and scope are derived the way the kernel and ip derive them: a
// broadcast address for prefixes shorter than /31 (netlink fills it in on
// AddrAdd), scope host for 127.0.0.0/8, global for everything else.
func DumpAddrs(n Net) (string, error) {
	addrs, err := n.AddrList("")
	if err != nil {
		return "", err
	}
	var v4 []Addr
	for _, a := range addrs {
		if a.IPNet != nil && a.IPNet.IP.To4() != nil {
			v4 = append(v4, a)
		}
	}
	sort.SliceStable(v4, func(i, j int) bool { return v4[i].LinkIndex < v4[j].LinkIndex })
	var b strings.Builder
	for _, a := range v4 {
		ip := a.IPNet.IP.To4()
		ones, _ := a.IPNet.Mask.Size()
		fmt.Fprintf(&b, "%d: %s    inet %s/%d", a.LinkIndex, a.LinkName, ip, ones)
		if ones < 31 && !ip.IsLoopback() {
			fmt.Fprintf(&b, " brd %s", broadcast(ip, a.IPNet.Mask))
		}
		scope := "global"
		if ip.IsLoopback() {
			scope = "host"
		}
		fmt.Fprintf(&b, " scope %s %s\n", scope, a.LinkName)
	}
	return b.String(), nil
}

func broadcast(ip net.IP, mask net.IPMask) net.IP {
	m := mask
	if len(m) == net.IPv6len {
		m = m[12:]
	}
	out := make(net.IP, net.IPv4len)
	for i := range out {
		out[i] = ip[i] | ^m[i]
	}
	return out
}

// DumpRoutes prints the IPv4 main table like `ip route`:
//
//	default via 10.0.2.2 dev eth0
//	172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.42.1
//
// As ip does, "proto boot" (any route a user added) and "scope global" are
// left out. Routes are sorted by destination address, then prefix length,
// which is the order a real kernel's FIB walk gives for the routes Docker
// makes.
func DumpRoutes(n Net) (string, error) {
	routes, err := n.RouteList()
	if err != nil {
		return "", err
	}
	var v4 []Route
	for _, r := range routes {
		if r.Dst == nil || r.Dst.IP.To4() != nil {
			v4 = append(v4, r)
		}
	}
	sort.SliceStable(v4, func(i, j int) bool { return routeLess(v4[i], v4[j]) })
	var b strings.Builder
	for _, r := range v4 {
		b.WriteString(routeDst(r))
		if r.Gw != nil {
			fmt.Fprintf(&b, " via %s", r.Gw)
		}
		fmt.Fprintf(&b, " dev %s", r.LinkName)
		if r.Proto != "" && r.Proto != ProtoBoot {
			fmt.Fprintf(&b, " proto %s", r.Proto)
		}
		if r.Scope != "" && r.Scope != ScopeUniverse {
			fmt.Fprintf(&b, " scope %s", r.Scope)
		}
		if r.Src != nil {
			fmt.Fprintf(&b, " src %s", r.Src)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

func routeDst(r Route) string {
	if r.Dst == nil {
		return "default"
	}
	if ones, _ := r.Dst.Mask.Size(); ones == 0 {
		return "default"
	}
	return r.Dst.String()
}

func routeLess(a, b Route) bool {
	ka, kb := routeKey(a), routeKey(b)
	if ka != kb {
		return ka < kb
	}
	return a.LinkName < b.LinkName
}

// routeKey orders by destination address, then by prefix length.
func routeKey(r Route) string {
	if r.Dst == nil {
		return "000.000.000.000/00"
	}
	ip := r.Dst.IP.To4()
	ones, _ := r.Dst.Mask.Size()
	return fmt.Sprintf("%03d.%03d.%03d.%03d/%02d", ip[0], ip[1], ip[2], ip[3], ones)
}

// DumpIPForward prints the one sysctl Docker wrote, as `sysctl` prints it.
func DumpIPForward(n Net) (string, error) {
	v, err := n.Sysctl("net.ipv4.ip_forward")
	if err != nil {
		return "", err
	}
	return "net.ipv4.ip_forward = " + strings.TrimSpace(v) + "\n", nil
}

// DumpIPTables is the namespace's nat and filter tables as iptables-save
// prints them; both backends already produce the same stable form.
func DumpIPTables(n Net) (string, error) {
	return n.IPTables().Save()
}
