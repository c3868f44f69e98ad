// iptables tables and chains: the go-iptables-shaped methods of
// backend.IPTables (reference docs/kernels.md §2
// "Operations" and "Exit codes differ by backend", §6 iptables table; book
// ch.6 iptables DOCKER chain; upstream Docker 1.2.0 pkg/iptables/iptables.go
// and 0.1.0 network.go PortMapper drove these through /sbin/iptables).
//
// Error texts are what iptables-nft 1.8.9 prints; the sentinel says what
// kind of failure it is (a missing chain or rule is ErrNotFound, a chain
// still in use ErrBusy).
package fake

import (
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// iptHandle is a namespace's netfilter.
type iptHandle struct{ h *netHandle }

func (h *netHandle) IPTables() backend.IPTables { return &iptHandle{h: h} }

// newTables makes nat and filter with their builtin chains, policy ACCEPT.
func newTables() map[string]*table {
	t := map[string]*table{}
	for name, chains := range backend.BuiltinChains {
		tb := &table{}
		for _, c := range chains {
			tb.Chains = append(tb.Chains, &chain{Name: c, Builtin: true, Policy: "ACCEPT"})
		}
		t[name] = tb
	}
	return t
}

func iptOp(table, flag, chain string) string {
	s := "iptables -t " + table + " " + flag
	if chain != "" {
		s += " " + chain
	}
	return s
}

func iptErr(kind error, errno syscall.Errno, op, format string, args ...any) error {
	return backend.Errorf(kind, errno, op, "", format, args...)
}

func (t *table) chain(name string) *chain {
	for _, c := range t.Chains {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// references counts the rules of the table that jump to a chain.
func (t *table) references(name string) int {
	n := 0
	for _, c := range t.Chains {
		for _, r := range c.Rules {
			if r.Jump == name {
				n++
			}
		}
	}
	return n
}

// withTable runs fn on one table of the handle's namespace.
func (x *iptHandle) withTable(op, tname string, write bool, fn func(t *table) error) error {
	run := x.h.read
	if write {
		run = x.h.with
	}
	return run(op, func(m *machine, ns *netns) error {
		t, ok := ns.Tables[tname]
		if !ok {
			return iptErr(backend.ErrNotFound, syscall.ENOENT, "iptables -t "+tname, "table '%s' does not exist", tname)
		}
		return fn(t)
	})
}

// ruleFor canonicalises a spec and checks its target exists in the table.
func ruleFor(t *table, op string, spec []string) (ruleEntry, error) {
	r, s, err := canonRule(spec)
	if err != nil {
		e := err.(*backend.Error)
		e.Op = op
		return ruleEntry{}, e
	}
	if r.jump != "" && !builtinTargets[r.jump] && t.chain(r.jump) == nil {
		return ruleEntry{}, iptErr(backend.ErrNotFound, syscall.ENOENT, op, "Chain '%s' does not exist", r.jump)
	}
	return ruleEntry{Spec: s, Jump: r.jump}, nil
}

func noChain(op string) error {
	return iptErr(backend.ErrNotFound, syscall.ENOENT, op, "No chain/target/match by that name.")
}

func (x *iptHandle) Exists(tname, cname string, spec ...string) (bool, error) {
	op := iptOp(tname, "-C", cname)
	found := false
	err := x.withTable("Exists", tname, false, func(t *table) error {
		c := t.chain(cname)
		if c == nil {
			return nil // go-iptables: a missing chain is "false, nil"
		}
		e, err := ruleFor(t, op, spec)
		if err != nil {
			return err
		}
		for _, r := range c.Rules {
			if r.Spec == e.Spec {
				found = true
			}
		}
		return nil
	})
	return found, err
}

func (x *iptHandle) Insert(tname, cname string, pos int, spec ...string) error {
	op := iptOp(tname, "-I", cname)
	return x.withTable("Insert", tname, true, func(t *table) error {
		c := t.chain(cname)
		if c == nil {
			return noChain(op)
		}
		if pos < 1 {
			return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "Invalid rule number `%d'", pos)
		}
		if pos > len(c.Rules)+1 {
			return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "Index of insertion too big.")
		}
		e, err := ruleFor(t, op, spec)
		if err != nil {
			return err
		}
		c.Rules = append(c.Rules[:pos-1], append([]ruleEntry{e}, c.Rules[pos-1:]...)...)
		return nil
	})
}

func (x *iptHandle) Append(tname, cname string, spec ...string) error {
	return x.appendRule("Append", tname, cname, false, spec)
}

// AppendUnique appends unless the same rule is already there.
func (x *iptHandle) AppendUnique(tname, cname string, spec ...string) error {
	return x.appendRule("AppendUnique", tname, cname, true, spec)
}

func (x *iptHandle) appendRule(opName, tname, cname string, unique bool, spec []string) error {
	op := iptOp(tname, "-A", cname)
	return x.withTable(opName, tname, true, func(t *table) error {
		c := t.chain(cname)
		if c == nil {
			return noChain(op)
		}
		e, err := ruleFor(t, op, spec)
		if err != nil {
			return err
		}
		if unique {
			for _, r := range c.Rules {
				if r.Spec == e.Spec {
					return nil
				}
			}
		}
		c.Rules = append(c.Rules, e)
		return nil
	})
}

// Delete removes the first rule equal to spec.
func (x *iptHandle) Delete(tname, cname string, spec ...string) error {
	op := iptOp(tname, "-D", cname)
	return x.withTable("Delete", tname, true, func(t *table) error {
		c := t.chain(cname)
		if c == nil {
			return noChain(op)
		}
		e, err := ruleFor(t, op, spec)
		if err != nil {
			return err
		}
		for i, r := range c.Rules {
			if r.Spec == e.Spec {
				c.Rules = append(c.Rules[:i], c.Rules[i+1:]...)
				return nil
			}
		}
		return iptErr(backend.ErrNotFound, syscall.ENOENT, op, "Bad rule (does a matching rule exist in that chain?).")
	})
}

// deleteNum removes rule number n (1-based): `iptables -D CHAIN N`.
func (x *iptHandle) deleteNum(tname, cname string, n int) error {
	op := iptOp(tname, "-D", cname)
	return x.withTable("Delete", tname, true, func(t *table) error {
		c := t.chain(cname)
		if c == nil {
			return noChain(op)
		}
		if n < 1 || n > len(c.Rules) {
			return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "Index of deletion too big.")
		}
		c.Rules = append(c.Rules[:n-1], c.Rules[n:]...)
		return nil
	})
}

