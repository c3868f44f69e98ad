// Package bridge is Docker 1.2.0's default network driver: the docker0
// bridge, its iptables rules, ip_forward, the DOCKER chain, and the four
// jobs that give containers addresses, ports and links.
//
// Upstream: daemon/networkdriver/bridge/driver.go at v1.2.0. See
// docs/upstream/v1.2.0.md §3.1 (with the exact argv and messages).
// Book: ch.6 §6.4 "创建Docker Daemon网络环境".
// Notes: 000, in order: "创建Docker网络设备" (createBridge), "启用iptables功能并配置" and
// "设置iptables规则" (setupIPTables), "启用系统数据包转发功能" (ip_forward), "创建DOCKER链"
// (NewChain), "注册Handler至Engine" (the four jobs).
//
// The daemon runs the job "init_networkdriver" (InitDriver) with the env
// mainDaemon filled from its flags: EnableIptables, InterContainerCommunication,
// EnableIpForward, BridgeIface, BridgeIP, DefaultBindingIP.
//
// Divergences: kernel access goes through a backend.Host (host.go); the
// unchecked NetworkLinkAddIp error at upstream L299 is checked; handlers
// answer bad input with an error instead of an index-out-of-range panic
// (handlers.go). See docs/divergences.md.
package bridge

import (
	"fmt"
	"net"
	"os"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portmapper"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
)

const (
	DefaultNetworkBridge     = "docker0"
	MaxAllocatedPortAttempts = 10
)

// networkInterface is what the driver remembers of one container: its
// address and the host ports published for it.
type networkInterface struct {
	IP           net.IP
	PortMappings []net.Addr
}

// ifaces maps container ids to their networkInterface.
type ifaces struct {
	c map[string]*networkInterface
	sync.Mutex
}

func (i *ifaces) Set(key string, n *networkInterface) {
	i.Lock()
	i.c[key] = n
	i.Unlock()
}

func (i *ifaces) Get(key string) *networkInterface {
	i.Lock()
	defer i.Unlock()
	return i.c[key]
}

func (i *ifaces) Delete(key string) {
	i.Lock()
	delete(i.c, key)
	i.Unlock()
}

var (
	// addrs are the ranges createBridge tries, in order. The /16s keep
	// the gateway address .42.1 of the /24s that came before them, so
	// docker0 is 172.17.42.1 and not 172.17.0.1. 172.16.0.0/16 is left
	// out: EC2's DNS server is 172.16.0.23.
	addrs = []string{
		"172.17.42.1/16",
		"10.0.42.1/16",
		"10.1.42.1/16",
		"10.42.42.1/16",
		"172.16.42.1/24",
		"172.16.43.1/24",
		"172.16.44.1/24",
		"10.0.42.1/24",
		"10.0.43.1/24",
		"192.168.42.1/24",
		"192.168.43.1/24",
		"192.168.44.1/24",
	}

	bridgeIface   string
	bridgeNetwork *net.IPNet

	defaultBindingIP  = net.ParseIP("0.0.0.0")
	currentInterfaces = ifaces{c: make(map[string]*networkInterface)}
)

