// TCP sockets of the simulated machine: listen(2) on an address of a
// network namespace, connect(2) from a namespace along the path the
// machine's tables give (packetpath.go), accept(2) on the other side.
// What `docker run -p 8080:80 busybox httpd` and `wget` need on the fake
// (book ch.7 §7.4; note 000 外界访问容器内部服务的流程;
// upstream daemon/networkdriver/portmapper at v1.2.0 for the proxy side).
//
// Listeners and connections live in the OS process that runs the
// Kernel, not in the state file: a socket is a property of a running
// program, and the simulated programs (and the daemon's proxy) of one
// dockerlab command run in that command's process. A program in another
// dockerlab command does not see them.
//
// Errors are the kernel's: EADDRINUSE for a taken port, EADDRNOTAVAIL
// for an address the namespace does not have, ECONNREFUSED when nothing
// listens, ETIMEDOUT when a rule drops the connection (reported at once:
// the fake does not make the caller wait out the retries).
package fake

import (
	"net"
	"strconv"
	"sync"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// firstEphemeral..lastEphemeral is net.ipv4.ip_local_port_range.
const (
	firstEphemeral = 32768
	lastEphemeral  = 60999
)

// sockTable is the machine's sockets, in this OS process.
type sockTable struct {
	mu        sync.Mutex
	listeners map[string][]*sockListener // by namespace key
	owned     map[int]map[sockCloser]bool
	nextPort  int
}

type sockCloser interface{ Close() error }

func (k *Kernel) sockets() *sockTable {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.socks == nil {
		k.socks = &sockTable{listeners: map[string][]*sockListener{}, owned: map[int]map[sockCloser]bool{},
			nextPort: firstEphemeral}
	}
	return k.socks
}

// own records that process pid holds c (0: the kernel's caller holds it).
func (st *sockTable) own(pid int, c sockCloser) {
	if pid == 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.owned[pid] == nil {
		st.owned[pid] = map[sockCloser]bool{}
	}
	st.owned[pid][c] = true
}

// closeSockets closes what an ended process held, as exit(2) does.
func (k *Kernel) closeSockets(pid int) {
	st := k.sockets()
	st.mu.Lock()
	held := st.owned[pid]
	delete(st.owned, pid)
	st.mu.Unlock()
	for c := range held {
		c.Close()
	}
}

// parseSockAddr takes "ip:port", ":port" or "host:port" with host
// "localhost".
func parseSockAddr(op, network, address string) (net.IP, int, error) {
	if network != "tcp" && network != "tcp4" {
		return nil, 0, backend.Errorf(backend.ErrUnsupported, syscall.EPROTONOSUPPORT, op, network,
			"the fake machine has TCP sockets only")
	}
	host, portStr, err := net.SplitHostPort(address)
	port, perr := strconv.Atoi(portStr)
	if err != nil || perr != nil || port < 0 || port > 65535 {
		return nil, 0, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, address, "bad address (want IP:PORT)")
	}
	switch host {
	case "":
		return net.IPv4zero.To4(), port, nil
	case "localhost":
		return net.IPv4(127, 0, 0, 1).To4(), port, nil
	}
	ip := net.ParseIP(host).To4()
	if ip == nil {
		return nil, 0, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, address, "bad IPv4 address %q", host)
	}
	return ip, port, nil
}

// Listen opens a TCP listener in network namespace ns (the zero NSRef is
// the root), as a program there would. The docker-proxy of the fake
// daemon uses it; simulated programs use their System's Listen.
func (k *Kernel) Listen(ns backend.NSRef, network, address string) (net.Listener, error) {
	return k.listen(byRef(ns), 0, network, address)
}

// nsResolver finds the namespace key of the socket's owner.
type nsResolver func(m *machine) (string, error)

func byRef(ref backend.NSRef) nsResolver {
	return func(m *machine) (string, error) { return m.refKey(ref) }
}

