// Scenario "teardown": everything the other scenarios create, then removed
// again in the reverse order, after which the namespace must dump exactly as
// before (docs/design.md "Parity is the point of the fake"; Docker 1.2's
// release_interface and RemoveExistingChain, docs/upstream/v1.2.0.md §3.1–3.2).
// It proves that cleanup leaves nothing behind on either backend — the
// property a student's VM relies on when a chapter demo ends.

package scenario

import (
	"fmt"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
)

var teardown = Scenario{
	Name:  "teardown",
	Title: "build the Docker 1.2 network, rules and ip_forward, then remove it all: the dump is unchanged",
	Doc: "Builds bridge-veth-netns, iptables-docker and ip_forward=1, then undoes them in reverse: the port " +
		"mapping, the DOCKER chain and its jumps, the NAT and FORWARD rules, ip_forward, each veth pair (deleting " +
		"the host end deletes the end inside the container namespace), the namespaces and docker0. The root " +
		"namespace then dumps exactly as it did before.",
	Run: runTeardown,
}

func runTeardown(h backend.Host) error {
	root := h.Root()
	before, err := backend.Dump(root)
	if err != nil {
		return err
	}
	forwarding, err := root.Sysctl(ipForwardKey)
	if err != nil {
		return step(err, "sysctl %s", ipForwardKey)
	}

	if err := buildBridgeNetwork(h, "teardown"); err != nil {
		return err
	}
	if err := dockerRules(root, "teardown"); err != nil {
		return err
	}
	if err := root.SetSysctl(ipForwardKey, "1"); err != nil {
		return step(err, "echo 1 > /proc/sys/net/ipv4/ip_forward")
	}

	if err := removeDockerRules(root.IPTables()); err != nil {
		return err
	}
	if err := root.SetSysctl(ipForwardKey, strings.TrimSpace(forwarding)); err != nil {
		return step(err, "echo %s > /proc/sys/net/ipv4/ip_forward", strings.TrimSpace(forwarding))
	}
	if err := removeBridgeNetwork(h); err != nil {
		return err
	}

	after, err := backend.Dump(root)
	if err != nil {
		return err
	}
	if d := Diff(backend.Normalize(before), backend.Normalize(after)); d != "" {
		return fmt.Errorf("teardown left state behind (- before, + after):\n%s", d)
	}
	return nil
}

// removeDockerRules undoes dockerRules: the mapping (release_interface's
// Unmap), the DOCKER chain with its jumps, then setupIPTables' rules.
func removeDockerRules(ipt backend.IPTables) error {
	if err := forward(ipt, "-D", mappedHostPort, containerIP, containerPort); err != nil {
		return err
	}
	removeExistingChain(ipt, "DOCKER")
	if ok, err := ipt.ChainExists(backend.TableNat, "DOCKER"); err != nil || ok {
		return fmt.Errorf("the DOCKER chain survived RemoveExistingChain (err %v): %w", err, backend.ErrBusy)
	}
	for _, args := range [][]string{
		{"-D", "POSTROUTING", "-t", "nat", "-s", bridgeCIDR, "!", "-o", bridgeName, "-j", "MASQUERADE"},
		{"-D", "FORWARD", "-i", bridgeName, "-o", bridgeName, "-j", "ACCEPT"},
		{"-D", "FORWARD", "-i", bridgeName, "!", "-o", bridgeName, "-j", "ACCEPT"},
		{"-D", "FORWARD", "-o", bridgeName, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"},
	} {
		if _, err := ipt.Raw(args...); err != nil {
			return step(err, "iptables %s", strings.Join(args, " "))
		}
	}
	return nil
}

// removeBridgeNetwork undoes buildBridgeNetwork. Each pair goes first by
// its host end — the kernel deletes the peer inside the container
// namespace at once — then the namespace, then the bridge. (Deleting only
// the namespace also removes the pair, but a real kernel does it
// asynchronously, a moment later.)
func removeBridgeNetwork(h backend.Host) error {
	root := h.Root()
	for _, c := range containers {
		if err := root.LinkDel(hostEnd(c)); err != nil {
			return step(err, "ip link del %s", hostEnd(c))
		}
		if err := h.DeleteNetNS(c); err != nil {
			return step(err, "ip netns del %s", c)
		}
	}
	return step(root.LinkDel(bridgeName), "ip link del %s", bridgeName)
}