// InitDriver is the "init_networkdriver" job.
func InitDriver(job *engine.Job) engine.Status {
	var (
		network        *net.IPNet
		enableIPTables = job.GetenvBool("EnableIptables")
		icc            = job.GetenvBool("InterContainerCommunication")
		ipForward      = job.GetenvBool("EnableIpForward")
		bridgeIP       = job.Getenv("BridgeIP")
	)
	root, err := rootNet()
	if err != nil {
		return job.Error(err)
	}

	if defaultIP := job.Getenv("DefaultBindingIP"); defaultIP != "" {
		ip := net.ParseIP(defaultIP)
		if ip == nil {
			return job.Errorf("invalid DefaultBindingIP %q: not an IP address", defaultIP)
		}
		defaultBindingIP = ip
	}

	bridgeIface = job.Getenv("BridgeIface")
	usingDefaultBridge := false
	if bridgeIface == "" {
		usingDefaultBridge = true
		bridgeIface = DefaultNetworkBridge
	}

	// 创建Docker网络设备: use the bridge if it is there, else make docker0.
	addr, err := networkdriver.GetIfaceAddr(bridgeIface)
	if err != nil {
		// A bridge named with -b must exist already.
		if !usingDefaultBridge {
			job.Logf("bridge not found: %s", bridgeIface)
			return job.Error(err)
		}
		job.Logf("creating new bridge for %s", bridgeIface)
		if err := createBridge(bridgeIP); err != nil {
			return job.Error(err)
		}
		job.Logf("getting iface addr")
		addr, err = networkdriver.GetIfaceAddr(bridgeIface)
		if err != nil {
			return job.Error(err)
		}
		network = addr.(*net.IPNet)
	} else {
		network = addr.(*net.IPNet)
		// --bip must agree with the bridge that is already there.
		if bridgeIP != "" {
			bip, _, err := net.ParseCIDR(bridgeIP)
			if err != nil {
				return job.Error(err)
			}
			if !network.IP.Equal(bip) {
				return job.Errorf("bridge ip (%s) does not match existing bridge configuration %s", network.IP, bip)
			}
		}
	}

	// 启用iptables功能并配置.
	if enableIPTables {
		if err := setupIPTables(addr, icc); err != nil {
			return job.Error(err)
		}
	}

	// 启用系统数据包转发功能: echo 1 > /proc/sys/net/ipv4/ip_forward.
	if ipForward {
		if err := root.SetSysctl("net.ipv4.ip_forward", "1"); err != nil {
			job.Logf("WARNING: unable to enable IPv4 forwarding: %s\n", err)
		}
	}

	// A DOCKER chain left by an earlier daemon goes, whatever its shape;
	// this runs even with iptables disabled.
	if err := iptables.RemoveExistingChain("DOCKER"); err != nil {
		return job.Error(err)
	}
	// Not upstream: so do the FORWARD rules and veth pairs of containers
	// an earlier daemon never finished starting or removing (reconcile.go).
	if err := removeStaleForwardRules(root, bridgeIface); err != nil {
		job.Logf("removing the FORWARD rules an earlier daemon left: %s", err)
	}
	if _, err := backend.RemoveOrphanVeths(root, bridgeIface); err != nil {
		job.Logf("removing the veths an earlier daemon left: %s", err)
	}

	// 创建DOCKER链: published ports will add their DNAT rules here.
	if enableIPTables {
		chain, err := iptables.NewChain("DOCKER", bridgeIface)
		if err != nil {
			return job.Error(err)
		}
		portmapper.SetIptablesChain(chain)
	}

	bridgeNetwork = network

	// The API server reads the bridge address from here (upstream issue
	// 2768: refuse API requests arriving from containers).
	job.Eng.Hack_SetGlobalVar("httpapi.bridgeIP", bridgeNetwork.IP)

	// 注册Handler至Engine.
	for _, h := range []struct {
		name    string
		handler engine.Handler
	}{
		{"allocate_interface", Allocate},
		{"release_interface", Release},
		{"allocate_port", AllocatePort},
		{"link", LinkContainers},
	} {
		if err := job.Eng.Register(h.name, h.handler); err != nil {
			return job.Error(err)
		}
	}
	return engine.StatusOK
}

