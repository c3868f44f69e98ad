// What a daemon killed at the wrong moment leaves on the bridge, removed
// when the next one initialises it: the FORWARD rules here, the veth
// pairs with backend.RemoveOrphanVeths (shared with v0.1).
//
// Not upstream: Docker 1.2's InitDriver emptied the nat DOCKER chain (the
// DNAT rules) and nothing else. The filter FORWARD rules of a published
// port or a link — "-d <ip>/32 ! -i docker0 -o docker0 … --dport 80 -j
// ACCEPT" — stayed for ever when the daemon died between adding and
// deleting them (a start or an rm -f cut short by kill -9), and so did a
// veth pair made for a start that never moved its peer into the
// container. When InitDriver runs no container of this daemon holds an
// address yet (restore re-requests the addresses and re-adds the rules
// of the containers it keeps), so every such rule and pair is stale
// (docs/divergences.md "Restore reconciles what a killed daemon left").
package bridge

import (
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
)

// removeStaleForwardRules deletes every filter FORWARD rule that names
// one address (-s or -d a.b.c.d/32) and goes in or out of bridge: the
// shapes of a published port's and a link's rules. The bridge's own
// rules (no single address) stay.
func removeStaleForwardRules(root backend.Net, bridge string) error {
	lines, err := root.IPTables().List("filter", "FORWARD")
	if err != nil {
		return err
	}
	var firstErr error
	for _, line := range lines {
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "-A" || !onBridge(fields, bridge) || !namesOneAddress(fields) {
			continue
		}
		if _, err := iptables.Raw(append([]string{"-t", "filter", "-D"}, fields[1:]...)...); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// onBridge: the rule has -i BRIDGE or -o BRIDGE.
func onBridge(fields []string, bridge string) bool {
	for i := 0; i+1 < len(fields); i++ {
		if (fields[i] == "-i" || fields[i] == "-o") && fields[i+1] == bridge {
			return true
		}
	}
	return false
}

// namesOneAddress: the rule's source or destination is a single host.
func namesOneAddress(fields []string) bool {
	for i := 0; i+1 < len(fields); i++ {
		if (fields[i] == "-s" || fields[i] == "-d") && strings.HasSuffix(fields[i+1], "/32") {
			return true
		}
	}
	return false
}