// chainLines prints one chain as `iptables -S CHAIN` does.
func chainLines(c *chain) []string {
	var out []string
	if c.Builtin {
		out = append(out, "-P "+c.Name+" "+c.Policy)
	} else {
		out = append(out, "-N "+c.Name)
	}
	for _, r := range c.Rules {
		out = append(out, ruleLine(c.Name, r.Spec))
	}
	return out
}

func ruleLine(chain, spec string) string {
	if spec == "" {
		return "-A " + chain
	}
	return "-A " + chain + " " + spec
}

func (x *iptHandle) List(tname, cname string) ([]string, error) {
	var out []string
	op := iptOp(tname, "-S", cname)
	err := x.withTable("List", tname, false, func(t *table) error {
		c := t.chain(cname)
		if c == nil {
			return noChain(op)
		}
		out = chainLines(c)
		return nil
	})
	return out, err
}

// ListChains lists builtins in their order, then user chains in creation order.
func (x *iptHandle) ListChains(tname string) ([]string, error) {
	var out []string
	err := x.withTable("ListChains", tname, false, func(t *table) error {
		for _, c := range t.Chains {
			out = append(out, c.Name)
		}
		return nil
	})
	return out, err
}

func (x *iptHandle) ChainExists(tname, cname string) (bool, error) {
	found := false
	err := x.withTable("ChainExists", tname, false, func(t *table) error {
		found = t.chain(cname) != nil
		return nil
	})
	return found, err
}

