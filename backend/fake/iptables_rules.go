// iptables rule specs: parse an argv fragment and print it the way
// iptables-nft 1.8.9 lists it in `iptables -S` and iptables-save (reference
// docs/kernels.md §2 "Canonicalisation (measured)" and §6;
// book ch.6 iptables rules of the bridge driver).
//
// What the real tool does, measured on Debian 12 (iptables v1.8.9 nft):
//
//	-p tcp --dport 80          -> -p tcp -m tcp --dport 80   (implicit match loaded
//	                              where its first option appears)
//	-d 172.17.0.2              -> -d 172.17.0.2/32
//	-s 172.17.42.1/16          -> -s 172.17.0.0/16           (network, host bits cleared)
//	-d 0/0, -p all             -> (nothing)
//	order                      -> -s -d -i -o -p, then each -m with its options
//	                              in the order given, then -j and its options
//	! --dst 127.0.0.0/8        -> ! -d 127.0.0.0/8
//	--ctstate ESTABLISHED,RELATED -> --ctstate RELATED,ESTABLISHED
//	-j REJECT                  -> -j REJECT --reject-with icmp-port-unreachable
//	--comment "hi there"       -> --comment "hi there"       (quoted only when needed)
//
// An option no loaded match knows is "unknown option" as in iptables; the
// options of a match module the fake does not know are kept as given.
package fake

import (
	"strconv"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// opt is one option with its values, possibly negated.
type opt struct {
	neg  bool
	name string
	vals []string
}

// match is one `-m NAME` module with its options.
type match struct {
	name string
	opts []opt
}

// rule is a parsed rule spec.
type rule struct {
	src, dst, in, out, proto opt // name unused; vals[0] is the value, empty if unset
	matches                  []match
	jump                     string // -j or -g target
	gotoChain                bool
	targetOpts               []opt
}

// Options each known match module or target takes, with how many values.
// A negative count means "values up to the next option".
var moduleOpts = map[string]map[string]int{
	"tcp":       {"--dport": 1, "--sport": 1, "--tcp-flags": 2, "--syn": 0, "--tcp-option": 1},
	"udp":       {"--dport": 1, "--sport": 1},
	"addrtype":  {"--src-type": 1, "--dst-type": 1, "--limit-iface-in": 0, "--limit-iface-out": 0},
	"conntrack": {"--ctstate": 1, "--ctproto": 1, "--ctorigsrc": 1, "--ctorigdst": 1, "--ctstatus": 1},
	"state":     {"--state": 1},
	"comment":   {"--comment": 1},
	"multiport": {"--dports": 1, "--sports": 1, "--ports": 1},
	"mark":      {"--mark": 1},
	"physdev":   {"--physdev-in": 1, "--physdev-out": 1, "--physdev-is-bridged": 0},
}

var targetOpts = map[string]map[string]int{
	"DNAT":       {"--to-destination": 1, "--random": 0, "--persistent": 0},
	"SNAT":       {"--to-source": 1, "--random": 0, "--random-fully": 0, "--persistent": 0},
	"MASQUERADE": {"--to-ports": 1, "--random": 0, "--random-fully": 0},
	"REDIRECT":   {"--to-ports": 1, "--random": 0},
	"REJECT":     {"--reject-with": 1},
	"LOG":        {"--log-prefix": 1, "--log-level": 1, "--log-tcp-sequence": 0, "--log-tcp-options": 0, "--log-ip-options": 0, "--log-uid": 0},
	"MARK":       {"--set-mark": 1, "--set-xmark": 1, "--and-mark": 1, "--or-mark": 1, "--xor-mark": 1},
}

// builtinTargets are targets that are not chains.
var builtinTargets = map[string]bool{
	"ACCEPT": true, "DROP": true, "RETURN": true, "QUEUE": true, "REJECT": true, "DNAT": true, "SNAT": true,
	"MASQUERADE": true, "REDIRECT": true, "LOG": true, "MARK": true, "CONNMARK": true, "NFQUEUE": true,
	"TCPMSS": true, "NOTRACK": true, "CT": true,
}

// optionAliases maps long and old spellings to the names iptables prints.
var optionAliases = map[string]string{
	"--source": "-s", "--src": "-s", "--destination": "-d", "--dst": "-d",
	"--in-interface": "-i", "--out-interface": "-o", "--protocol": "-p",
	"--jump": "-j", "--goto": "-g", "--match": "-m",
	"--destination-port": "--dport", "--source-port": "--sport",
	"--to": "--to-destination",
}

func badRule(format string, args ...any) error {
	return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "iptables", "", format, args...)
}