// setupIPTables installs the bridge's rules (设置iptables规则). Each rule is
// probed with -C and inserted with -I only when missing, so a daemon that
// restarts leaves one copy of each.
//
//lab:exercise ch06.setup-iptables
func setupIPTables(addr net.Addr, icc bool) error {
	// (1) NAT: containers reach the outside world with the host's address.
	natArgs := []string{"POSTROUTING", "-t", "nat", "-s", addr.String(), "!", "-o", bridgeIface, "-j", "MASQUERADE"}
	if !iptables.Exists(natArgs...) {
		if output, err := iptables.Raw(append([]string{"-I"}, natArgs...)...); err != nil {
			return fmt.Errorf("Unable to enable network bridge NAT: %w", err)
		} else if len(output) != 0 {
			return fmt.Errorf("Error iptables postrouting: %s", output)
		}
	}

	// (2) Container to container: a packet that enters from docker0 and
	// leaves by docker0. icc decides ACCEPT or DROP; the other verdict is
	// deleted first, so toggling --icc swaps the rule.
	args := []string{"FORWARD", "-i", bridgeIface, "-o", bridgeIface, "-j"}
	acceptArgs := append(append([]string{}, args...), "ACCEPT")
	dropArgs := append(append([]string{}, args...), "DROP")
	if !icc {
		iptables.Raw(append([]string{"-D"}, acceptArgs...)...)
		if !iptables.Exists(dropArgs...) {
			debugf("Disable inter-container communication")
			if output, err := iptables.Raw(append([]string{"-I"}, dropArgs...)...); err != nil {
				return fmt.Errorf("Unable to prevent intercontainer communication: %w", err)
			} else if len(output) != 0 {
				return fmt.Errorf("Error disabling intercontainer communication: %s", output)
			}
		}
	} else {
		iptables.Raw(append([]string{"-D"}, dropArgs...)...)
		if !iptables.Exists(acceptArgs...) {
			debugf("Enable inter-container communication")
			if output, err := iptables.Raw(append([]string{"-I"}, acceptArgs...)...); err != nil {
				return fmt.Errorf("Unable to allow intercontainer communication: %w", err)
			} else if len(output) != 0 {
				return fmt.Errorf("Error enabling intercontainer communication: %s", output)
			}
		}
	}

	// (3) Container to anywhere but another container: accept.
	outgoingArgs := []string{"FORWARD", "-i", bridgeIface, "!", "-o", bridgeIface, "-j", "ACCEPT"}
	if !iptables.Exists(outgoingArgs...) {
		if output, err := iptables.Raw(append([]string{"-I"}, outgoingArgs...)...); err != nil {
			return fmt.Errorf("Unable to allow outgoing packets: %w", err)
		} else if len(output) != 0 {
			return fmt.Errorf("Error iptables allow outgoing: %s", output)
		}
	}

	// (4) Replies to connections the containers opened: accept.
	existingArgs := []string{"FORWARD", "-o", bridgeIface, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"}
	if !iptables.Exists(existingArgs...) {
		if output, err := iptables.Raw(append([]string{"-I"}, existingArgs...)...); err != nil {
			return fmt.Errorf("Unable to allow incoming packets: %w", err)
		} else if len(output) != 0 {
			return fmt.Errorf("Error iptables allow incoming: %s", output)
		}
	}
	return nil
}

// createBridge makes the bridge with the first candidate range that
// overlaps neither a nameserver nor a route (or with --bip), gives it its
// address and brings it up.
func createBridge(bridgeIP string) error {
	root, err := rootNet()
	if err != nil {
		return err
	}
	nameservers := nameserversAsCIDR()

	var ifaceAddr string
	if len(bridgeIP) != 0 {
		if _, _, err := net.ParseCIDR(bridgeIP); err != nil {
			return err
		}
		ifaceAddr = bridgeIP
	} else {
		//lab:begin ch06.bridge-range
		//lab:stub _ = nameservers
		//lab:stub return lab.TODO("ch06.bridge-range")
		for _, addr := range addrs {
			_, dockerNetwork, err := net.ParseCIDR(addr)
			if err != nil {
				return err
			}
			if err := networkdriver.CheckNameserverOverlaps(nameservers, dockerNetwork); err != nil {
				continue
			}
			if err := networkdriver.CheckRouteOverlaps(dockerNetwork); err != nil {
				debugf("%s %s", addr, err)
				continue
			}
			ifaceAddr = addr
			break
		}
		//lab:end ch06.bridge-range
	}
	if ifaceAddr == "" {
		return fmt.Errorf("Could not find a free IP address range for interface '%s'. Please configure its address manually and run 'docker -b %s'", bridgeIface, bridgeIface)
	}
	debugf("Creating bridge %s with network %s", bridgeIface, ifaceAddr)

	// Upstream asked netlink for a random MAC on kernels >= 3.3; every
	// backend here gives a new bridge a random MAC.
	if err := root.AddBridge(bridgeIface, 0); err != nil {
		return err
	}
	ipAddr, ipNet, err := net.ParseCIDR(ifaceAddr)
	if err != nil {
		return err
	}
	// Upstream L299 dropped this error (`if netlink.NetworkLinkAddIp(...);
	// err != nil` tested an older err); a bridge without an address then
	// failed later with a puzzling "has no IP addresses".
	if err := root.AddrAdd(bridgeIface, &net.IPNet{IP: ipAddr, Mask: ipNet.Mask}); err != nil {
		return fmt.Errorf("Unable to add private network: %w", err)
	}
	if err := root.LinkSetUp(bridgeIface); err != nil {
		return fmt.Errorf("Unable to start network bridge: %w", err)
	}
	return nil
}

// debugf prints what upstream's log.Debugf printed in debug mode.
func debugf(format string, args ...interface{}) {
	if os.Getenv("DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "[debug] bridge: "+format+"\n", args...)
	}
}
