// Scenario "iptables-docker": the rules Docker 1.2.0's init_networkdriver
// job installed, then one published port (upstream
// daemon/networkdriver/bridge/driver.go setupIPTables, pkg/iptables
// NewChain/RemoveExistingChain/Forward; reference docs/upstream/v1.2.0.md §3.1–3.2;
// book ch.6 §6.2 "创建网络环境" and §6.4 端口映射).
//
// Every command is the argv Docker itself handed to /sbin/iptables, in the
// same order, through IPTables.Raw, including the `-C` probes and the
// deletes whose errors Docker ignored. The dump then shows what the kernel
// made of them: `-s 172.17.42.1/16` listed as 172.17.0.0/16, `-d 0/0`
// gone, `--dport` under an implicit `-m tcp`, `--dst` spelled `-d`.

package scenario

import (
	"github.com/dockerlab/dockerlab/backend"
)

var iptablesDocker = Scenario{
	Name:  "iptables-docker",
	Title: "Docker 1.2.0's iptables: MASQUERADE, FORWARD accepts, the DOCKER chain, one -p 49153:80 mapping",
	Doc: "nat: POSTROUTING MASQUERADE for 172.17.0.0/16 leaving by another interface than docker0; the DOCKER chain " +
		"reached from PREROUTING and OUTPUT for local destinations (not 127.0.0.0/8), holding one DNAT rule " +
		"49153 → 172.17.0.2:80. filter: FORWARD accepts for docker0→docker0 (icc=true), docker0→out, replies back in, " +
		"and the published port. Note how iptables rewrote the rules Docker wrote.",
	Run: func(h backend.Host) error { return dockerRules(h.Root(), "iptables-docker") },
}

// The published port of the scenario: `docker run -p 49153:80` on the
// first container (172.17.0.2).
const (
	mappedHostPort = "49153"
	containerIP    = "172.17.0.2"
	containerPort  = "80"
)

// dockerRules runs InitDriver's iptables part with icc=true and
// EnableIptables=true, then AllocatePort's Forward for one mapping.
func dockerRules(n backend.Net, scenario string) error {
	if err := requireAbsentChain(scenario, n, backend.TableNat, "DOCKER"); err != nil {
		return err
	}
	ipt := n.IPTables()
	if err := setupIPTables(ipt); err != nil {
		return err
	}
	removeExistingChain(ipt, "DOCKER")
	if err := newDockerChain(ipt); err != nil {
		return err
	}
	return forward(ipt, "-A", mappedHostPort, containerIP, containerPort)
}

// ensure is Docker's "if !iptables.Exists(args) { iptables.Raw(-I args) }".
func ensure(ipt backend.IPTables, args ...string) error {
	if _, err := ipt.Raw(append([]string{"-C"}, args...)...); err == nil {
		return nil
	}
	_, err := ipt.Raw(append([]string{"-I"}, args...)...)
	return step(err, "iptables -I %v", args)
}

// setupIPTables: NAT for the bridge network, then the FORWARD rules.
func setupIPTables(ipt backend.IPTables) error {
	nat := []string{"POSTROUTING", "-t", "nat", "-s", bridgeCIDR, "!", "-o", bridgeName, "-j", "MASQUERADE"}
	if err := ensure(ipt, nat...); err != nil {
		return err
	}
	// icc=true: drop any DROP rule a previous icc=false daemon left, make
	// sure containers may talk to each other.
	_, _ = ipt.Raw("-D", "FORWARD", "-i", bridgeName, "-o", bridgeName, "-j", "DROP")
	if err := ensure(ipt, "FORWARD", "-i", bridgeName, "-o", bridgeName, "-j", "ACCEPT"); err != nil {
		return err
	}
	// Outgoing traffic of containers, and the replies coming back.
	if err := ensure(ipt, "FORWARD", "-i", bridgeName, "!", "-o", bridgeName, "-j", "ACCEPT"); err != nil {
		return err
	}
	return ensure(ipt, "FORWARD", "-o", bridgeName, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT")
}

// removeExistingChain is pkg/iptables.RemoveExistingChain: every way an
// older daemon may have hooked the chain in, deleted with errors ignored
// (on a clean machine every one of these fails, and that is fine).
func removeExistingChain(ipt backend.IPTables, name string) {
	for _, args := range [][]string{
		{"-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", name},
		{"-t", "nat", "-D", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "!", "--dst", "127.0.0.0/8", "-j", name},
		{"-t", "nat", "-D", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", name}, // docker <= 0.1.6
		{"-t", "nat", "-D", "PREROUTING", "-j", name},
		{"-t", "nat", "-D", "OUTPUT", "-j", name},
		{"-t", "nat", "-F", name},
		{"-t", "nat", "-X", name},
	} {
		_, _ = ipt.Raw(args...)
	}
}

// newDockerChain is pkg/iptables.NewChain("DOCKER", "docker0"): the chain
// and the two jumps into it for packets addressed to this machine.
func newDockerChain(ipt backend.IPTables) error {
	if _, err := ipt.Raw("-t", "nat", "-N", "DOCKER"); err != nil {
		return step(err, "iptables -t nat -N DOCKER")
	}
	if _, err := ipt.Raw("-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"); err != nil {
		return step(err, "iptables -t nat -A PREROUTING … -j DOCKER")
	}
	_, err := ipt.Raw("-t", "nat", "-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "!", "--dst", "127.0.0.0/8", "-j", "DOCKER")
	return step(err, "iptables -t nat -A OUTPUT … -j DOCKER")
}

// forward is (*Chain).Forward for tcp on all host addresses: the DNAT rule
// in DOCKER, then the FORWARD accept for the translated packets. action
// is "-A" to map and "-D" to unmap (the FORWARD rule is inserted with -I).
func forward(ipt backend.IPTables, action, hostPort, destIP, destPort string) error {
	if _, err := ipt.Raw("-t", "nat", action, "DOCKER", "-p", "tcp", "-d", "0/0", "--dport", hostPort,
		"!", "-i", bridgeName, "-j", "DNAT", "--to-destination", destIP+":"+destPort); err != nil {
		return step(err, "iptables -t nat %s DOCKER … --dport %s -j DNAT", action, hostPort)
	}
	fwd := action
	if action == "-A" {
		fwd = "-I"
	}
	_, err := ipt.Raw(fwd, "FORWARD", "!", "-i", bridgeName, "-o", bridgeName, "-p", "tcp", "-d", destIP,
		"--dport", destPort, "-j", "ACCEPT")
	return step(err, "iptables %s FORWARD … -d %s --dport %s -j ACCEPT", fwd, destIP, destPort)
}
