// The Linux watch: one epoll instance and one goroutine for every watched
// connection of the process, plus a one-second look at the TCP peers that
// have half-closed (see hangup.go for why each signal means what it does).
package hangup

import (
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

var w watcher

type watcher struct {
	once sync.Once
	epfd int
	err  error

	mu     sync.Mutex
	nextID uint32
	byID   map[uint32]*entry
}

// entry is one watched connection.
type entry struct {
	fd     int // a duplicate of the connection's descriptor, ours to close
	hangup func()
	// For a TCP connection whose peer is on this machine: our two
	// addresses, to find the peer's socket; pending once it sent FIN.
	local, remote *net.TCPAddr
	pending       bool
}

func (w *watcher) start() error {
	w.once.Do(func() {
		w.epfd, w.err = unix.EpollCreate1(unix.EPOLL_CLOEXEC)
		if w.err == nil {
			w.byID = map[uint32]*entry{}
			go w.loop()
			go w.recheck()
		}
	})
	return w.err
}

func watch(conn net.Conn, hangup func()) (stop func()) {
	none := func() {}
	sc, ok := conn.(syscall.Conn)
	if !ok || w.start() != nil {
		return none
	}
	e := &entry{hangup: hangup}
	// No event asked for means only EPOLLHUP and EPOLLERR, which the
	// kernel always reports: a unix peer's close, a TCP reset.
	var events uint32
	if tc, ok := conn.(*net.TCPConn); ok {
		l, _ := tc.LocalAddr().(*net.TCPAddr)
		r, _ := tc.RemoteAddr().(*net.TCPAddr)
		if l != nil && r != nil && r.IP.IsLoopback() {
			e.local, e.remote = l, r
			events = unix.EPOLLRDHUP // the peer's FIN: then look at its socket
		}
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return none
	}
	e.fd = -1
	if cerr := raw.Control(func(fd uintptr) {
		e.fd, err = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	}); cerr != nil || err != nil {
		return none
	}
	w.mu.Lock()
	w.nextID++
	id := w.nextID
	w.byID[id] = e
	w.mu.Unlock()
	// The event carries the id, never the descriptor: a stale event for a
	// number reused meanwhile finds no entry and is dropped.
	ev := unix.EpollEvent{Events: events, Fd: int32(id)}
	if err := unix.EpollCtl(w.epfd, unix.EPOLL_CTL_ADD, e.fd, &ev); err != nil {
		w.forget(id)
		return none
	}
	return func() { w.forget(id) }
}

// forget ends the watch of id, once (by stop or on a hang-up), and
// returns its hangup function (nil if it was no longer watched).
func (w *watcher) forget(id uint32) func() {
	w.mu.Lock()
	e, ok := w.byID[id]
	delete(w.byID, id)
	w.mu.Unlock()
	if !ok {
		return nil
	}
	unix.EpollCtl(w.epfd, unix.EPOLL_CTL_DEL, e.fd, nil)
	unix.Close(e.fd)
	return e.hangup
}

func (w *watcher) fire(id uint32) {
	if hangup := w.forget(id); hangup != nil {
		hangup()
	}
}

// loop waits for the kernel's reports for the process's lifetime.
func (w *watcher) loop() {
	events := make([]unix.EpollEvent, 64)
	for {
		n, err := unix.EpollWait(w.epfd, events, -1)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return
		}
		for _, ev := range events[:n] {
			id := uint32(ev.Fd)
			if ev.Events&(unix.EPOLLHUP|unix.EPOLLERR) != 0 {
				w.fire(id)
				continue
			}
			// EPOLLRDHUP from a TCP peer on this machine: a close or a
			// half-close. Stop asking for it (it stays set), and look.
			w.mu.Lock()
			e, ok := w.byID[id]
			if ok {
				quiet := unix.EpollEvent{Events: 0, Fd: int32(id)}
				unix.EpollCtl(w.epfd, unix.EPOLL_CTL_MOD, e.fd, &quiet)
			}
			w.mu.Unlock()
			if !ok {
				continue
			}
			if peerGone(e.local, e.remote) {
				w.fire(id)
				continue
			}
			w.mu.Lock()
			e.pending = true
			w.mu.Unlock()
		}
	}
}