func (k *Kernel) listen(resolve nsResolver, pid int, network, address string) (net.Listener, error) {
	ip, port, err := parseSockAddr("bind", network, address)
	if err != nil {
		return nil, err
	}
	var key string
	err = k.view("Listen", func(m *machine) error {
		if key, err = resolve(m); err != nil {
			return err
		}
		if !ip.IsUnspecified() && !m.Namespaces[key].hasAddr(ip) {
			return backend.Errorf(backend.ErrNotFound, syscall.EADDRNOTAVAIL, "bind", address, "Cannot assign requested address")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st := k.sockets()
	st.mu.Lock()
	if port == 0 {
		port = st.freePort(key)
	}
	for _, l := range st.listeners[key] {
		if l.addr.Port == port && (l.addr.IP.IsUnspecified() || ip.IsUnspecified() || l.addr.IP.Equal(ip)) {
			st.mu.Unlock()
			return nil, backend.Errorf(backend.ErrBusy, syscall.EADDRINUSE, "bind", net.JoinHostPort(ip.String(), strconv.Itoa(port)), "Address already in use")
		}
	}
	l := &sockListener{st: st, key: key, addr: &net.TCPAddr{IP: ip, Port: port},
		queue: make(chan *sockConn, 128), done: make(chan struct{}), pid: pid}
	st.listeners[key] = append(st.listeners[key], l)
	st.mu.Unlock()
	st.own(pid, l)
	return l, nil
}

// freePort is the next ephemeral port nobody listens on. Called with st.mu held.
func (st *sockTable) freePort(key string) int {
	for range lastEphemeral - firstEphemeral + 1 {
		p := st.nextPort
		st.nextPort++
		if st.nextPort > lastEphemeral {
			st.nextPort = firstEphemeral
		}
		taken := false
		for _, l := range st.listeners[key] {
			taken = taken || l.addr.Port == p
		}
		if !taken {
			return p
		}
	}
	return 0
}

// hasAddr says whether ip is assigned to any link of the namespace (bind
// needs no more; the link may be down).
func (ns *netns) hasAddr(ip net.IP) bool {
	for _, a := range ns.Addrs {
		if have, n, err := net.ParseCIDR(a.CIDR); err == nil {
			l := ns.linkByIndex(a.Link)
			if have.Equal(ip) || (l != nil && l.Kind == backend.KindLoopback && n.Contains(ip)) {
				return true
			}
		}
	}
	return false
}

// Dial connects from network namespace ns to address, following the
// machine's routes, bridges and iptables rules (packetpath.go).
func (k *Kernel) Dial(ns backend.NSRef, network, address string) (net.Conn, error) {
	return k.dial(byRef(ns), 0, network, address)
}

func (k *Kernel) dial(resolve nsResolver, pid int, network, address string) (net.Conn, error) {
	ip, port, err := parseSockAddr("connect", network, address)
	if err != nil {
		return nil, err
	}
	st := k.sockets()
	st.mu.Lock()
	sport := st.nextPort
	st.nextPort++
	if st.nextPort > lastEphemeral {
		st.nextPort = firstEphemeral
	}
	st.mu.Unlock()
	var end pathEnd
	err = k.view("Dial", func(m *machine) error {
		key, err := resolve(m)
		if err != nil {
			return err
		}
		end, err = m.connectPath(key, ip, port, sport)
		return err
	})
	if err != nil {
		return nil, err
	}
	l := st.find(end)
	if l == nil {
		return nil, connectErr(syscall.ECONNREFUSED, ip, port, "Connection refused")
	}
	client, server := newConnPair(&net.TCPAddr{IP: end.src, Port: sport}, &net.TCPAddr{IP: end.dst, Port: end.dport})
	if !l.enqueue(server) {
		return nil, connectErr(syscall.ECONNREFUSED, ip, port, "Connection refused")
	}
	st.own(pid, client)
	client.onClose = func(c *sockConn) { st.disown(pid, c) }
	return client, nil
}

// find is the listener for a connection's end: bound to its address or
// to 0.0.0.0, on its port.
func (st *sockTable) find(end pathEnd) *sockListener {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, l := range st.listeners[end.nsKey] {
		if l.addr.Port == end.dport && (l.addr.IP.IsUnspecified() || l.addr.IP.Equal(end.dst)) {
			return l
		}
	}
	return nil
}

func (st *sockTable) disown(pid int, c sockCloser) {
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.owned[pid], c)
}

// sockListener is a listening socket.
type sockListener struct {
	st    *sockTable
	key   string // namespace key
	addr  *net.TCPAddr
	pid   int // holder; 0 for the kernel's caller
	queue chan *sockConn
	done  chan struct{}
	once  sync.Once
}

// enqueue puts a new connection in the accept queue; false when the
// listener is closed or its backlog is full.
func (l *sockListener) enqueue(c *sockConn) bool {
	select {
	case <-l.done:
		return false
	default:
	}
	select {
	case l.queue <- c:
		return true
	default:
		return false
	}
}

func (l *sockListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.queue:
		l.st.own(l.pid, c)
		pid := l.pid
		c.onClose = func(c *sockConn) { l.st.disown(pid, c) }
		return c, nil
	case <-l.done:
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: net.ErrClosed}
	}
}

// Close stops listening; connections not yet accepted are reset.
func (l *sockListener) Close() error {
	l.once.Do(func() {
		close(l.done)
		l.st.mu.Lock()
		ls := l.st.listeners[l.key]
		for i, x := range ls {
			if x == l {
				l.st.listeners[l.key] = append(ls[:i:i], ls[i+1:]...)
				break
			}
		}
		if l.pid != 0 {
			delete(l.st.owned[l.pid], sockCloser(l))
		}
		l.st.mu.Unlock()
		for {
			select {
			case c := <-l.queue:
				c.Close()
			default:
				return
			}
		}
	})
	return nil
}

func (l *sockListener) Addr() net.Addr { return l.addr }

// Listen and Dial are optional System methods (not in the userland.System
// interface): the caller's network namespace's sockets. The socket
// belongs to the process and closes when it ends.
func (s *system) Listen(network, address string) (net.Listener, error) {
	return s.k.listen(s.netKey, s.pid, network, address)
}

func (s *system) Dial(network, address string) (net.Conn, error) {
	return s.k.dial(s.netKey, s.pid, network, address)
}

// netKey is the caller's network namespace (an nsResolver).
func (s *system) netKey(m *machine) (string, error) {
	rec, ok := m.Procs[s.pid]
	if !ok {
		return "", backend.ErrnoError(syscall.ESRCH, "socket", strconv.Itoa(s.pid))
	}
	return rec.NetNS, nil
}