// parseRule parses an argv fragment of rule options.
func parseRule(args []string) (*rule, error) {
	r := &rule{}
	neg := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "!" {
			if neg {
				return nil, badRule("multiple \"!\" flags not allowed")
			}
			neg = true
			continue
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return nil, badRule("Bad argument `%s'", a)
		}
		name := a
		if alias, ok := optionAliases[a]; ok {
			name = alias
		}
		value := func() (string, error) {
			if i+1 >= len(args) {
				return "", badRule("option %q requires an argument", a)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "-s", "-d":
			var v string
			if v, err = value(); err == nil {
				v, err = canonAddr(v)
			}
			o := opt{neg: neg, vals: []string{v}}
			if v == "0.0.0.0/0" {
				if neg {
					return nil, badRule("RULE_APPEND failed (Invalid argument): \"! %s 0.0.0.0/0\" matches nothing", name)
				}
				o = opt{}
			}
			if name == "-s" {
				r.src = o
			} else {
				r.dst = o
			}
		case "-i", "-o":
			var v string
			if v, err = value(); err == nil && len(v) > ifNameMax {
				err = badRule("interface name `%s' must be shorter than IFNAMSIZ (%d)", v, ifNameMax)
			}
			if name == "-i" {
				r.in = opt{neg: neg, vals: []string{v}}
			} else {
				r.out = opt{neg: neg, vals: []string{v}}
			}
		case "-p":
			var v string
			if v, err = value(); err == nil {
				v = canonProto(v)
				r.proto = opt{neg: neg, vals: []string{v}}
				if v == "" {
					r.proto = opt{}
				}
			}
		case "-m":
			var v string
			if v, err = value(); err == nil {
				r.addMatch(v)
			}
		case "-j", "-g":
			if r.jump, err = value(); err == nil {
				r.gotoChain = name == "-g"
			}
		default:
			err = r.addOption(args, &i, neg, name)
		}
		if err != nil {
			return nil, err
		}
		neg = false
	}
	if neg {
		return nil, badRule("\"!\" at the end of the rule")
	}
	if r.jump == "REJECT" && len(r.targetOpts) == 0 {
		r.targetOpts = []opt{{name: "--reject-with", vals: []string{"icmp-port-unreachable"}}}
	}
	if err := r.checkNATPort(); err != nil {
		return nil, err
	}
	return r, nil
}

// checkNATPort refuses what the DNAT/SNAT target refuses: a port in
// --to-destination/--to-source without a protocol that has ports.
func (r *rule) checkNATPort() error {
	switch r.protoName() {
	case "tcp", "udp", "sctp", "dccp":
		return nil
	}
	for _, o := range r.targetOpts {
		if o.name != "--to-destination" && o.name != "--to-source" {
			continue
		}
		for _, v := range o.vals {
			if strings.Contains(v, ":") {
				return badRule("Need TCP, UDP, SCTP or DCCP with port specification")
			}
		}
	}
	return nil
}

// checkPorts refuses a numeric --dport/--sport (or a:b range) outside
// 0..65535, as iptables' port parser does; service names are left alone.
func checkPorts(name string, vals []string) error {
	if name != "--dport" && name != "--sport" {
		return nil
	}
	for _, v := range vals {
		for _, p := range strings.Split(v, ":") {
			if p == "" || strings.Trim(p, "0123456789") != "" {
				continue
			}
			if n, err := strconv.Atoi(p); err != nil || n > 65535 {
				return badRule("invalid port/service `%s' specified", p)
			}
		}
	}
	return nil
}

