// ip: what a container sees of its network namespace (book ch.7 Docker容器网络,
// §7.6 内核态网络: the veth eth0 and its default route via the bridge; note
// 003 §Docker容器中的网络). The answers come from System.Net(), the fake kernel's
// namespace; output is busybox ip's:
//
//	7: eth0@if8: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue qlen 1000
//	    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff
//	    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0
//	       valid_lft forever preferred_lft forever
//	default via 172.17.42.1 dev eth0
//	172.17.0.0/16 dev eth0 scope link  src 172.17.0.2
//
// (checked against Debian's busybox 1.35 in a network namespace; lines
// end with a space where busybox leaves one).
//
// Changing the namespace (ip link add/del/set, ip addr add/del) goes to
// the kernel, which wants CAP_NET_ADMIN: a Docker 1.2 container does not
// have it, so those fail as they do there ("RTNETLINK answers: Operation
// not permitted"); with --cap-add NET_ADMIN or --privileged they work.
// Route changes and flushes are refused the same way either way (the
// fake's ip does not make them).
package userland

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
)

func init() { register(ipMain, "ip") }

func ipMain(p *Process) int {
	args := p.Args[1:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-4", "-6", "-0", "-d", "-s", "-o", "-f":
		default:
			fmt.Fprintf(p.Stderr, "ip: invalid argument '%s' to 'ip'\n", args[0])
			return 1
		}
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: ip [OPTIONS] address|route|link ...")
		return 1
	}
	nsNet := p.Sys.Net()
	if nsNet == nil {
		fmt.Fprintln(p.Stderr, "ip: can't open netlink socket: Protocol not supported")
		return 1
	}
	obj, rest := args[0], args[1:]
	verb := "show"
	if len(rest) > 0 {
		verb, rest = rest[0], rest[1:]
	}
	switch {
	case matches(obj, "address", 1) || matches(obj, "link", 1):
		withAddrs := obj[0] == 'a'
		if matches(verb, "show", 1) || matches(verb, "list", 1) || verb == "lst" {
			return ipLinkShow(p, nsNet, rest, withAddrs)
		}
		if !withAddrs {
			switch {
			case matches(verb, "add", 1):
				return ipLinkAdd(p, nsNet, rest)
			case matches(verb, "delete", 1):
				return ipLinkDel(p, nsNet, rest)
			case matches(verb, "set", 1):
				return ipLinkSet(p, nsNet, rest)
			}
		}
		if withAddrs && (matches(verb, "add", 1) || matches(verb, "delete", 1)) {
			return ipAddrChange(p, nsNet, verb[0] == 'a', rest)
		}
		if withAddrs && matches(verb, "flush", 1) {
			return notPermitted(p)
		}
	case matches(obj, "route", 1):
		if matches(verb, "show", 1) || matches(verb, "list", 1) {
			return ipRouteShow(p, nsNet)
		}
		if matches(verb, "add", 1) || matches(verb, "del", 1) || matches(verb, "replace", 3) || matches(verb, "change", 1) || matches(verb, "flush", 1) {
			return notPermitted(p)
		}
	}
	fmt.Fprintf(p.Stderr, "ip: unknown command '%s %s'\n", obj, verb)
	return 1
}

// matches is ip's abbreviation rule: word is a prefix of full, at least
// min bytes long.
func matches(word, full string, min int) bool {
	return len(word) >= min && strings.HasPrefix(full, word)
}

func notPermitted(p *Process) int {
	fmt.Fprintln(p.Stderr, "ip: RTNETLINK answers: Operation not permitted")
	return 2
}

func ipLinkShow(p *Process, n backend.Net, args []string, withAddrs bool) int {
	dev := ""
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "dev":
			if i+1 < len(args) {
				dev = args[i+1]
				i++
			}
		case "up", "scope", "label", "to":
			if args[i] != "up" {
				i++
			}
		default:
			dev = args[i]
		}
	}
	links, err := n.LinkList()
	if err != nil {
		fmt.Fprintf(p.Stderr, "ip: %v\n", err)
		return 1
	}
	var addrs []backend.Addr
	if withAddrs {
		if addrs, err = n.AddrList(""); err != nil {
			fmt.Fprintf(p.Stderr, "ip: %v\n", err)
			return 1
		}
	}
	found := false
	for _, l := range links {
		if dev != "" && l.Name != dev {
			continue
		}
		found = true
		printLink(p, l, links)
		for _, a := range addrs {
			if a.LinkIndex == l.Index || (a.LinkIndex == 0 && a.LinkName == l.Name) {
				printAddr(p, l, a)
			}
		}
	}
	if dev != "" && !found {
		fmt.Fprintf(p.Stderr, "ip: can't find device '%s'\n", dev)
		return 1
	}
	return 0
}

