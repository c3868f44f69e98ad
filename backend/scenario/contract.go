// ContractScenario: a parameterised version of bridge-veth-netns plus
// rules, built and torn down again, for the benchmarks (`make bench`) that
// compare the fake and the real kernel on the same work (docs/design.md
// "Testing": speed targets live in benchmarks).

package scenario

import (
	"fmt"
	"net"

	"github.com/dockerlab/dockerlab/backend"
)

const (
	benchBridge = "bench0"
	benchChain  = "BENCH"
	maxPairs    = 60000 // addresses in 10.200.0.0/16, with room to spare
)

// ContractScenario builds a bridge bench0 (10.200.0.1/16), `pairs` veth
// pairs whose far ends are moved into namespaces bench-1…bench-N and
// configured (address, up, default route), `rules` iptables rules in a
// filter chain BENCH, and then removes all of it. It fails, touching
// nothing, if bench0, the namespaces or the chain exist already.
func ContractScenario(h backend.Host, pairs, rules int) error {
	if pairs < 0 || pairs > maxPairs || rules < 0 {
		return fmt.Errorf("contract scenario: pairs must be 0..%d and rules >= 0 (got %d, %d): %w", maxPairs, pairs, rules, backend.ErrInvalid)
	}
	root := h.Root()
	var nsNames []string
	for i := 1; i <= pairs; i++ {
		nsNames = append(nsNames, fmt.Sprintf("bench-%d", i))
	}
	if err := requireAbsentLinks("contract", root, benchBridge); err != nil {
		return err
	}
	if err := requireAbsentNetNS("contract", h, nsNames...); err != nil {
		return err
	}
	if err := requireAbsentChain("contract", root, backend.TableFilter, benchChain); err != nil {
		return err
	}

	if err := root.AddBridge(benchBridge, 0); err != nil {
		return step(err, "ip link add %s type bridge", benchBridge)
	}
	if err := root.AddrAdd(benchBridge, &net.IPNet{IP: net.IPv4(10, 200, 0, 1).To4(), Mask: net.CIDRMask(16, 32)}); err != nil {
		return step(err, "ip addr add 10.200.0.1/16 dev %s", benchBridge)
	}
	if err := root.LinkSetUp(benchBridge); err != nil {
		return step(err, "ip link set %s up", benchBridge)
	}
	for i := 1; i <= pairs; i++ {
		if err := benchPair(h, i); err != nil {
			return err
		}
	}
	ipt := root.IPTables()
	if err := ipt.NewChain(backend.TableFilter, benchChain); err != nil {
		return step(err, "iptables -N %s", benchChain)
	}
	for i := 0; i < rules; i++ {
		src := benchIP(i + 2).String()
		if err := ipt.Append(backend.TableFilter, benchChain, "-s", src, "-p", "tcp", "--dport", fmt.Sprint(1024+i%60000), "-j", "ACCEPT"); err != nil {
			return step(err, "iptables -A %s -s %s", benchChain, src)
		}
	}

	// Teardown, in reverse.
	if err := ipt.ClearChain(backend.TableFilter, benchChain); err != nil {
		return step(err, "iptables -F %s", benchChain)
	}
	if err := ipt.DeleteChain(backend.TableFilter, benchChain); err != nil {
		return step(err, "iptables -X %s", benchChain)
	}
	for i := 1; i <= pairs; i++ {
		if err := root.LinkDel(fmt.Sprintf("bv%d", i)); err != nil {
			return step(err, "ip link del bv%d", i)
		}
		if err := h.DeleteNetNS(fmt.Sprintf("bench-%d", i)); err != nil {
			return step(err, "ip netns del bench-%d", i)
		}
	}
	return step(root.LinkDel(benchBridge), "ip link del %s", benchBridge)
}

// benchIP is the i-th address of 10.200.0.0/16.
func benchIP(i int) net.IP { return net.IPv4(10, 200, byte(i/256), byte(i%256)).To4() }

// benchPair is attachContainer with numbered names.
func benchPair(h backend.Host, i int) error {
	root := h.Root()
	host, peer, name := fmt.Sprintf("bv%d", i), fmt.Sprintf("bp%d", i), fmt.Sprintf("bench-%d", i)
	ns, err := h.NewNetNS(name)
	if err != nil {
		return step(err, "ip netns add %s", name)
	}
	if err := root.AddVeth(host, peer, 0); err != nil {
		return step(err, "ip link add %s type veth peer name %s", host, peer)
	}
	if err := root.LinkSetMaster(host, benchBridge); err != nil {
		return step(err, "ip link set %s master %s", host, benchBridge)
	}
	if err := root.LinkSetUp(host); err != nil {
		return step(err, "ip link set %s up", host)
	}
	if err := root.LinkSetNs(peer, backend.NSName(name)); err != nil {
		return step(err, "ip link set %s netns %s", peer, name)
	}
	if err := ns.AddrAdd(peer, &net.IPNet{IP: benchIP(i + 1), Mask: net.CIDRMask(16, 32)}); err != nil {
		return step(err, "ip -n %s addr add dev %s", name, peer)
	}
	if err := ns.LinkSetUp(peer); err != nil {
		return step(err, "ip -n %s link set %s up", name, peer)
	}
	l, err := ns.LinkByName(peer)
	if err != nil {
		return step(err, "ip -n %s link show %s", name, peer)
	}
	r := backend.Route{Dst: backend.DefaultDst(), Gw: net.IPv4(10, 200, 0, 1).To4(), LinkIndex: l.Index, LinkName: peer}
	return step(ns.RouteAdd(r), "ip -n %s route add default via 10.200.0.1", name)
}
