// Package chapterutil holds what the chapter demos share: a scratch
// directory, a writer several goroutines may print to, and a snapshot of
// the machine's network so a demo can put it back as it found it.
//
// Not upstream: dockerlab's teaching scaffolding (docs/design.md "Users": a
// chapter demo creates the real bridge and rules, prints the kernel state
// before and after, and cleans up).
package chapterutil

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

// SyncWriter serialises writes: the daemon's goroutines and the demo
// print to the same place.
type SyncWriter struct {
	mu sync.Mutex
	W  io.Writer
}

func (w *SyncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.W.Write(p)
}

// Snapshot is what a demo may change on a machine's root namespace.
type Snapshot struct {
	links     []string
	rules     map[string][]string // table → `iptables -S` lines
	chains    map[string][]string // table → chains
	ipForward string
}

var tables = []string{"nat", "filter"}

// Take records the links, iptables rules and chains, and ip_forward.
func Take(n backend.Net) (*Snapshot, error) {
	s := &Snapshot{rules: map[string][]string{}, chains: map[string][]string{}}
	links, err := n.LinkList()
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		s.links = append(s.links, l.Name)
	}
	ipt := n.IPTables()
	for _, table := range tables {
		chains, err := ipt.ListChains(table)
		if err != nil {
			return nil, err
		}
		s.chains[table] = chains
		for _, chain := range chains {
			lines, err := ipt.List(table, chain)
			if err != nil {
				return nil, err
			}
			for _, line := range lines {
				if strings.HasPrefix(line, "-A ") {
					s.rules[table] = append(s.rules[table], line)
				}
			}
		}
	}
	if s.ipForward, err = n.Sysctl("net.ipv4.ip_forward"); err != nil {
		return nil, err
	}
	return s, nil
}

// Restore removes the rules, chains and links added since s was taken
// and puts ip_forward back, saying each step on out. Rules and links that
// were there before are left alone.
func (s *Snapshot) Restore(n backend.Net, out io.Writer) error {
	now, err := Take(n)
	if err != nil {
		return err
	}
	ipt := n.IPTables()
	for _, table := range tables {
		for _, rule := range now.rules[table] {
			if slices.Contains(s.rules[table], rule) {
				continue
			}
			args := append([]string{"-t", table, "-D"}, strings.Fields(rule)[1:]...)
			fmt.Fprintf(out, "  iptables %s\n", strings.Join(args, " "))
			if _, err := ipt.Raw(args...); err != nil {
				return err
			}
		}
		for _, chain := range now.chains[table] {
			if slices.Contains(s.chains[table], chain) {
				continue
			}
			fmt.Fprintf(out, "  iptables -t %s -X %s\n", table, chain)
			if err := ipt.DeleteChain(table, chain); err != nil {
				return err
			}
		}
	}
	for _, l := range now.links {
		if !slices.Contains(s.links, l) {
			fmt.Fprintf(out, "  ip link del %s\n", l)
			if err := n.LinkDel(l); err != nil {
				return err
			}
		}
	}
	if now.ipForward != s.ipForward {
		fmt.Fprintf(out, "  sysctl net.ipv4.ip_forward=%s\n", s.ipForward)
		return n.SetSysctl("net.ipv4.ip_forward", s.ipForward)
	}
	return nil
}

// TempRoot makes a temporary directory for a demo's daemon (its -g root,
// socket and pid file). cleanup puts TMPDIR back — NewDaemon moves it into
// its root, as upstream did — and then removes the directory.
func TempRoot(prefix string) (dir string, cleanup func(), err error) {
	dir, err = os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, err
	}
	tmpdir := os.Getenv("TMPDIR")
	return dir, func() {
		os.Setenv("TMPDIR", tmpdir)
		os.RemoveAll(dir)
	}, nil
}
