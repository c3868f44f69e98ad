// Package portallocator hands out host ports for published container ports,
// per host IP and per protocol.
//
// Upstream: daemon/networkdriver/portallocator/portallocator.go at v1.2.0.
// See docs/upstream/v1.2.0.md §3.4, §3.6 (portallocator_test.go).
// Book: ch.7 §7.4 Docker Daemon创建/启动容器之网络 (`docker run -p`:
// allocate_port → portmapper.Map → RequestPort); ch.6 §6.5 (the
// allocate_port handler registered).
//
// A dynamic port comes from 49153-65535 (the IANA dynamic range, minus
// 49152). Like the IP allocator, it remembers the last port handed out
// and scans forward from there, wrapping from 65535 back to 49153.
//
// Divergences (fixed upstream bugs; see docs/divergences.md):
//   - upstream's first dynamic request returned 49153 without looking,
//     even when 49153 had been requested explicitly: two owners. Here the
//     first scan starts at 49153 and skips taken ports like any other.
//   - upstream's scan stopped before reaching `last` and, when `last` was
//     49153 and every other port was taken, never stopped at all. Here the
//     scan visits each port of the range once, `last` itself at the end.
//   - ReleasePort with an unknown protocol dereferenced nil; here it says
//     ErrUnknownProtocol.
package portallocator

import (
	"errors"
	"fmt"
	"net"
	"sync"
)

// portMap is the set of taken ports of one IP and protocol.
type portMap struct {
	p    map[int]struct{}
	last int // the last port findPort handed out, 0 before the first
}

func newPortMap() *portMap {
	return &portMap{p: map[int]struct{}{}}
}

type protoMap map[string]*portMap

func newProtoMap() protoMap {
	return protoMap{"tcp": newPortMap(), "udp": newPortMap()}
}

// ipMapping keys the protocol maps by the host IP's string form.
type ipMapping map[string]protoMap

// The dynamic range.
const (
	BeginPortRange = 49153
	EndPortRange   = 65535
)

var (
	ErrAllPortsAllocated = errors.New("all ports are allocated")
	ErrUnknownProtocol   = errors.New("unknown protocol")
)

var (
	mutex sync.Mutex

	defaultIP = net.ParseIP("0.0.0.0")
	globalMap = ipMapping{}
)

// ErrPortAlreadyAllocated says which ip:port was taken. It is a value type
// (callers test `err.(ErrPortAlreadyAllocated)`), so the bridge driver can
// tell "try another port" from any other failure.
type ErrPortAlreadyAllocated struct {
	ip   string
	port int
}

func NewErrPortAlreadyAllocated(ip string, port int) ErrPortAlreadyAllocated {
	return ErrPortAlreadyAllocated{ip: ip, port: port}
}

func (e ErrPortAlreadyAllocated) IP() string     { return e.ip }
func (e ErrPortAlreadyAllocated) Port() int      { return e.port }
func (e ErrPortAlreadyAllocated) IPPort() string { return fmt.Sprintf("%s:%d", e.ip, e.port) }

func (e ErrPortAlreadyAllocated) Error() string {
	return fmt.Sprintf("Bind for %s:%d failed: port is already allocated", e.ip, e.port)
}

// RequestPort takes port on ip for proto ("tcp" or "udp"), or, when port
// is 0, the next free port of the dynamic range. An explicit port may be
// any number; only dynamic ones come from the range. A nil ip is 0.0.0.0.
func RequestPort(ip net.IP, proto string, port int) (int, error) {
	mutex.Lock()
	defer mutex.Unlock()

	if proto != "tcp" && proto != "udp" {
		return 0, ErrUnknownProtocol
	}
	if port < 0 || port > 65535 {
		return 0, fmt.Errorf("invalid port %d: must be 0 (any) or 1-65535", port)
	}
	if ip == nil {
		ip = defaultIP
	}
	ipstr := ip.String()
	protomap, ok := globalMap[ipstr]
	if !ok {
		protomap = newProtoMap()
		globalMap[ipstr] = protomap
	}
	mapping := protomap[proto]
	if port > 0 {
		if _, taken := mapping.p[port]; taken {
			return 0, NewErrPortAlreadyAllocated(ipstr, port)
		}
		mapping.p[port] = struct{}{}
		return port, nil
	}
	return mapping.findPort()
}

// ReleasePort gives a port back. Releasing a free port is not an error.
func ReleasePort(ip net.IP, proto string, port int) error {
	mutex.Lock()
	defer mutex.Unlock()

	if proto != "tcp" && proto != "udp" {
		return ErrUnknownProtocol
	}
	if ip == nil {
		ip = defaultIP
	}
	protomap, ok := globalMap[ip.String()]
	if !ok {
		return nil
	}
	delete(protomap[proto].p, port)
	return nil
}

// ReleaseAll forgets every port of every IP.
func ReleaseAll() error {
	mutex.Lock()
	globalMap = ipMapping{}
	mutex.Unlock()
	return nil
}

// findPort scans the range once, starting after the last port handed out
// (at 49153 the first time) and wrapping at 65535.
func (pm *portMap) findPort() (int, error) {
	const size = EndPortRange - BeginPortRange + 1
	start := BeginPortRange
	if pm.last != 0 {
		start = pm.last + 1
	}
	for i := 0; i < size; i++ {
		port := BeginPortRange + (start-BeginPortRange+i)%size
		if _, taken := pm.p[port]; !taken {
			pm.p[port] = struct{}{}
			pm.last = port
			return port, nil
		}
	}
	return 0, ErrAllPortsAllocated
}