// printLink prints a link's two lines. The "@peer" suffix and the
// M-DOWN flag come from IFLA_LINK, looked up in this namespace as busybox
// does: a veth whose peer is elsewhere shows "@ifN" and, its peer being
// unknown here, M-DOWN.
func printLink(p *Process, l backend.Link, all []backend.Link) {
	var b strings.Builder
	fmt.Fprintf(&b, "%d: %s", l.Index, l.Name)
	peerUp, peerKnown := true, false
	if l.Kind == backend.KindVeth && l.PeerIndex != 0 {
		name := fmt.Sprintf("if%d", l.PeerIndex)
		peerUp = false
		for _, o := range all {
			if o.Index == l.PeerIndex && l.PeerNetNS == "" {
				name, peerUp, peerKnown = o.Name, o.Up, true
			}
		}
		b.WriteString("@" + name)
	}
	var flags []string
	lowerUp := l.Up
	switch l.Kind {
	case backend.KindLoopback:
		flags = []string{"LOOPBACK"}
	case backend.KindBridge:
		// A bridge has carrier when one of its ports is up.
		lowerUp = false
		for _, o := range all {
			if o.MasterIndex == l.Index && o.Up {
				lowerUp = l.Up
			}
		}
		flags = []string{"BROADCAST", "MULTICAST"}
	case backend.KindVeth:
		// The far end of a veth decides its carrier; one we cannot see
		// from here is taken to be up, as Docker's always is.
		lowerUp = l.Up && (peerUp || !peerKnown)
		flags = []string{"BROADCAST", "MULTICAST"}
	default:
		flags = []string{"BROADCAST", "MULTICAST"}
	}
	if l.Up && !lowerUp {
		flags = append([]string{"NO-CARRIER"}, flags...)
	}
	qdisc := "noop"
	if l.Up {
		flags = append(flags, "UP")
		qdisc = "noqueue"
	}
	if lowerUp {
		flags = append(flags, "LOWER_UP")
	}
	if l.Kind == backend.KindVeth && l.PeerIndex != 0 && !peerUp {
		flags = append(flags, "M-DOWN")
	}
	fmt.Fprintf(&b, ": <%s> mtu %d qdisc %s ", strings.Join(flags, ","), l.MTU, qdisc)
	if l.Master != "" {
		fmt.Fprintf(&b, "master %s ", l.Master)
	}
	b.WriteString("qlen 1000")
	fmt.Fprintln(p.Stdout, b.String())
	kind, mac, brd := "ether", l.HardwareAddr.String(), "ff:ff:ff:ff:ff:ff"
	if l.Kind == backend.KindLoopback {
		kind, brd = "loopback", "00:00:00:00:00:00"
	}
	if mac == "" {
		mac = "00:00:00:00:00:00"
	}
	fmt.Fprintf(p.Stdout, "    link/%s %s brd %s\n", kind, mac, brd)
}

func printAddr(p *Process, l backend.Link, a backend.Addr) {
	if a.IPNet == nil {
		return
	}
	ones, bits := a.IPNet.Mask.Size()
	family := "inet"
	if a.IPNet.IP.To4() == nil {
		family = "inet6"
	}
	line := fmt.Sprintf("    %s %s/%d ", family, a.IPNet.IP, ones)
	scope := "global"
	if a.IPNet.IP.IsLoopback() {
		scope = "host"
	} else if ip4 := a.IPNet.IP.To4(); ip4 != nil && bits == 32 && ones < 31 {
		// The broadcast address the kernel (via netlink) fills in.
		brd := make(net.IP, 4)
		for i := range brd {
			brd[i] = ip4[i] | ^a.IPNet.Mask[len(a.IPNet.Mask)-4+i]
		}
		line += fmt.Sprintf("brd %s ", brd)
	}
	line += "scope " + scope
	if family == "inet" {
		line += " " + l.Name
	}
	fmt.Fprintln(p.Stdout, line)
	fmt.Fprintln(p.Stdout, "       valid_lft forever preferred_lft forever")
}

func ipRouteShow(p *Process, n backend.Net) int {
	routes, err := n.RouteList()
	if err != nil {
		fmt.Fprintf(p.Stderr, "ip: %v\n", err)
		return 1
	}
	for _, r := range routes {
		var b strings.Builder
		if r.Dst == nil || isDefault(r.Dst) {
			b.WriteString("default ")
		} else {
			b.WriteString(r.Dst.String() + " ")
		}
		if r.Gw != nil {
			fmt.Fprintf(&b, "via %s ", r.Gw)
		}
		name := r.LinkName
		if name == "" {
			if l, err := linkByIndex(n, r.LinkIndex); err == nil {
				name = l.Name
			}
		}
		if name != "" {
			fmt.Fprintf(&b, "dev %s ", name)
		}
		if r.Scope != "" && r.Scope != backend.ScopeUniverse {
			fmt.Fprintf(&b, "scope %s ", r.Scope)
		}
		if r.Src != nil {
			fmt.Fprintf(&b, " src %s ", r.Src)
		}
		fmt.Fprintln(p.Stdout, b.String())
	}
	return 0
}

