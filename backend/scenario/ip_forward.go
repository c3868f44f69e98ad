// Scenario "ip-forward": net.ipv4.ip_forward, which Docker 1.2's
// InitDriver set to 1 (EnableIpForward; docs/upstream/v1.2.0.md §3.1 step 5;
// book ch.6 §6.2), is a per-namespace setting (reference
// docs/kernels.md §3: "writing it changes only that
// netns").

package scenario

import (
	"fmt"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
)

const ipForwardKey = "net.ipv4.ip_forward"

var ipForward = Scenario{
	Name:  "ip-forward",
	Title: "ip_forward is per network namespace: 1 in the root, still 0 in a new namespace",
	Doc: "The root namespace gets net.ipv4.ip_forward = 1, as the Docker daemon writes it at start-up. The namespace " +
		"fwd, made afterwards, starts with 0 and keeps it: forwarding is a property of each network stack, which " +
		"is why a real Docker host forwards container traffic while the containers themselves do not.",
	Run:        runIPForward,
	Namespaces: []string{"fwd"},
}

func runIPForward(h backend.Host) error {
	if err := requireAbsentNetNS("ip-forward", h, "fwd"); err != nil {
		return err
	}
	root := h.Root()
	if err := root.SetSysctl(ipForwardKey, "1"); err != nil {
		return step(err, "echo 1 > /proc/sys/net/ipv4/ip_forward")
	}
	ns, err := h.NewNetNS("fwd")
	if err != nil {
		return step(err, "ip netns add fwd")
	}
	// The whole point of the scenario, checked here too so that the CLI
	// says so plainly when a backend gets it wrong.
	if err := expectSysctl(ns, "0"); err != nil {
		return err
	}
	return expectSysctl(root, "1")
}

func expectSysctl(n backend.Net, want string) error {
	got, err := n.Sysctl(ipForwardKey)
	if err != nil {
		return step(err, "sysctl %s in %s", ipForwardKey, n.Ref())
	}
	if strings.TrimSpace(got) != want {
		return fmt.Errorf("%s in namespace %s is %q, want %q", ipForwardKey, n.Ref(), strings.TrimSpace(got), want)
	}
	return nil
}
