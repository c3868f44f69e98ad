// Package iptables reproduces Docker 1.2.0's pkg/iptables: the DOCKER chain
// in the nat table and the DNAT/ACCEPT pair behind every published port.
//
// Upstream: pkg/iptables/iptables.go at v1.2.0 (Action, Chain, NewChain,
// RemoveExistingChain, Forward, Prerouting, Output, Remove). See
// docs/upstream/v1.2.0.md §3.2.
// Book: ch.6 §6.4 (bridge driver).
// Notes: 000 "创建DOCKER链": the DOCKER chain is where port mappings go when a
// container publishes a port.
//
// Every rule is a literal argv handed to Raw (raw.go), so a reader can
// type the same line into a shell.
package iptables

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// Action is the iptables command flag for adding or deleting a rule.
type Action string

const (
	Add    Action = "-A"
	Delete Action = "-D"
)

// ErrIptablesNotFound is returned when there is no iptables to run (no
// backend set, or the backend has no iptables program).
var ErrIptablesNotFound = errors.New("Iptables not found")

// Chain is a user chain in the nat table and the bridge its rules guard.
type Chain struct {
	Name   string
	Bridge string
}

// NewChain creates chain name in the nat table and sends to it every packet
// addressed to a local address: from outside (PREROUTING) and from the
// host itself (OUTPUT), except loopback traffic.
func NewChain(name, bridge string) (*Chain, error) {
	if output, err := Raw("-t", "nat", "-N", name); err != nil {
		return nil, err
	} else if len(output) != 0 {
		return nil, fmt.Errorf("Error creating new iptables chain: %s", output)
	}
	chain := &Chain{Name: name, Bridge: bridge}
	if err := chain.Prerouting(Add, "-m", "addrtype", "--dst-type", "LOCAL"); err != nil {
		return nil, fmt.Errorf("Failed to inject docker in PREROUTING chain: %w", err)
	}
	if err := chain.Output(Add, "-m", "addrtype", "--dst-type", "LOCAL", "!", "--dst", "127.0.0.0/8"); err != nil {
		return nil, fmt.Errorf("Failed to inject docker in OUTPUT chain: %w", err)
	}
	return chain, nil
}

// RemoveExistingChain removes chain name and the jumps to it, whatever
// version of Docker left them. It always returns nil, as upstream did.
func RemoveExistingChain(name string) error {
	chain := &Chain{Name: name}
	return chain.Remove()
}

// Forward adds or deletes the two rules behind one published port: a DNAT
// in the chain from ip:port to destAddr:destPort, and a FORWARD ACCEPT
// for that traffic into the bridge (inserted first, so it wins over the
// bridge's DROP when inter-container communication is off).
//
//lab:exercise ch07.allocate-port
func (c *Chain) Forward(action Action, ip net.IP, port int, proto, destAddr string, destPort int) error {
	daddr := ip.String()
	if ip.IsUnspecified() {
		// "-d 0.0.0.0" would mean 0.0.0.0/32, a single address;
		// "0/0" means every address.
		daddr = "0/0"
	}
	if output, err := Raw("-t", "nat", string(action), c.Name,
		"-p", proto,
		"-d", daddr,
		"--dport", strconv.Itoa(port),
		"!", "-i", c.Bridge,
		"-j", "DNAT",
		"--to-destination", net.JoinHostPort(destAddr, strconv.Itoa(destPort))); err != nil {
		return err
	} else if len(output) != 0 {
		return fmt.Errorf("Error iptables forward: %s", output)
	}

	fAction := string(action)
	if action == Add {
		fAction = "-I"
	}
	if output, err := Raw(fAction, "FORWARD",
		"!", "-i", c.Bridge,
		"-o", c.Bridge,
		"-p", proto,
		"-d", destAddr,
		"--dport", strconv.Itoa(destPort),
		"-j", "ACCEPT"); err != nil {
		return err
	} else if len(output) != 0 {
		return fmt.Errorf("Error iptables forward: %s", output)
	}
	return nil
}

// Prerouting adds or deletes "-t nat PREROUTING ARGS -j CHAIN".
func (c *Chain) Prerouting(action Action, args ...string) error {
	return c.jump("PREROUTING", "prerouting", action, args)
}

// Output adds or deletes "-t nat OUTPUT ARGS -j CHAIN".
func (c *Chain) Output(action Action, args ...string) error {
	return c.jump("OUTPUT", "output", action, args)
}

// jump is the shared body of Prerouting and Output.
func (c *Chain) jump(builtin, what string, action Action, args []string) error {
	argv := []string{"-t", "nat", string(action), builtin}
	argv = append(argv, args...)
	argv = append(argv, "-j", c.Name)
	if output, err := Raw(argv...); err != nil {
		return err
	} else if len(output) != 0 {
		return fmt.Errorf("Error iptables %s: %s", what, output)
	}
	return nil
}

// Remove deletes every jump to the chain that any Docker version made,
// then flushes and deletes the chain. Errors are ignored on purpose: on
// a fresh machine none of it exists.
func (c *Chain) Remove() error {
	c.Prerouting(Delete, "-m", "addrtype", "--dst-type", "LOCAL")
	c.Output(Delete, "-m", "addrtype", "--dst-type", "LOCAL", "!", "--dst", "127.0.0.0/8")
	c.Output(Delete, "-m", "addrtype", "--dst-type", "LOCAL") // Docker <= 0.1.6 made this one

	c.Prerouting(Delete)
	c.Output(Delete)

	Raw("-t", "nat", "-F", c.Name)
	Raw("-t", "nat", "-X", c.Name)
	return nil
}
