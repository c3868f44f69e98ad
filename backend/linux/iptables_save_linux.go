//go:build linux

// Save: the nat and filter tables as iptables-save prints them, in one
// stable form shared with the fake backend so the contract suite can
// compare the two: "*filter" then "*nat", each with its builtin chains in
// order, user chains sorted, then the -A lines as iptables-save gave them,
// then COMMIT; no comments, counters always [0:0] (reference §6 "golden
// layer").

package linux

import (
	"bytes"
	"os/exec"
	"sort"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
)

// savedTable is one table parsed from iptables-save.
type savedTable struct {
	policies map[string]string // chain → policy ("-" for user chains)
	rules    []string          // "-A …" lines, in order
}

// Save runs iptables-save once inside the namespace and prints filter and
// nat. A table nobody has used yet is absent from nft's output: it is
// printed with its builtin chains, as it would be once used.
func (t ipTables) Save() (string, error) {
	if err := t.n.hold(); err != nil {
		return "", err
	}
	defer t.n.release()
	path, err := t.n.host.savePath()
	if err != nil {
		return "", err
	}
	var out []byte
	err = inNetNS(t.n.ns, func() error {
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(path)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				msg = err.Error()
			}
			kind, errno := classifyIptables(msg)
			return backend.Errorf(kind, errno, "iptables-save", "", "%s", firstLine(msg))
		}
		out = stdout.Bytes()
		return nil
	})
	if err != nil {
		return "", err
	}
	tables := splitTables(string(out))
	var b strings.Builder
	for _, table := range []string{backend.TableFilter, backend.TableNat} { // sorted by name
		writeTable(&b, table, parseSave(tables[table]))
	}
	return b.String(), nil
}

// splitTables cuts iptables-save output into its "*table" sections.
func splitTables(text string) map[string]string {
	tables := map[string]string{}
	current := ""
	for _, line := range strings.Split(text, "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "*"); ok {
			current = name
			continue
		}
		if current != "" {
			tables[current] += line + "\n"
		}
	}
	return tables
}

// parseSave reads one table of iptables-save output.
func parseSave(text string) savedTable {
	st := savedTable{policies: map[string]string{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "", strings.HasPrefix(line, "#"), strings.HasPrefix(line, "*"), line == "COMMIT":
		case strings.HasPrefix(line, ":"):
			f := strings.Fields(line[1:])
			if len(f) >= 2 {
				st.policies[f[0]] = f[1]
			}
		case strings.HasPrefix(line, "["): // "[p:b] -A …" when counters were asked for
			if i := strings.Index(line, "] "); i >= 0 {
				st.rules = append(st.rules, line[i+2:])
			}
		default:
			st.rules = append(st.rules, line)
		}
	}
	return st
}

// writeTable prints one table in the shared stable format.
func writeTable(b *strings.Builder, table string, st savedTable) {
	b.WriteString("*" + table + "\n")
	for _, c := range backend.BuiltinChains[table] {
		policy := st.policies[c]
		if policy == "" {
			policy = "ACCEPT"
		}
		b.WriteString(":" + c + " " + policy + " [0:0]\n")
	}
	var user []string
	for c := range st.policies {
		if !isBuiltin(table, c) {
			user = append(user, c)
		}
	}
	sort.Strings(user)
	for _, c := range user {
		b.WriteString(":" + c + " - [0:0]\n")
	}
	for _, r := range st.rules {
		b.WriteString(r + "\n")
	}
	b.WriteString("COMMIT\n")
}