// recheck looks once a second at the half-closed TCP peers: a client
// that half-closed and later quit is noticed within a second or so.
func (w *watcher) recheck() {
	for range time.Tick(time.Second) {
		w.mu.Lock()
		var ids []uint32
		var es []*entry
		for id, e := range w.byID {
			if e.pending {
				ids, es = append(ids, id), append(es, e)
			}
		}
		w.mu.Unlock()
		for i, e := range es {
			if peerGone(e.local, e.remote) {
				w.fire(ids[i])
			}
		}
	}
}

// peerGone asks the kernel (sock_diag) about the peer's socket of the
// connection local<->remote, both on this machine: gone if it no longer
// exists or its process has closed it (an orphan has no inode). Any
// doubt — the kernel would not answer — is "not gone".
func peerGone(local, remote *net.TCPAddr) bool {
	inode, err := tcpInode(remote, local) // the peer's socket: from remote to local
	if errors.Is(err, unix.ENOENT) {
		return true
	}
	return err == nil && inode == 0
}

// Sizes and offsets of struct inet_diag_req_v2 and inet_diag_msg
// (linux/inet_diag.h).
const (
	sizeofDiagReq  = 56
	sizeofDiagMsg  = 72
	diagMsgInodeAt = 68
	noCookie       = ^uint32(0)
)

// tcpInode returns the inode of the TCP socket src->dst on this machine
// (0 when no process holds it), or ENOENT when there is none.
func tcpInode(src, dst *net.TCPAddr) (uint32, error) {
	family, sip, dip := uint8(unix.AF_INET), src.IP.To4(), dst.IP.To4()
	if sip == nil || dip == nil {
		family, sip, dip = unix.AF_INET6, src.IP.To16(), dst.IP.To16()
	}
	if sip == nil || dip == nil {
		return 0, unix.EINVAL
	}
	req := make([]byte, unix.NLMSG_HDRLEN+sizeofDiagReq)
	ne := binary.NativeEndian
	ne.PutUint32(req[0:], uint32(len(req)))
	ne.PutUint16(req[4:], unix.SOCK_DIAG_BY_FAMILY)
	ne.PutUint16(req[6:], unix.NLM_F_REQUEST)
	r := req[unix.NLMSG_HDRLEN:]
	r[0], r[1] = family, unix.IPPROTO_TCP
	ne.PutUint32(r[4:], 0xffffffff) // every state
	binary.BigEndian.PutUint16(r[8:], uint16(src.Port))
	binary.BigEndian.PutUint16(r[10:], uint16(dst.Port))
	copy(r[12:28], sip)
	copy(r[28:44], dip)
	ne.PutUint32(r[48:], noCookie)
	ne.PutUint32(r[52:], noCookie)

	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return 0, err
	}
	buf := make([]byte, 4096)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil {
		return 0, err
	}
	msgs, err := syscall.ParseNetlinkMessage(buf[:n])
	if err != nil || len(msgs) == 0 {
		return 0, unix.EIO
	}
	m := msgs[0]
	switch {
	case m.Header.Type == unix.NLMSG_ERROR && len(m.Data) >= 4:
		if errno := -int32(ne.Uint32(m.Data)); errno != 0 {
			return 0, unix.Errno(errno)
		}
		return 0, unix.EIO
	case m.Header.Type == unix.SOCK_DIAG_BY_FAMILY && len(m.Data) >= sizeofDiagMsg:
		return ne.Uint32(m.Data[diagMsgInodeAt:]), nil
	}
	return 0, unix.EIO
}
