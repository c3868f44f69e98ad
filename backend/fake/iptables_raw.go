// Raw: one iptables command line, as Docker ran /sbin/iptables (upstream
// Docker 0.1.0 network.go `iptables(args...)` and Docker 1.2.0
// pkg/iptables/iptables.go `Raw`; reference docs/upstream/v0.1.0.md §3 PortMapper,
// docs/upstream/v1.2.0.md §3.1-3.2; book ch.6 §6.5 and ch.7 §7.4 port
// mapping).
//
// The argv is parsed like iptables parses it: options may come in any
// order (Docker 1.2 wrote `-C POSTROUTING -t nat -s ...`), exactly one
// command, `--wait` accepted and ignored (the fake has no xtables lock).
package fake

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// rawCommands maps each command flag to its short form.
var rawCommands = map[string]string{
	"-A": "-A", "--append": "-A", "-I": "-I", "--insert": "-I", "-D": "-D", "--delete": "-D",
	"-C": "-C", "--check": "-C", "-N": "-N", "--new-chain": "-N", "-F": "-F", "--flush": "-F",
	"-X": "-X", "--delete-chain": "-X", "-L": "-L", "--list": "-L", "-S": "-S", "--list-rules": "-S",
	"-P": "-P", "--policy": "-P", "-Z": "-Z", "--zero": "-Z",
}

// rawCmd is a parsed command line.
type rawCmd struct {
	table string
	cmd   string
	pos   []string // the command's own arguments (chain, position, policy)
	spec  []string // rule options
}

func rawErr(format string, args ...any) error {
	return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "iptables", "", format, args...)
}

func parseRaw(args []string) (*rawCmd, error) {
	c := &rawCmd{table: backend.TableFilter}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-t" || a == "--table":
			if i+1 >= len(args) {
				return nil, rawErr("option %q requires an argument", a)
			}
			i++
			c.table = args[i]
		case a == "-w" || a == "--wait":
			if i+1 < len(args) {
				if _, err := strconv.Atoi(args[i+1]); err == nil {
					i++
				}
			}
		case a == "-W" || a == "--wait-interval":
			i++
		case a == "-n" || a == "--numeric" || a == "-v" || a == "--verbose" || a == "-x" ||
			a == "--exact" || a == "--line-numbers":
			// display flags: the fake always prints numerically
		case rawCommands[a] != "":
			if c.cmd != "" {
				return nil, rawErr("Can't use %s with %s", a, c.cmd)
			}
			c.cmd = rawCommands[a]
			for i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && args[i+1] != "!" {
				i++
				c.pos = append(c.pos, args[i])
			}
		default:
			c.spec = append(c.spec, a)
		}
	}
	if c.cmd == "" {
		return nil, rawErr("no command specified")
	}
	return c, nil
}

// Raw runs one iptables command line and returns what it printed.
func (x *iptHandle) Raw(args ...string) ([]byte, error) {
	c, err := parseRaw(args)
	if err != nil {
		return nil, err
	}
	chain := ""
	if len(c.pos) > 0 {
		chain = c.pos[0]
	}
	need := func(n int, what string) error {
		if len(c.pos) < n {
			return rawErr("%s requires %s", c.cmd, what)
		}
		return nil
	}
	noSpec := func() error {
		if len(c.spec) > 0 {
			return rawErr("Illegal option `%s' with this command", c.spec[0])
		}
		return nil
	}
	switch c.cmd {
	case "-A":
		if err := need(1, "a chain"); err != nil {
			return nil, err
		}
		return nil, x.Append(c.table, chain, c.spec...)
	case "-I":
		if err := need(1, "a chain"); err != nil {
			return nil, err
		}
		pos := 1
		if len(c.pos) > 1 {
			if pos, err = strconv.Atoi(c.pos[1]); err != nil {
				return nil, rawErr("Invalid rule number `%s'", c.pos[1])
			}
		}
		return nil, x.Insert(c.table, chain, pos, c.spec...)
	case "-D":
		if err := need(1, "a chain"); err != nil {
			return nil, err
		}
		if len(c.pos) > 1 {
			n, err := strconv.Atoi(c.pos[1])
			if err != nil {
				return nil, rawErr("Invalid rule number `%s'", c.pos[1])
			}
			return nil, x.deleteNum(c.table, chain, n)
		}
		return nil, x.Delete(c.table, chain, c.spec...)
	case "-C":
		if err := need(1, "a chain"); err != nil {
			return nil, err
		}
		ok, err := x.Exists(c.table, chain, c.spec...)
		if err == nil && !ok {
			err = iptErr(backend.ErrNotFound, syscall.ENOENT, iptOp(c.table, "-C", chain), "Bad rule (does a matching rule exist in that chain?).")
		}
		return nil, err
	case "-N":
		if err := need(1, "a chain"); err != nil {
			return nil, err
		}
		if err := noSpec(); err != nil {
			return nil, err
		}
		return nil, x.NewChain(c.table, chain)
	case "-F":
		return nil, x.flush(c.table, chain)
	case "-X":
		if chain == "" {
			return nil, x.deleteAllChains(c.table)
		}
		return nil, x.DeleteChain(c.table, chain)
	case "-P":
		if err := need(2, "a chain and a policy"); err != nil {
			return nil, err
		}
		return nil, x.ChangePolicy(c.table, chain, c.pos[1])
	case "-S":
		return x.listRules(c.table, chain)
	case "-L":
		return x.listTable(c.table, chain)
	case "-Z":
		return nil, x.withTable("Zero", c.table, false, func(t *table) error {
			if chain != "" && t.chain(chain) == nil {
				return noChain(iptOp(c.table, "-Z", chain))
			}
			return nil
		})
	}
	return nil, rawErr("unsupported command %s", c.cmd)
}

