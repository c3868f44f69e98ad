// Container networking of Docker 0.1.0: the lxcbr0 bridge's network, an IP
// allocator and a port allocator that are buffered channels pre-filled with
// every address and port, and a PortMapper that writes iptables DNAT rules
// into a DOCKER chain of the nat table.
//
// Upstream: network.go at v0.1.0 (NetworkManager, NetworkInterface,
// IPAllocator, PortAllocator, PortMapper, networkRange, networkSize,
// ipToInt, intToIp, iptables, getIfaceAddr). See docs/upstream/v0.1.0.md §3,
// §9.3, §9.4.
// Notes: 002 "从lxcbr0网桥接口创建网络管理器" (the address allocator is a
// channel of addresses, the port allocator a channel of the ports
// 49153–65535, the port mapper the iptables set-up and clean-up), "关于lxcbr0".
//
// The kernel is reached only through backend: the bridge's address with
// Net.LinkByName/AddrList (0.1.0 used net.InterfaceByName), and iptables
// with IPTables.Raw and exactly the argv 0.1.0 gave /sbin/iptables.
//
// Kept on purpose, because they teach: the DOCKER jumps in PREROUTING and
// OUTPUT have no "-m addrtype --dst-type LOCAL", so the host's outgoing
// connections to ANY address on a mapped port are redirected into the
// container (§9.3, fixed upstream in 3b65be9 and 32f5811); cleanup flushes
// the chain at every start; the port range stops at 65534; Release does not
// check what it is given.
//
// Divergences, because upstream could crash or hang:
//   - newNetworkManager returns the PortMapper's error (0.1.0 ignored it and
//     panicked on the first -p, §9.4);
//   - IPAllocator refuses a network with no address to hand out (/31, /32:
//     0.1.0 made a channel of negative size and panicked), a bridge address
//     that is the network or broadcast address (0.1.0 blocked forever
//     filling the channel), and networks larger than /12 (a /8 would pre-fill
//     16 million addresses, gigabytes of memory);
//   - newPortAllocator refuses an empty range;
//   - PortMapper's map is guarded by a mutex (containers start concurrently);
//   - AllocatePort refuses ports outside 1..65535, and a second
//     NetworkInterface.Release does nothing instead of putting the same
//     ports and address into the channels twice;
//   - iptables errors keep the backend's cause (errors.Is works), after
//     0.1.0's text "iptables failed: iptables <args>".
package docker

import (
	"errors"
	"fmt"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

const (
	networkBridgeIface = "lxcbr0"
	portRangeStart     = 49153
	portRangeEnd       = 65535 // exclusive: 65535 itself is never handed out
)

// maxAllocatorAddresses bounds IPAllocator's pre-filled channel: 2^20
// addresses is a /12.
const maxAllocatorAddresses = 1 << 20

// networkRange returns the first (network) and last (broadcast) address of
// an IPv4 network.
func networkRange(network *net.IPNet) (net.IP, net.IP) {
	ip := network.IP.To4()
	mask := ipv4Mask(network.Mask)
	first := make(net.IP, net.IPv4len)
	last := make(net.IP, net.IPv4len)
	for i := range net.IPv4len {
		first[i] = ip[i] & mask[i]
		last[i] = ip[i] | ^mask[i]
	}
	return first, last
}

// ipv4Mask returns the 4-byte form of a mask that may be stored in 16.
func ipv4Mask(mask net.IPMask) net.IPMask {
	if len(mask) == net.IPv6len {
		return mask[12:]
	}
	return mask
}

// ipToInt reads an IPv4 address as a big-endian int32. Like 0.1.0 it is
// signed, so 128.0.0.0 and above are negative. Adding a host offset to a
// network's first address still works: the allocator only does it inside
// one network of at most a /12, which never straddles the sign bit.
func ipToInt(ip net.IP) (int32, error) {
	ip4 := ip.To4()
	if ip4 == nil {
		return 0, fmt.Errorf("%v is not an IPv4 address", ip)
	}
	return int32(uint32(ip4[0])<<24 | uint32(ip4[1])<<16 | uint32(ip4[2])<<8 | uint32(ip4[3])), nil
}

// intToIp is ipToInt's inverse.
func intToIp(n int32) (net.IP, error) {
	u := uint32(n)
	return net.IPv4(byte(u>>24), byte(u>>16), byte(u>>8), byte(u)).To4(), nil
}

// networkSize is the number of addresses a mask covers, network and
// broadcast included: /24 → 256, /32 → 1.
func networkSize(mask net.IPMask) (int32, error) {
	m := ipv4Mask(mask)
	if len(m) != net.IPv4len {
		return 0, fmt.Errorf("%v is not an IPv4 mask", mask)
	}
	inverse := ^(uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3]))
	return int32(inverse + 1), nil
}

