//go:build linux

// IPTables inside one namespace (reference docs/kernels.md
// §2; Docker 1.2.0 pkg/iptables and 0.1.0's PortMapper, which exec'd
// /sbin/iptables). go-iptables execs the binary too; a child inherits the
// network namespace of the thread that forks it, so every run happens on a
// throwaway thread switched into this namespace.

package linux

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/coreos/go-iptables/iptables"
	"github.com/dockerlab/dockerlab/backend"
)

type ipTables struct{ n *Net }

var _ backend.IPTables = ipTables{}

// IPTables is the namespace's netfilter.
func (n *Net) IPTables() backend.IPTables { return ipTables{n} }

// iptablesPath finds the binary, or says how to install it.
func (h *Host) iptablesPath() (string, error) {
	name := h.opts.IPTablesPath
	if name == "" {
		name = "iptables"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", backend.Errorf(backend.ErrUnsupported, 0, "iptables", "", "iptables not found: apt-get install iptables")
	}
	return path, nil
}

// savePath is the iptables-save that goes with the iptables binary
// (iptables → iptables-save, iptables-nft → iptables-nft-save).
func (h *Host) savePath() (string, error) {
	path, err := h.iptablesPath()
	if err != nil {
		return "", err
	}
	base := filepath.Base(path)
	save := strings.Replace(base, "iptables", "iptables-save", 1)
	if i := strings.Index(base, "-"); i >= 0 { // iptables-nft → iptables-nft-save
		save = base + "-save"
	}
	full := filepath.Join(filepath.Dir(path), save)
	if _, err := exec.LookPath(full); err != nil {
		return "", backend.Errorf(backend.ErrUnsupported, 0, "iptables-save", "", "iptables-save not found next to %s: apt-get install iptables", path)
	}
	return full, nil
}

// do runs f with a go-iptables handle inside the namespace.
func (t ipTables) do(op string, f func(ipt *iptables.IPTables) error) error {
	if err := t.n.hold(); err != nil {
		return err
	}
	defer t.n.release()
	path, err := t.n.host.iptablesPath()
	if err != nil {
		return err
	}
	ipt, err := t.n.host.goIPTables(path)
	if err != nil {
		return backend.Errorf(backend.ErrUnsupported, 0, op, "", "iptables: %v", err)
	}
	return inNetNS(t.n.ns, func() error { return iptablesErr(op, f(ipt)) })
}

// goIPTables is the go-iptables handle, made once per Host: making one
// runs `iptables --version`, which does not depend on the namespace. The
// handle only remembers the path and the version's features; each call
// execs iptables from the calling thread, which do() switches into the
// right namespace.
func (h *Host) goIPTables(path string) (*iptables.IPTables, error) {
	h.iptOnce.Do(func() { h.ipt, h.iptErr = iptables.New(iptables.Path(path)) })
	return h.ipt, h.iptErr
}

func opOf(table, flag, chain string, spec ...string) string {
	return strings.Join(append([]string{"iptables -t", table, flag, chain}, spec...), " ")
}

// Exists is -C; a missing chain answers false, nil as go-iptables does.
func (t ipTables) Exists(table, chain string, rulespec ...string) (bool, error) {
	var ok bool
	err := t.do(opOf(table, "-C", chain, rulespec...), func(ipt *iptables.IPTables) (err error) {
		ok, err = ipt.Exists(table, chain, rulespec...)
		return err
	})
	if errors.Is(err, backend.ErrNotFound) {
		return false, nil
	}
	return ok, err
}

// Insert is -I CHAIN POS (1-based).
func (t ipTables) Insert(table, chain string, pos int, rulespec ...string) error {
	return t.do(opOf(table, "-I", chain, rulespec...), func(ipt *iptables.IPTables) error {
		return ipt.Insert(table, chain, pos, rulespec...)
	})
}

// Append is -A.
func (t ipTables) Append(table, chain string, rulespec ...string) error {
	return t.do(opOf(table, "-A", chain, rulespec...), func(ipt *iptables.IPTables) error {
		return ipt.Append(table, chain, rulespec...)
	})
}