// listRules is `iptables -S [CHAIN]`.
func (x *iptHandle) listRules(tname, cname string) ([]byte, error) {
	var b strings.Builder
	err := x.withTable("List", tname, false, func(t *table) error {
		if cname != "" {
			c := t.chain(cname)
			if c == nil {
				return noChain(iptOp(tname, "-S", cname))
			}
			for _, l := range chainLines(c) {
				b.WriteString(l + "\n")
			}
			return nil
		}
		for _, c := range t.Chains {
			b.WriteString(chainLines(c)[0] + "\n")
		}
		for _, c := range t.Chains {
			for _, r := range c.Rules {
				b.WriteString(ruleLine(c.Name, r.Spec) + "\n")
			}
		}
		return nil
	})
	return []byte(b.String()), err
}

// listTable is `iptables -L -n [CHAIN]`: iptables' columns; the match
// column is a simplified rendering of what the match modules print.
func (x *iptHandle) listTable(tname, cname string) ([]byte, error) {
	var b strings.Builder
	err := x.withTable("List", tname, false, func(t *table) error {
		found := false
		for _, c := range t.Chains {
			if cname != "" && c.Name != cname {
				continue
			}
			found = true
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			if c.Builtin {
				fmt.Fprintf(&b, "Chain %s (policy %s)\n", c.Name, c.Policy)
			} else {
				fmt.Fprintf(&b, "Chain %s (%d references)\n", c.Name, t.references(c.Name))
			}
			fmt.Fprintf(&b, "%-9s  %-5s%-4s%-20s %-20s\n", "target", "prot", "opt", "source", "destination")
			for _, r := range c.Rules {
				b.WriteString(listRow(r.Spec) + "\n")
			}
		}
		if !found {
			return noChain(iptOp(tname, "-L", cname))
		}
		return nil
	})
	return []byte(b.String()), err
}

// protoNumbers is how `iptables -L -n` (nft) prints protocols.
var protoNumbers = map[string]string{"": "0", "tcp": "6", "udp": "17", "icmp": "1"}

func listRow(spec string) string {
	r, err := parseRule(splitQuoted(spec))
	if err != nil {
		return spec
	}
	addr := func(o opt) string {
		if len(o.vals) == 0 {
			return "0.0.0.0/0"
		}
		v := strings.TrimSuffix(o.vals[0], "/32")
		if o.neg {
			v = "!" + v
		}
		return v
	}
	prot := protoNumbers[r.protoName()]
	if prot == "" {
		prot = r.protoName()
	}
	var extra []string
	for _, m := range r.matches {
		for _, o := range m.opts {
			v := strings.Join(o.vals, " ")
			neg := ""
			if o.neg {
				neg = "!"
			}
			switch {
			case o.name == "--dport" || o.name == "--sport":
				extra = append(extra, m.name+" "+o.name[2:3]+"pt:"+neg+v)
			case m.name == "addrtype":
				extra = append(extra, "ADDRTYPE match "+strings.TrimPrefix(o.name, "--")+" "+neg+v)
			case o.name == "--ctstate":
				extra = append(extra, "ctstate "+neg+v)
			case o.name == "--comment":
				extra = append(extra, "/* "+v+" */")
			default:
				extra = append(extra, m.name+" "+neg+o.name+" "+v)
			}
		}
	}
	for _, o := range r.targetOpts {
		if o.name == "--to-destination" {
			extra = append(extra, "to:"+strings.Join(o.vals, " "))
		} else {
			extra = append(extra, strings.TrimPrefix(o.name, "--")+" "+strings.Join(o.vals, " "))
		}
	}
	// iptables' print_firewall: target, a '!' slot for the protocol,
	// protocol, options, source, destination, then the matches
	bang := ' '
	if r.proto.neg {
		bang = '!'
	}
	row := fmt.Sprintf("%-9s %c%-5s%-4s%-20s %-20s", r.jump, bang, prot, "--", addr(r.src), addr(r.dst))
	if len(extra) > 0 {
		row += " " + strings.Join(extra, " ")
	}
	return row
}