func isDefault(dst *net.IPNet) bool {
	ones, _ := dst.Mask.Size()
	return ones == 0 && dst.IP.IsUnspecified()
}

func linkByIndex(n backend.Net, idx int) (backend.Link, error) {
	links, err := n.LinkList()
	if err != nil {
		return backend.Link{}, err
	}
	for _, l := range links {
		if l.Index == idx {
			return l, nil
		}
	}
	return backend.Link{}, backend.ErrNotFound
}

// rtnetlinkErr prints a change the kernel refused as busybox does.
func rtnetlinkErr(p *Process, err error) int {
	fmt.Fprintf(p.Stderr, "ip: RTNETLINK answers: %s\n", errText(err))
	return 2
}

// ipLinkAdd is `ip link add [name] NAME type bridge|veth [peer name PEER]`.
func ipLinkAdd(p *Process, n backend.Net, args []string) int {
	name, typ, peer := "", "", ""
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "name", "dev":
			if i+1 < len(args) {
				name = args[i+1]
				i++
			}
		case "type":
			if i+1 < len(args) {
				typ = args[i+1]
				i++
			}
		case "peer":
			if i+2 < len(args) && args[i+1] == "name" {
				peer = args[i+2]
				i += 2
			}
		default:
			if name == "" {
				name = args[i]
			}
		}
	}
	var err error
	switch {
	case name == "" || typ == "":
		fmt.Fprintln(p.Stderr, "ip: need at least 'type' and a name")
		return 1
	case typ == "bridge":
		err = n.AddBridge(name, 0)
	case typ == "veth":
		if peer == "" {
			peer = "veth0"
		}
		err = n.AddVeth(name, peer, 0)
	default:
		fmt.Fprintf(p.Stderr, "ip: the fake's ip makes links of type bridge and veth, not %q\n", typ)
		return 1
	}
	if err != nil {
		return rtnetlinkErr(p, err)
	}
	return 0
}

// ipLinkDel is `ip link del [dev] NAME`.
func ipLinkDel(p *Process, n backend.Net, args []string) int {
	if len(args) > 0 && args[0] == "dev" {
		args = args[1:]
	}
	if len(args) != 1 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: ip link del DEV")
		return 1
	}
	if err := n.LinkDel(args[0]); err != nil {
		return rtnetlinkErr(p, err)
	}
	return 0
}

// ipLinkSet is `ip link set [dev] NAME up|down|mtu N|name NEW`.
func ipLinkSet(p *Process, n backend.Net, args []string) int {
	if len(args) > 0 && args[0] == "dev" {
		args = args[1:]
	}
	if len(args) < 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: ip link set DEV up|down|mtu N|name NAME")
		return 1
	}
	dev := args[0]
	for i := 1; i < len(args); i++ {
		var err error
		switch args[i] {
		case "up":
			err = n.LinkSetUp(dev)
		case "down":
			err = n.LinkSetDown(dev)
		case "mtu", "name":
			if i+1 >= len(args) {
				fmt.Fprintf(p.Stderr, "ip: %s needs a value\n", args[i])
				return 1
			}
			if args[i] == "name" {
				err = n.LinkSetName(dev, args[i+1])
				dev = args[i+1]
			} else if mtu, cerr := strconv.Atoi(args[i+1]); cerr != nil {
				fmt.Fprintf(p.Stderr, "ip: invalid mtu '%s'\n", args[i+1])
				return 1
			} else {
				err = n.LinkSetMTU(dev, mtu)
			}
			i++
		default:
			fmt.Fprintf(p.Stderr, "ip: the fake's ip does not set %q\n", args[i])
			return 1
		}
		if err != nil {
			return rtnetlinkErr(p, err)
		}
	}
	return 0
}

// ipAddrChange is `ip addr add|del CIDR dev NAME`.
func ipAddrChange(p *Process, n backend.Net, add bool, args []string) int {
	cidr, dev := "", ""
	for i := 0; i < len(args); i++ {
		if args[i] == "dev" && i+1 < len(args) {
			dev = args[i+1]
			i++
		} else if cidr == "" {
			cidr = args[i]
		}
	}
	ip, ipnet, err := net.ParseCIDR(cidr)
	if err != nil || dev == "" {
		fmt.Fprintln(p.Stderr, "BusyBox usage: ip addr add|del CIDR dev IFACE")
		return 1
	}
	ipnet.IP = ip
	if add {
		err = n.AddrAdd(dev, ipnet)
	} else {
		err = n.AddrDel(dev, ipnet)
	}
	if err != nil {
		return rtnetlinkErr(p, err)
	}
	return 0
}
