// Canonical values in iptables rules: protocols, addresses, conntrack
// states, quoting — what iptables-nft 1.8.9 prints for what a user wrote
// (reference docs/kernels.md §2 "Canonicalisation
// (measured)"; see iptables_rules.go for the measured examples).
package fake

import (
	"net"
	"strconv"
	"strings"
)

// canonProto lowercases and names the common protocol numbers; "all" and
// 0 mean any protocol and are not printed.
func canonProto(p string) string {
	p = strings.ToLower(p)
	switch p {
	case "all", "0":
		return ""
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	}
	return p
}

// canonAddr turns "a.b.c.d", "a.b.c.d/len", "a.b.c.d/mask" or "0/0" into
// the network in CIDR form, as iptables stores it.
func canonAddr(v string) (string, error) {
	host, bits, hasBits := strings.Cut(v, "/")
	if host == "0" {
		host = "0.0.0.0"
	}
	ip := net.ParseIP(host).To4()
	if ip == nil {
		return "", badRule("host/network `%s' not found", host)
	}
	ones := 32
	if hasBits {
		if n, err := strconv.Atoi(bits); err == nil && n >= 0 && n <= 32 {
			ones = n
		} else if mask := net.ParseIP(bits).To4(); mask != nil {
			o, b := net.IPMask(mask).Size()
			if b == 0 {
				return "", badRule("invalid mask `%s' specified", bits)
			}
			ones = o
		} else {
			return "", badRule("invalid mask `%s' specified", bits)
		}
	}
	mask := net.CIDRMask(ones, 32)
	return (&net.IPNet{IP: ip.Mask(mask), Mask: mask}).String(), nil
}

// ctStateOrder is the order iptables prints conntrack states in.
var ctStateOrder = []string{"INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"}

func canonValues(name string, vals []string) []string {
	if len(vals) != 1 {
		return vals
	}
	v := vals[0]
	switch name {
	case "--ctstate", "--state":
		have := map[string]bool{}
		for _, s := range strings.Split(strings.ToUpper(v), ",") {
			have[s] = true
		}
		var out []string
		for _, s := range ctStateOrder {
			if have[s] {
				out = append(out, s)
				delete(have, s)
			}
		}
		if len(have) > 0 {
			return vals // an unknown state: leave it to the reader to see
		}
		return []string{strings.Join(out, ",")}
	case "--dst-type", "--src-type":
		return []string{strings.ToUpper(v)}
	}
	return vals
}

// quoteValue quotes a value containing spaces or quotes, as iptables-save
// does for comments and log prefixes.
func quoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\"'\\") {
		return v
	}
	return `"` + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `"`, `\"`) + `"`
}

// splitQuoted splits a canonical rule line back into words, honouring the
// double quotes quoteValue adds.
func splitQuoted(s string) []string {
	var out []string
	var cur strings.Builder
	inQ, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && inQ && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case c == '"':
			inQ, have = !inQ, true
		case c == ' ' && !inQ:
			if have || cur.Len() > 0 {
				out = append(out, cur.String())
			}
			cur.Reset()
			have = false
		default:
			cur.WriteByte(c)
		}
	}
	if have || cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
