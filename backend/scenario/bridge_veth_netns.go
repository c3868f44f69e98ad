// Scenario "bridge-veth-netns": the picture every Docker 1.2 networking
// explanation draws (book ch.6 §6.3 bridge模式; note 000 bridge模式;
// upstream daemon/networkdriver/bridge/driver.go createBridge and
// libcontainer's network/veth.go): docker0 with 172.17.42.1/16, and per
// container a veth pair whose host end is a port of docker0 and whose other
// end was moved into the container's network namespace, renamed eth0, given
// 172.17.0.x/16 and a default route via the bridge.

package scenario

import (
	"fmt"
	"net"

	"github.com/dockerlab/dockerlab/backend"
)

// The Docker 1.2 defaults (docs/upstream/v1.2.0.md §3.1: the first candidate of
// addrs, and DefaultNetworkBridge).
const (
	bridgeName = "docker0"
	bridgeCIDR = "172.17.42.1/16"
	gatewayIP  = "172.17.42.1"
)

// containers are the three namespaces of the picture.
var containers = []string{"c1", "c2", "c3"}

var bridgeVethNetns = Scenario{
	Name:  "bridge-veth-netns",
	Title: "docker0 with three veth pairs into container namespaces c1..c3 (Docker 1.2)",
	Doc: "Root namespace: docker0 (172.17.42.1/16, up) and veth-c1..veth-c3, each up and 'master docker0', " +
		"each '@ifN' pointing at its peer in a container namespace. In c1..c3: lo up, eth0 (the peer, renamed) " +
		"with 172.17.0.2..4/16, and 'default via 172.17.42.1 dev eth0'. Compare the connected route " +
		"'172.17.0.0/16 … proto kernel scope link' that appears on both sides with the default route you add.",
	Run:        func(h backend.Host) error { return buildBridgeNetwork(h, "bridge-veth-netns") },
	Namespaces: containers,
}

// hostEnd and peerEnd name a container's veth pair before the move.
func hostEnd(c string) string { return "veth-" + c }
func peerEnd(c string) string { return "ceth-" + c }

// buildBridgeNetwork creates docker0 and one veth pair per container
// namespace, in the order Docker 1.2 did: the bridge first (InitDriver),
// then per container (libcontainer's veth strategy) create the pair, attach
// the host end, bring it up, move the other end, and configure it inside.
func buildBridgeNetwork(h backend.Host, scenario string) error {
	root := h.Root()
	names := []string{bridgeName}
	for _, c := range containers {
		names = append(names, hostEnd(c), peerEnd(c))
	}
	if err := requireAbsentLinks(scenario, root, names...); err != nil {
		return err
	}
	if err := requireAbsentNetNS(scenario, h, containers...); err != nil {
		return err
	}

	if err := setupBridge(root); err != nil {
		return err
	}
	for i, c := range containers {
		// 172.17.0.1 is never handed out: the allocator starts after the
		// network address, and 172.17.42.1 is the bridge's own.
		ip := fmt.Sprintf("172.17.0.%d/16", i+2)
		if err := attachContainer(h, c, ip); err != nil {
			return err
		}
	}
	return nil
}

// setupBridge is InitDriver's createBridge: add, address, up.
func setupBridge(root backend.Net) error {
	if err := root.AddBridge(bridgeName, 0); err != nil {
		return step(err, "ip link add %s type bridge", bridgeName)
	}
	addr, err := parseCIDR(bridgeCIDR)
	if err != nil {
		return err
	}
	if err := root.AddrAdd(bridgeName, addr); err != nil {
		return step(err, "ip addr add %s dev %s", bridgeCIDR, bridgeName)
	}
	return step(root.LinkSetUp(bridgeName), "ip link set %s up", bridgeName)
}

// attachContainer wires one container namespace to docker0.
func attachContainer(h backend.Host, c, ip string) error {
	root := h.Root()
	host, peer := hostEnd(c), peerEnd(c)
	ns, err := h.NewNetNS(c)
	if err != nil {
		return step(err, "ip netns add %s", c)
	}
	if err := root.AddVeth(host, peer, 0); err != nil {
		return step(err, "ip link add %s type veth peer name %s", host, peer)
	}
	if err := root.LinkSetMaster(host, bridgeName); err != nil {
		return step(err, "ip link set %s master %s", host, bridgeName)
	}
	if err := root.LinkSetUp(host); err != nil {
		return step(err, "ip link set %s up", host)
	}
	if err := root.LinkSetNs(peer, backend.NSName(c)); err != nil {
		return step(err, "ip link set %s netns %s", peer, c)
	}
	// Inside the container, what libcontainer did before the user's
	// program ran: rename to eth0 (the link arrived down, so no need to
	// down it first), address, up, lo up, default route via the bridge.
	if err := ns.LinkSetName(peer, "eth0"); err != nil {
		return step(err, "ip -n %s link set %s name eth0", c, peer)
	}
	addr, err := parseCIDR(ip)
	if err != nil {
		return err
	}
	if err := ns.AddrAdd("eth0", addr); err != nil {
		return step(err, "ip -n %s addr add %s dev eth0", c, ip)
	}
	if err := ns.LinkSetUp("eth0"); err != nil {
		return step(err, "ip -n %s link set eth0 up", c)
	}
	if err := ns.LinkSetUp("lo"); err != nil {
		return step(err, "ip -n %s link set lo up", c)
	}
	eth0, err := ns.LinkByName("eth0")
	if err != nil {
		return step(err, "ip -n %s link show eth0", c)
	}
	gw := net.ParseIP(gatewayIP).To4()
	route := backend.Route{Dst: backend.DefaultDst(), Gw: gw, LinkIndex: eth0.Index, LinkName: "eth0"}
	if err := ns.RouteAdd(route); err != nil {
		return step(err, "ip -n %s route add default via %s dev eth0", c, gatewayIP)
	}
	return nil
}

// parseCIDR keeps the host part (172.17.42.1/16, not 172.17.0.0/16), as
// `ip addr add` does.
func parseCIDR(s string) (*net.IPNet, error) {
	ip, n, err := net.ParseCIDR(s)
	if err != nil {
		return nil, fmt.Errorf("bad address %q: %w", s, backend.ErrInvalid)
	}
	return &net.IPNet{IP: ip.To4(), Mask: n.Mask}, nil
}