// iptables runs one iptables command line in the namespace's netfilter.
// Only failure is reported, as 0.1.0 threw the output away.
func iptables(ipt backend.IPTables, args ...string) error {
	if _, err := ipt.Raw(args...); err != nil {
		return fmt.Errorf("iptables failed: iptables %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// getIfaceAddr returns the bridge's first IPv4 address with its mask, e.g.
// 10.0.3.1/24: the IP is the bridge's own (the containers' gateway), not
// the network address.
func getIfaceAddr(ns backend.Net, name string) (*net.IPNet, error) {
	if _, err := ns.LinkByName(name); err != nil {
		if errors.Is(err, backend.ErrNotFound) {
			return nil, fmt.Errorf("bridge %s not found: Docker 0.1.0 needed it to exist already "+
				"(Ubuntu's lxc package made it); create it with `dockerlab v0.1 setup-bridge`: %w", name, err)
		}
		return nil, err
	}
	addrs, err := ns.AddrList(name)
	if err != nil {
		return nil, err
	}
	var addrs4 []*net.IPNet
	for _, addr := range addrs {
		if addr.IPNet == nil {
			continue
		}
		if ip4 := addr.IPNet.IP.To4(); ip4 != nil {
			addrs4 = append(addrs4, &net.IPNet{IP: ip4, Mask: ipv4Mask(addr.IPNet.Mask)})
		}
	}
	switch {
	case len(addrs4) == 0:
		return nil, fmt.Errorf("Interface %v has no IP addresses", name)
	case len(addrs4) > 1:
		log.Printf("Interface %v has more than 1 IPv4 address. Defaulting to using %v", name, addrs4[0].IP)
	}
	return addrs4[0], nil
}

// PortMapper maps external ports to containers with DNAT rules in the nat
// table's DOCKER chain, and remembers each mapping so it can remove it.
type PortMapper struct {
	ipt     backend.IPTables
	lock    sync.Mutex
	mapping map[int]net.TCPAddr
}

// cleanup removes what a previous daemon left: the two jumps, then the
// chain. Every error is ignored: on a fresh machine none of it exists.
//
//lab:exercise ch00.port-mapper
func (mapper *PortMapper) cleanup() error {
	iptables(mapper.ipt, "-t", "nat", "-D", "PREROUTING", "-j", "DOCKER")
	iptables(mapper.ipt, "-t", "nat", "-D", "OUTPUT", "-j", "DOCKER")
	iptables(mapper.ipt, "-t", "nat", "-F", "DOCKER")
	iptables(mapper.ipt, "-t", "nat", "-X", "DOCKER")
	mapper.mapping = make(map[int]net.TCPAddr)
	return nil
}

// setup makes the DOCKER chain and sends every incoming (PREROUTING) and
// locally generated (OUTPUT) packet through it, with no match at all.
//
// When cleanup could not remove the chain because a jump 0.1.0 never wrote
// still leads to it — Docker 1.2's, "-m addrtype --dst-type LOCAL -j
// DOCKER" — the error says so (ErrDockerChainInUse): 0.1.0 failed with
// the bare "Failed to create DOCKER chain".
//
//lab:exercise ch00.port-mapper
func (mapper *PortMapper) setup() error {
	if err := iptables(mapper.ipt, "-t", "nat", "-N", "DOCKER"); err != nil {
		if errors.Is(err, backend.ErrExists) {
			err = fmt.Errorf("%w (%w)", err, ErrDockerChainInUse)
		}
		return fmt.Errorf("Unable to setup port networking: Failed to create DOCKER chain: %w", err)
	}
	if err := iptables(mapper.ipt, "-t", "nat", "-A", "PREROUTING", "-j", "DOCKER"); err != nil {
		return fmt.Errorf("Unable to setup port networking: Failed to inject docker in PREROUTING chain: %w", err)
	}
	if err := iptables(mapper.ipt, "-t", "nat", "-A", "OUTPUT", "-j", "DOCKER"); err != nil {
		return fmt.Errorf("Unable to setup port networking: Failed to inject docker in OUTPUT chain: %w", err)
	}
	return nil
}

// ErrDockerChainInUse is why the DOCKER chain could not be made: another
// daemon's rules still jump to it. Not upstream (see setup).
var ErrDockerChainInUse = errors.New("the nat table's DOCKER chain is still in use: another daemon's rules jump to it " +
	"(Docker 1.2 writes -m addrtype --dst-type LOCAL -j DOCKER, which 0.1.0's clean-up does not know); " +
	"stop that daemon and start from a clean machine")

// iptablesForward adds (rule "-A") or deletes (rule "-D") one DNAT rule:
// TCP to port goes to dest.
//
//lab:exercise ch00.port-mapper
func (mapper *PortMapper) iptablesForward(rule string, port int, dest net.TCPAddr) error {
	return iptables(mapper.ipt, "-t", "nat", rule, "DOCKER",
		"-p", "tcp", "--dport", strconv.Itoa(port),
		"-j", "DNAT", "--to-destination", net.JoinHostPort(dest.IP.String(), strconv.Itoa(dest.Port)))
}

// Map forwards TCP port to dest.
func (mapper *PortMapper) Map(port int, dest net.TCPAddr) error {
	mapper.lock.Lock()
	defer mapper.lock.Unlock()
	if err := mapper.iptablesForward("-A", port, dest); err != nil {
		return err
	}
	mapper.mapping[port] = dest
	return nil
}

// Unmap removes the rule Map added for port.
func (mapper *PortMapper) Unmap(port int) error {
	mapper.lock.Lock()
	defer mapper.lock.Unlock()
	dest, ok := mapper.mapping[port]
	if !ok {
		return errors.New("Port is not mapped")
	}
	if err := mapper.iptablesForward("-D", port, dest); err != nil {
		return err
	}
	delete(mapper.mapping, port)
	return nil
}

// newPortMapper starts from a clean DOCKER chain. Running it drops the
// port mappings of containers that are still running (§9.3).
func newPortMapper(ipt backend.IPTables) (*PortMapper, error) {
	mapper := &PortMapper{ipt: ipt}
	if err := mapper.cleanup(); err != nil {
		return nil, err
	}
	if err := mapper.setup(); err != nil {
		return nil, err
	}
	return mapper, nil
}

// PortAllocator hands out external ports. The channel is the whole data
// structure: filled once with every port, a receive allocates, a send
// frees; channels are safe for concurrent use, so there is no lock.
type PortAllocator struct {
	ports chan int
}

// populate fills the channel with start..end-1, in order.
func (alloc *PortAllocator) populate(start, end int) {
	alloc.ports = make(chan int, end-start)
	for port := start; port < end; port++ {
		alloc.ports <- port
	}
}

// Acquire takes the next free port, oldest released first. It never
// waits: with none left it fails at once.
func (alloc *PortAllocator) Acquire() (int, error) {
	select {
	case port := <-alloc.ports:
		return port, nil
	default:
		return -1, errors.New("No more ports available")
	}
}

// Release gives a port back. It does not check the port: any int fits
// while the channel has room.
func (alloc *PortAllocator) Release(port int) error {
	select {
	case alloc.ports <- port:
		return nil
	default:
		return errors.New("Too many ports have been released")
	}
}

// newPortAllocator makes an allocator of the ports start..end-1.
func newPortAllocator(start, end int) (*PortAllocator, error) {
	if end <= start {
		return nil, fmt.Errorf("empty port range %d-%d", start, end)
	}
	alloc := &PortAllocator{}
	alloc.populate(start, end)
	return alloc, nil
}

// IPAllocator hands out the addresses of the bridge's network, with the
// same channel design as PortAllocator.
type IPAllocator struct {
	network *net.IPNet // the bridge's own address and the network's mask
	queue   chan net.IP
}

// populate fills the channel with every address of the network except the
// network address, the broadcast address and the bridge's own address:
// size-3 of them, in increasing order (10.0.3.2 … 10.0.3.254 for
// 10.0.3.1/24; .1 .2 .3 .4 .6 for 192.168.1.5/29).
func (alloc *IPAllocator) populate() error {
	size, err := networkSize(alloc.network.Mask)
	if err != nil {
		return err
	}
	if size <= 0 || int64(size) > maxAllocatorAddresses {
		// size wraps to 0 for a /0.
		return fmt.Errorf("network %v is too large: dockerlab pre-fills at most %d addresses (a /12), as the allocator holds every one in memory",
			alloc.network, maxAllocatorAddresses)
	}
	if size < 4 {
		return fmt.Errorf("network %v is too small: a /%d has no address for containers besides the bridge's",
			alloc.network, 32-bitLength(size))
	}
	firstIP, lastIP := networkRange(alloc.network)
	if alloc.network.IP.Equal(firstIP) || alloc.network.IP.Equal(lastIP) {
		which := "broadcast"
		if alloc.network.IP.Equal(firstIP) {
			which = "network"
		}
		return fmt.Errorf("bridge address %v is the network's %s address; give the bridge a host address such as %v",
			alloc.network, which, nextIP(firstIP))
	}
	//lab:begin ch00.ip-allocator
	first, err := ipToInt(firstIP)
	if err != nil {
		return err
	}
	alloc.queue = make(chan net.IP, size-3)
	for i := int32(1); i < size-1; i++ {
		ip, err := intToIp(first + i)
		if err != nil {
			return err
		}
		if ip.Equal(alloc.network.IP) {
			continue // the bridge's own address: the containers' gateway
		}
		alloc.queue <- ip
	}
	return nil
	//lab:end ch00.ip-allocator
}

// bitLength is the number of host bits of a power-of-two network size.
func bitLength(size int32) int {
	n := 0
	for s := uint32(size); s > 1; s >>= 1 {
		n++
	}
	return n
}

// nextIP is ip+1.
func nextIP(ip net.IP) net.IP {
	n, _ := ipToInt(ip)
	next, _ := intToIp(n + 1)
	return next
}

// Acquire takes the next free address, or fails at once when none is left.
//
//lab:exercise ch00.ip-allocator
func (alloc *IPAllocator) Acquire() (net.IP, error) {
	select {
	case ip := <-alloc.queue:
		return ip, nil
	default:
		return net.IP{}, errors.New("No more IP addresses available")
	}
}

// Release gives an address back to the end of the queue. Like 0.1.0 it
// trusts its caller: releasing an address twice would hand it out twice.
//
//lab:exercise ch00.ip-allocator
func (alloc *IPAllocator) Release(ip net.IP) error {
	select {
	case alloc.queue <- ip:
		return nil
	default:
		return errors.New("Too many IP addresses have been released")
	}
}

// newIPAllocator makes an allocator for network, whose IP is the bridge's
// own address.
func newIPAllocator(network *net.IPNet) (*IPAllocator, error) {
	if network == nil || network.IP.To4() == nil {
		return nil, fmt.Errorf("IP allocator needs an IPv4 network, got %v", network)
	}
	alloc := &IPAllocator{network: &net.IPNet{IP: network.IP.To4(), Mask: ipv4Mask(network.Mask)}}
	if err := alloc.populate(); err != nil {
		return nil, err
	}
	return alloc, nil
}

// NetworkInterface is one container's share of the network: an address, the
// gateway, and the external ports mapped to it. Creating the veth pair
// itself belongs to container start (LXC did it in 0.1.0).
type NetworkInterface struct {
	IPNet   net.IPNet
	Gateway net.IP

	manager  *NetworkManager
	extPorts []int
	released bool
}

// AllocatePort maps a free external port to port on this interface and
// returns the external port.
func (iface *NetworkInterface) AllocatePort(port int) (int, error) {
	if port < 1 || port > 65535 {
		return -1, fmt.Errorf("Invalid port: %d", port)
	}
	extPort, err := iface.manager.portAllocator.Acquire()
	if err != nil {
		return -1, err
	}
	if err := iface.manager.portMapper.Map(extPort, net.TCPAddr{IP: iface.IPNet.IP, Port: port}); err != nil {
		iface.manager.portAllocator.Release(extPort)
		return -1, err
	}
	iface.extPorts = append(iface.extPorts, extPort)
	return extPort, nil
}

// Release unmaps and frees every external port (logging failures and
// going on), then frees the address.
func (iface *NetworkInterface) Release() error {
	if iface.released {
		return nil
	}
	iface.released = true
	for _, port := range iface.extPorts {
		if err := iface.manager.portMapper.Unmap(port); err != nil {
			log.Printf("Unable to unmap port %v: %v", port, err)
		}
		if err := iface.manager.portAllocator.Release(port); err != nil {
			log.Printf("Unable to release port %v: %v", port, err)
		}
	}
	iface.extPorts = nil
	return iface.manager.ipAllocator.Release(iface.IPNet.IP)
}

// NetworkManager owns the bridge's network and the three helpers. One per
// machine: two managers would hand out the same addresses.
type NetworkManager struct {
	bridgeIface   string
	bridgeNetwork *net.IPNet

	ipAllocator   *IPAllocator
	portAllocator *PortAllocator
	portMapper    *PortMapper
}

// Allocate gives a container an address on the bridge's network, with the
// bridge as its gateway.
func (manager *NetworkManager) Allocate() (*NetworkInterface, error) {
	ip, err := manager.ipAllocator.Acquire()
	if err != nil {
		return nil, err
	}
	return &NetworkInterface{
		IPNet:   net.IPNet{IP: ip, Mask: manager.bridgeNetwork.Mask},
		Gateway: manager.bridgeNetwork.IP,
		manager: manager,
	}, nil
}

// newNetworkManager reads the bridge's address in host's root namespace,
// builds both allocators and resets the DOCKER chain there.
func newNetworkManager(host backend.Host, bridgeIface string) (*NetworkManager, error) {
	root := host.Root()
	network, err := getIfaceAddr(root, bridgeIface)
	if err != nil {
		return nil, err
	}
	ipAllocator, err := newIPAllocator(network)
	if err != nil {
		return nil, err
	}
	portAllocator, err := newPortAllocator(portRangeStart, portRangeEnd)
	if err != nil {
		return nil, err
	}
	portMapper, err := newPortMapper(root.IPTables())
	if err != nil {
		return nil, err
	}
	return &NetworkManager{
		bridgeIface:   bridgeIface,
		bridgeNetwork: network,
		ipAllocator:   ipAllocator,
		portAllocator: portAllocator,
		portMapper:    portMapper,
	}, nil
}