func (r *rule) addMatch(name string) *match {
	for i := range r.matches {
		if r.matches[i].name == name {
			return &r.matches[i]
		}
	}
	r.matches = append(r.matches, match{name: name})
	return &r.matches[len(r.matches)-1]
}

// addOption files an option under the target, a loaded match, the implicit
// protocol match, or (last) an unknown loaded match.
func (r *rule) addOption(args []string, i *int, neg bool, name string) error {
	take := func(n int) ([]string, error) {
		var vals []string
		if n < 0 {
			for *i+1 < len(args) && !strings.HasPrefix(args[*i+1], "-") && args[*i+1] != "!" {
				*i++
				vals = append(vals, args[*i])
			}
			return vals, nil
		}
		if *i+n >= len(args) {
			return nil, badRule("option %q requires an argument", name)
		}
		vals = append(vals, args[*i+1:*i+1+n]...)
		*i += n
		return vals, nil
	}
	if n, ok := targetOpts[r.jump][name]; ok {
		vals, err := take(n)
		r.targetOpts = append(r.targetOpts, opt{neg: neg, name: name, vals: vals})
		return err
	}
	var m *match
	n := 0
	for j := range r.matches {
		if c, ok := moduleOpts[r.matches[j].name][name]; ok {
			m, n = &r.matches[j], c
		}
	}
	if p := r.protoName(); m == nil && (p == "tcp" || p == "udp") {
		if c, ok := moduleOpts[p][name]; ok {
			m, n = r.addMatch(p), c
		}
	}
	if m == nil {
		for j := len(r.matches) - 1; j >= 0 && m == nil; j-- {
			if _, known := moduleOpts[r.matches[j].name]; !known {
				m, n = &r.matches[j], -1
			}
		}
	}
	if m == nil && builtinTargets[r.jump] && targetOpts[r.jump] == nil {
		// a target the fake has no table for (CONNMARK, CT, ...): keep
		// its options as given
		vals, err := take(-1)
		r.targetOpts = append(r.targetOpts, opt{neg: neg, name: name, vals: vals})
		return err
	}
	if m == nil {
		return badRule("unknown option %q", name)
	}
	vals, err := take(n)
	if err != nil {
		return err
	}
	if err := checkPorts(name, vals); err != nil {
		return err
	}
	m.opts = append(m.opts, opt{neg: neg, name: name, vals: canonValues(name, vals)})
	return nil
}

func (r *rule) protoName() string {
	if len(r.proto.vals) == 0 || r.proto.neg {
		return ""
	}
	return r.proto.vals[0]
}

// String prints the rule in canonical form.
func (r *rule) String() string {
	var b []string
	base := func(flag string, o opt) {
		if len(o.vals) == 0 {
			return
		}
		if o.neg {
			b = append(b, "!")
		}
		b = append(b, flag, o.vals[0])
	}
	base("-s", r.src)
	base("-d", r.dst)
	base("-i", r.in)
	base("-o", r.out)
	base("-p", r.proto)
	opts := func(os []opt) {
		for _, o := range os {
			if o.neg {
				b = append(b, "!")
			}
			b = append(b, o.name)
			for _, v := range o.vals {
				b = append(b, quoteValue(v))
			}
		}
	}
	for _, m := range r.matches {
		b = append(b, "-m", m.name)
		opts(m.opts)
	}
	if r.jump != "" {
		if r.gotoChain {
			b = append(b, "-g", r.jump)
		} else {
			b = append(b, "-j", r.jump)
		}
		opts(r.targetOpts)
	}
	return strings.Join(b, " ")
}

// canonRule parses and prints a rule spec.
func canonRule(spec []string) (*rule, string, error) {
	r, err := parseRule(spec)
	if err != nil {
		return nil, "", err
	}
	return r, r.String(), nil
}
