// Package scenario holds the network set-ups that dockerlab reproduces as
// plain functions over a backend.Host: Docker 1.2's bridge with veth pairs
// into container namespaces, Docker 1.2's and Docker 0.1's iptables rules,
// ip_forward per namespace, and a full teardown (docs/design.md "Parity is the
// point of the fake"; book ch.6 网络; note 000 bridge模式).
//
// Each scenario is run twice by the parity test in backend/backendtest —
// once on the fake, once on a real kernel inside a throwaway namespace —
// and the two dumps must be equal. `dockerlab net scenario NAME` runs one
// on either backend and prints the dumps, so a scenario never assumes it
// runs on a fresh host: when the state it would create is already there it
// fails with an error saying so, instead of half-applying itself.
//
// This package must not import "testing": the dockerlab binary runs it.
package scenario

import (
	"errors"
	"fmt"

	"github.com/dockerlab/dockerlab/backend"
)

// Scenario is one named set-up.
type Scenario struct {
	Name  string // what `dockerlab net scenario NAME` takes
	Title string // one line
	Doc   string // a paragraph for students: what to look at in the dump
	Run   func(h backend.Host) error
	// Namespaces are the named network namespaces Run leaves behind; the
	// parity test and the CLI dump each of them after the root namespace.
	Namespaces []string
}

// All lists the scenarios in the order a student meets them.
var All = []Scenario{
	bridgeVethNetns,
	iptablesDocker,
	v01Portmapper,
	ipForward,
	teardown,
}

// Lookup finds a scenario by name.
func Lookup(name string) (Scenario, bool) {
	for _, s := range All {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// Names lists the scenario names, for help texts and error messages.
func Names() []string {
	var names []string
	for _, s := range All {
		names = append(names, s.Name)
	}
	return names
}

// step wraps an error with what the scenario was doing, in the words of
// the command a student would have typed.
func step(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
}

// requireAbsentLinks fails when a link the scenario is about to create exists
// already, naming it, so that running a scenario twice on the shared fake
// machine (or after a half-finished run) stops before touching anything.
func requireAbsentLinks(scenario string, n backend.Net, names ...string) error {
	for _, name := range names {
		_, err := n.LinkByName(name)
		switch {
		case err == nil:
			return fmt.Errorf("scenario %s: link %s already exists in namespace %s (run the teardown or start from a fresh machine): %w",
				scenario, name, n.Ref(), backend.ErrExists)
		case !errors.Is(err, backend.ErrNotFound):
			return step(err, "scenario %s: look up %s", scenario, name)
		}
	}
	return nil
}

func requireAbsentNetNS(scenario string, h backend.Host, names ...string) error {
	have, err := h.ListNetNS()
	if err != nil {
		return step(err, "scenario %s: ip netns list", scenario)
	}
	for _, name := range names {
		for _, n := range have {
			if n == name {
				return fmt.Errorf("scenario %s: network namespace %s already exists (run the teardown or start from a fresh machine): %w",
					scenario, name, backend.ErrExists)
			}
		}
	}
	return nil
}

func requireAbsentChain(scenario string, n backend.Net, table, chain string) error {
	ok, err := n.IPTables().ChainExists(table, chain)
	if err != nil {
		return step(err, "scenario %s: iptables -t %s -S %s", scenario, table, chain)
	}
	if ok {
		return fmt.Errorf("scenario %s: chain %s already exists in table %s (run the teardown or start from a fresh machine): %w",
			scenario, chain, table, backend.ErrExists)
	}
	return nil
}
