// Netfilter judging a packet: walk a chain's rules in order, the first
// whose matches all hold decides (ACCEPT, DROP, REJECT, DNAT…), a jump to
// a user chain walks that chain and comes back on RETURN or at its end,
// and the built-in chain's policy decides when nothing did. This is what
// makes the rules Docker writes (book ch.6 §6.4 and ch.7 §7.5; note 000
// 外界访问容器内部服务的流程; upstream pkg/iptables/iptables.go and
// daemon/networkdriver/bridge/driver.go at v1.2.0) do something on the
// fake: `-t nat -A DOCKER ! -i docker0 -p tcp --dport 8080 -j DNAT
// --to-destination 172.17.0.2:80` sends a connection to the container,
// `-A FORWARD -i docker0 -o docker0 -j DROP` (--icc=false) stops one.
//
// Only the first packet of a connection is judged (packetpath.go), so
// conntrack is simple: that packet is NEW; RELATED and ESTABLISHED never
// match it, and replies are taken as ESTABLISHED, which Docker's rules
// let through.
package fake

import (
	"net"
	"strconv"
	"strings"
)

// packet is the first packet (the SYN) of a connection as netfilter sees it.
type packet struct {
	proto        string // "tcp"
	src, dst     net.IP
	sport, dport int
	in, out      string // -i and -o: the interface it came in by / goes out by, "" for none
}

// verdict is how a walk through a chain ended.
type verdict int

const (
	vContinue verdict = iota // fell off a user chain, or RETURN
	vAccept
	vDrop
	vReject
)

// maxChainDepth bounds jumps (iptables refuses loops; a bound is enough).
const maxChainDepth = 32

// judge runs packet p through a built-in chain of a table in namespace ns
// and returns the verdict; a DNAT rewrites p.dst and p.dport.
func (ns *netns) judge(tname, cname string, p *packet) verdict {
	t := ns.Tables[tname]
	if t == nil {
		return vAccept
	}
	c := t.chain(cname)
	if c == nil {
		return vAccept
	}
	if v := ns.walk(t, c, p, 0); v != vContinue {
		return v
	}
	if c.Policy == "DROP" {
		return vDrop
	}
	return vAccept
}

// walk goes through one chain's rules.
func (ns *netns) walk(t *table, c *chain, p *packet, depth int) verdict {
	if depth > maxChainDepth {
		return vDrop
	}
	for _, e := range c.Rules {
		r, err := parseRule(splitQuoted(e.Spec))
		if err != nil || !ns.matches(r, p) {
			continue
		}
		switch r.jump {
		case "":
			continue // a rule without target only counts packets
		case "ACCEPT":
			return vAccept
		case "DROP":
			return vDrop
		case "REJECT":
			return vReject
		case "RETURN":
			return vContinue
		case "DNAT":
			if to := targetOpt(r, "--to-destination"); to != "" {
				dnat(p, to)
			}
			return vAccept // the nat table is done with this connection
		case "REDIRECT":
			p.dst = net.IPv4(127, 0, 0, 1)
			if port, err := strconv.Atoi(strings.Split(targetOpt(r, "--to-ports"), "-")[0]); err == nil {
				p.dport = port
			}
			return vAccept
		case "SNAT", "MASQUERADE":
			return vAccept // the source changes; nobody here looks at it
		}
		if sub := t.chain(r.jump); sub != nil {
			if v := ns.walk(t, sub, p, depth+1); v != vContinue {
				return v
			}
			if r.gotoChain {
				return vContinue // -g: the RETURN ends the calling chain too
			}
		}
		// LOG, MARK and other non-deciding targets: go on.
	}
	return vContinue
}

// dnat applies --to-destination IP[-IP][:PORT[-PORT]] (the first of each range).
func dnat(p *packet, to string) {
	host, port, hasPort := strings.Cut(to, ":")
	host, _, _ = strings.Cut(host, "-")
	if ip := net.ParseIP(host).To4(); ip != nil {
		p.dst = ip
	}
	if hasPort {
		port, _, _ = strings.Cut(port, "-")
		if n, err := strconv.Atoi(port); err == nil {
			p.dport = n
		}
	}
}

