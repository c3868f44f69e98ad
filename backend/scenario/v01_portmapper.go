// Scenario "v01-portmapper": the rules of Docker 0.1.0's PortMapper
// (upstream network.go PortMapper cleanup/setup/Map/Unmap; reference
// docs/upstream/v0.1.0.md §3 "PortMapper"; note 002 网络).
//
// 0.1.0 ran /sbin/iptables itself: cleanup with every error ignored, a
// DOCKER chain in nat, jumps appended to PREROUTING and OUTPUT *without*
// any match (every packet, not only local destinations: a quirk that 1.2
// fixed with `-m addrtype --dst-type LOCAL`), then one DNAT rule per
// published port, tcp only. There was no MASQUERADE rule: lxc-net's
// lxcbr0 set-up provided it.

package scenario

import (
	"github.com/dockerlab/dockerlab/backend"
)

var v01Portmapper = Scenario{
	Name:  "v01-portmapper",
	Title: "Docker 0.1.0's PortMapper: DOCKER chain, matchless jumps, DNAT per published port",
	Doc: "nat only: the DOCKER chain, '-A PREROUTING -j DOCKER' and '-A OUTPUT -j DOCKER' with no match at all, " +
		"and DNAT rules for ports 49153 and 49155 to containers on lxcbr0 (10.0.3.x). Port 49154 was mapped " +
		"and unmapped again: its rule is gone. Compare with iptables-docker (1.2.0).",
	Run: func(h backend.Host) error { return v01Rules(h.Root()) },
}

// v01Rules is newPortMapper (cleanup then setup) followed by three Map
// calls and one Unmap, with the ports 0.1.0's allocator hands out first.
func v01Rules(n backend.Net) error {
	if err := requireAbsentChain("v01-portmapper", n, backend.TableNat, "DOCKER"); err != nil {
		return err
	}
	ipt := n.IPTables()
	// cleanup(): every error ignored.
	for _, args := range [][]string{
		{"-t", "nat", "-D", "PREROUTING", "-j", "DOCKER"},
		{"-t", "nat", "-D", "OUTPUT", "-j", "DOCKER"},
		{"-t", "nat", "-F", "DOCKER"},
		{"-t", "nat", "-X", "DOCKER"},
	} {
		_, _ = ipt.Raw(args...)
	}
	// setup(): any failure is fatal ("Unable to setup port networking").
	for _, args := range [][]string{
		{"-t", "nat", "-N", "DOCKER"},
		{"-t", "nat", "-A", "PREROUTING", "-j", "DOCKER"},
		{"-t", "nat", "-A", "OUTPUT", "-j", "DOCKER"},
	} {
		if _, err := ipt.Raw(args...); err != nil {
			return step(err, "Unable to setup port networking: iptables %v", args)
		}
	}
	for _, m := range []struct{ rule, port, dest string }{
		{"-A", "49153", "10.0.3.2:80"},
		{"-A", "49154", "10.0.3.2:22"},
		{"-A", "49155", "10.0.3.3:6379"},
		{"-D", "49154", "10.0.3.2:22"}, // Unmap
	} {
		if _, err := ipt.Raw("-t", "nat", m.rule, "DOCKER", "-p", "tcp", "--dport", m.port,
			"-j", "DNAT", "--to-destination", m.dest); err != nil {
			return step(err, "iptables -t nat %s DOCKER -p tcp --dport %s -j DNAT --to-destination %s", m.rule, m.port, m.dest)
		}
	}
	return nil
}