// AppendUnique is -C, then -A if missing.
func (t ipTables) AppendUnique(table, chain string, rulespec ...string) error {
	return t.do(opOf(table, "-A", chain, rulespec...), func(ipt *iptables.IPTables) error {
		return ipt.AppendUnique(table, chain, rulespec...)
	})
}

// Delete is -D: the first matching rule.
func (t ipTables) Delete(table, chain string, rulespec ...string) error {
	return t.do(opOf(table, "-D", chain, rulespec...), func(ipt *iptables.IPTables) error {
		return ipt.Delete(table, chain, rulespec...)
	})
}

// List is -S CHAIN.
func (t ipTables) List(table, chain string) ([]string, error) {
	var lines []string
	err := t.do(opOf(table, "-S", chain), func(ipt *iptables.IPTables) (err error) {
		lines, err = ipt.List(table, chain)
		return err
	})
	return lines, err
}

// ListChains is -S, chain names only.
func (t ipTables) ListChains(table string) ([]string, error) {
	var chains []string
	err := t.do(opOf(table, "-S", ""), func(ipt *iptables.IPTables) (err error) {
		chains, err = ipt.ListChains(table)
		return err
	})
	return chains, err
}

// ChainExists is -S CHAIN 1.
func (t ipTables) ChainExists(table, chain string) (bool, error) {
	var ok bool
	err := t.do(opOf(table, "-S", chain), func(ipt *iptables.IPTables) (err error) {
		ok, err = ipt.ChainExists(table, chain)
		return err
	})
	return ok, err
}

// NewChain is -N.
func (t ipTables) NewChain(table, chain string) error {
	return t.do(opOf(table, "-N", chain), func(ipt *iptables.IPTables) error {
		return ipt.NewChain(table, chain)
	})
}

// ClearChain is -N, or -F when it exists.
func (t ipTables) ClearChain(table, chain string) error {
	return t.do(opOf(table, "-F", chain), func(ipt *iptables.IPTables) error {
		return ipt.ClearChain(table, chain)
	})
}

// DeleteChain is -X: the chain must be empty and unreferenced.
func (t ipTables) DeleteChain(table, chain string) error {
	if isBuiltin(table, chain) {
		// iptables says "Invalid argument" through nft; say it clearly.
		return backend.Errorf(backend.ErrInvalid, 0, opOf(table, "-X", chain), "", "cannot delete built-in chain %s", chain)
	}
	return t.do(opOf(table, "-X", chain), func(ipt *iptables.IPTables) error {
		return ipt.DeleteChain(table, chain)
	})
}

func isBuiltin(table, chain string) bool {
	for _, c := range backend.BuiltinChains[table] {
		if c == chain {
			return true
		}
	}
	return false
}

// ChangePolicy is -P.
func (t ipTables) ChangePolicy(table, chain, target string) error {
	return t.do(opOf(table, "-P", chain, target), func(ipt *iptables.IPTables) error {
		return ipt.ChangePolicy(table, chain, target)
	})
}

// Raw runs one iptables command line and returns its stdout.
func (t ipTables) Raw(args ...string) ([]byte, error) {
	if err := t.n.hold(); err != nil {
		return nil, err
	}
	defer t.n.release()
	path, err := t.n.host.iptablesPath()
	if err != nil {
		return nil, err
	}
	op := "iptables " + strings.Join(args, " ")
	var out []byte
	err = inNetNS(t.n.ns, func() error {
		// --wait goes first: appended last, a rule missing its final
		// value (`-A INPUT -s`) would read "--wait" as that value and
		// succeed, where iptables itself (and the fake) refuse it.
		argv := append([]string{}, args...)
		if !hasArg(argv, "--wait") && !hasArg(argv, "-w") {
			argv = append([]string{"--wait"}, argv...)
		}
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(path, argv...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		out = stdout.Bytes()
		if err != nil {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = err.Error()
			}
			kind, errno := classifyIptables(msg)
			return backend.Errorf(kind, errno, op, "", "%s", firstLine(msg))
		}
		return nil
	})
	return out, err
}

func hasArg(args []string, a string) bool {
	for _, x := range args {
		if x == a {
			return true
		}
	}
	return false
}