func targetOpt(r *rule, name string) string {
	for _, o := range r.targetOpts {
		if o.name == name && len(o.vals) > 0 {
			return o.vals[0]
		}
	}
	return ""
}

// matches says whether every part of rule r holds for p.
func (ns *netns) matches(r *rule, p *packet) bool {
	if !optHolds(r.src, func(v string) bool { return inCIDR(p.src, v) }) ||
		!optHolds(r.dst, func(v string) bool { return inCIDR(p.dst, v) }) ||
		!optHolds(r.in, func(v string) bool { return ifaceMatch(p.in, v) }) ||
		!optHolds(r.out, func(v string) bool { return ifaceMatch(p.out, v) }) ||
		!optHolds(r.proto, func(v string) bool { return v == p.proto }) {
		return false
	}
	for _, m := range r.matches {
		for _, o := range m.opts {
			if !optHolds(o, func(string) bool { return ns.matchOpt(m.name, o, p) }) {
				return false
			}
		}
	}
	return true
}

// optHolds applies an option's test and its "!"; an unset option holds.
func optHolds(o opt, test func(v string) bool) bool {
	if len(o.vals) == 0 && o.name == "" {
		return true
	}
	v := ""
	if len(o.vals) > 0 {
		v = o.vals[0]
	}
	return test(v) != o.neg
}

// matchOpt is one option of a match module (-m tcp --dport 80, -m
// addrtype --dst-type LOCAL, -m conntrack --ctstate NEW ...). Options of
// modules the fake does not evaluate do not match, so that a rule the
// fake cannot judge never decides.
func (ns *netns) matchOpt(module string, o opt, p *packet) bool {
	v := ""
	if len(o.vals) > 0 {
		v = o.vals[0]
	}
	switch o.name {
	case "--dport":
		return portIn(p.dport, v)
	case "--sport":
		return portIn(p.sport, v)
	case "--dports", "--sports", "--ports":
		for _, part := range strings.Split(v, ",") {
			if (o.name != "--sports" && portIn(p.dport, part)) || (o.name != "--dports" && portIn(p.sport, part)) {
				return true
			}
		}
		return false
	case "--syn":
		return true // the first packet is the SYN
	case "--dst-type":
		return ns.addrType(p.dst, v)
	case "--src-type":
		return ns.addrType(p.src, v)
	case "--ctstate", "--state":
		return strings.Contains(","+v+",", ",NEW,")
	case "--comment":
		return true
	}
	return false
}

// addrType is -m addrtype: LOCAL is an address of this namespace,
// UNICAST any other single address.
func (ns *netns) addrType(ip net.IP, types string) bool {
	for _, t := range strings.Split(types, ",") {
		switch t {
		case "LOCAL":
			if ns.isLocal(ip) {
				return true
			}
		case "UNICAST":
			if !ns.isLocal(ip) && !ip.IsUnspecified() {
				return true
			}
		}
	}
	return false
}

func inCIDR(ip net.IP, cidr string) bool {
	_, n, err := net.ParseCIDR(cidr)
	return err == nil && ip != nil && n.Contains(ip)
}

// ifaceMatch is -i/-o: a name, or a prefix ending in "+".
func ifaceMatch(have, want string) bool {
	if have == "" {
		return false
	}
	if strings.HasSuffix(want, "+") {
		return strings.HasPrefix(have, strings.TrimSuffix(want, "+"))
	}
	return have == want
}

// portIn is "80" or a range "1000:2000".
func portIn(port int, spec string) bool {
	lo, hi, isRange := strings.Cut(spec, ":")
	a, err := strconv.Atoi(lo)
	if err != nil && !(isRange && lo == "") {
		return false
	}
	if !isRange {
		return port == a
	}
	b := 65535
	if hi != "" {
		if b, err = strconv.Atoi(hi); err != nil {
			return false
		}
	}
	return port >= a && port <= b
}