// checkChainName copies iptables' rules for a new chain's name.
func checkChainName(op, name string) error {
	switch {
	case name == "" || strings.HasPrefix(name, "-") || strings.HasPrefix(name, "!"):
		return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "Invalid chain name `%s'", name)
	case len(name) > 28:
		return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "chain name `%s' too long (must be under 29 chars)", name)
	case builtinTargets[name]:
		return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "chain name may not clash with target name")
	case strings.ContainsAny(name, " \t\n"):
		return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "Invalid chain name `%s'", name)
	}
	return nil
}

func (x *iptHandle) NewChain(tname, cname string) error {
	op := iptOp(tname, "-N", cname)
	if err := checkChainName(op, cname); err != nil {
		return err
	}
	return x.withTable("NewChain", tname, true, func(t *table) error {
		if t.chain(cname) != nil {
			return iptErr(backend.ErrExists, syscall.EEXIST, op, "Chain already exists.")
		}
		t.Chains = append(t.Chains, &chain{Name: cname})
		return nil
	})
}

// ClearChain flushes a chain, creating it when missing (go-iptables runs
// -N and falls back to -F).
func (x *iptHandle) ClearChain(tname, cname string) error {
	op := iptOp(tname, "-N", cname)
	return x.withTable("ClearChain", tname, true, func(t *table) error {
		if c := t.chain(cname); c != nil {
			c.Rules = nil
			return nil
		}
		if err := checkChainName(op, cname); err != nil {
			return err
		}
		t.Chains = append(t.Chains, &chain{Name: cname})
		return nil
	})
}

// flush is `iptables -F [CHAIN]`: an empty name flushes every chain.
func (x *iptHandle) flush(tname, cname string) error {
	op := iptOp(tname, "-F", cname)
	return x.withTable("Flush", tname, true, func(t *table) error {
		if cname == "" {
			for _, c := range t.Chains {
				c.Rules = nil
			}
			return nil
		}
		c := t.chain(cname)
		if c == nil {
			return noChain(op)
		}
		c.Rules = nil
		return nil
	})
}

// DeleteChain deletes an empty, unreferenced user chain. nft answers a
// builtin, non-empty or referenced chain with EBUSY.
func (x *iptHandle) DeleteChain(tname, cname string) error {
	op := iptOp(tname, "-X", cname)
	return x.withTable("DeleteChain", tname, true, func(t *table) error {
		return deleteChain(t, op, cname)
	})
}

func deleteChain(t *table, op, cname string) error {
	c := t.chain(cname)
	if c == nil {
		return noChain(op)
	}
	if c.Builtin || len(c.Rules) > 0 || t.references(cname) > 0 {
		return iptErr(backend.ErrBusy, syscall.EBUSY, op, "CHAIN_DEL failed (Device or resource busy): chain %s", cname)
	}
	for i, x := range t.Chains {
		if x == c {
			t.Chains = append(t.Chains[:i], t.Chains[i+1:]...)
			break
		}
	}
	return nil
}

// deleteAllChains is `iptables -X` with no name: every empty, unreferenced
// user chain goes.
func (x *iptHandle) deleteAllChains(tname string) error {
	op := iptOp(tname, "-X", "")
	return x.withTable("DeleteChain", tname, true, func(t *table) error {
		var user []string
		for _, c := range t.Chains {
			if !c.Builtin {
				user = append(user, c.Name)
			}
		}
		for _, n := range user {
			if err := deleteChain(t, op, n); err != nil {
				return err
			}
		}
		return nil
	})
}

func (x *iptHandle) ChangePolicy(tname, cname, target string) error {
	op := iptOp(tname, "-P", cname)
	return x.withTable("ChangePolicy", tname, true, func(t *table) error {
		c := t.chain(cname)
		if c == nil || !c.Builtin {
			return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "Bad built-in chain name.")
		}
		if target != "ACCEPT" && target != "DROP" {
			return iptErr(backend.ErrInvalid, syscall.EINVAL, op, "Bad policy name.")
		}
		c.Policy = target
		return nil
	})
}
