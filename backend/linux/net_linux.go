//go:build linux

// Net: one network namespace's links (docs/design.md "The backend"; reference
// docs/kernels.md §3). Upstream Docker 1.2.0 made docker0
// and the veth pairs with libcontainer's netlink package (book ch.6
// "网络"); here vishvananda/netlink does it, through a handle whose sockets
// were opened inside the namespace, so every call acts there whatever
// thread runs it.

package linux

import (
	"errors"
	"fmt"
	"sync"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// Net is a handle on one network namespace.
type Net struct {
	host *Host
	ref  backend.NSRef
	path string          // the namespace file it was opened from
	ns   netns.NsHandle  // an open fd on that namespace
	nl   *netlink.Handle // netlink sockets living in the namespace

	// mu is held for reading during every operation and for writing by
	// close, so a handle is never closed under a running operation.
	mu     sync.RWMutex
	closed bool
}

var _ backend.Net = (*Net)(nil)

func openNet(h *Host, ref backend.NSRef, path string) (*Net, error) {
	ns, err := netns.GetFromPath(path)
	if err != nil {
		return nil, kernelErr("open netns", ref.String(), err)
	}
	nl, err := netlink.NewHandleAt(ns)
	if err != nil {
		ns.Close()
		return nil, kernelErr("netlink socket", ref.String(), err)
	}
	return &Net{host: h, ref: ref, path: path, ns: ns, nl: nl}, nil
}

// close releases the handle. Afterwards every operation fails with
// ErrNotFound: it must, because a closed netlink.Handle silently falls back
// to the calling thread's namespace — the host's.
func (n *Net) close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	n.closed = true
	n.nl.Close()
	n.ns.Close()
}

// hold keeps the Net open for one operation; release ends it.
func (n *Net) hold() error {
	n.mu.RLock()
	if n.closed {
		n.mu.RUnlock()
		return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "netns", n.ref.String(),
			"network namespace %s is gone (deleted, or its process exited)", n.ref)
	}
	return nil
}

func (n *Net) release() { n.mu.RUnlock() }

// Ref says which namespace this is.
func (n *Net) Ref() backend.NSRef { return n.ref }

// Path is the namespace file (for `nsenter --net=PATH`).
func (n *Net) Path() string { return n.path }

// retryDump repeats a netlink dump the kernel interrupted because the table
// changed underneath it (netlink ≥1.2.1 returns ErrDumpInterrupted; CNI's
// netlinksafe retries the same way).
func retryDump[T any](f func() (T, error)) (T, error) {
	var v T
	var err error
	for range 10 {
		v, err = f()
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			return v, err
		}
	}
	return v, err
}

// link finds a link by name; a missing one is ErrNotFound (ENODEV).
func (n *Net) link(op, name string) (netlink.Link, error) {
	if name == "" {
		return nil, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, name, "empty interface name")
	}
	l, err := retryDump(func() (netlink.Link, error) { return n.nl.LinkByName(name) })
	if err != nil {
		return nil, kernelErr(op, name, err)
	}
	return l, nil
}

// checkIfname mirrors the kernel's IFNAMSIZ check so the message is clear.
func checkIfname(op, name string) error {
	switch {
	case name == "":
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, name, "empty interface name")
	case len(name) > 15:
		return backend.Errorf(backend.ErrInvalid, syscall.ERANGE, op, name, "interface name %q is longer than 15 bytes", name)
	}
	return nil
}

// AddBridge is `ip link add NAME type bridge`.
func (n *Net) AddBridge(name string, mtu int) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	if err := checkIfname("link add", name); err != nil {
		return err
	}
	la := netlink.NewLinkAttrs()
	la.Name = name
	if mtu > 0 {
		la.MTU = mtu
	}
	return kernelErr("link add", name, n.nl.LinkAdd(&netlink.Bridge{LinkAttrs: la}))
}

// AddVeth is `ip link add NAME type veth peer name PEER`. NewLinkAttrs and
// NewVeth keep the default txqueuelen 1000 (reference §3 pitfall).
func (n *Net) AddVeth(name, peer string, mtu int) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	if err := checkIfname("link add", name); err != nil {
		return err
	}
	if err := checkIfname("link add", peer); err != nil {
		return err
	}
	la := netlink.NewLinkAttrs()
	la.Name = name
	if mtu > 0 {
		la.MTU = mtu
	}
	veth := netlink.NewVeth(la)
	veth.PeerName = peer
	if mtu > 0 {
		veth.PeerMTU = uint32(mtu)
	}
	return kernelErr("link add", name, n.nl.LinkAdd(veth))
}

// LinkDel deletes a link; deleting a veth end deletes its peer.
func (n *Net) LinkDel(name string) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	l, err := n.link("link del", name)
	if err != nil {
		return err
	}
	return kernelErr("link del", name, n.nl.LinkDel(l))
}

// LinkByName is one link's snapshot.
func (n *Net) LinkByName(name string) (backend.Link, error) {
	if err := n.hold(); err != nil {
		return backend.Link{}, err
	}
	defer n.release()
	l, err := n.link("link show", name)
	if err != nil {
		return backend.Link{}, err
	}
	return n.toLink(l, nil)
}

// LinkList lists the links in ifindex order.
func (n *Net) LinkList() ([]backend.Link, error) {
	if err := n.hold(); err != nil {
		return nil, err
	}
	defer n.release()
	ls, err := retryDump(n.nl.LinkList)
	if err != nil {
		return nil, kernelErr("link list", "", err)
	}
	byIndex := map[int]string{}
	for _, l := range ls {
		byIndex[l.Attrs().Index] = l.Attrs().Name
	}
	out := make([]backend.Link, 0, len(ls))
	for _, l := range ls {
		bl, err := n.toLink(l, byIndex)
		if err != nil {
			return nil, err
		}
		out = append(out, bl)
	}
	return out, nil
}

// toLink converts a netlink link. byIndex names the links of this
// namespace (nil: look the master up).
func (n *Net) toLink(l netlink.Link, byIndex map[int]string) (backend.Link, error) {
	a := l.Attrs()
	bl := backend.Link{
		Index:        a.Index,
		Name:         a.Name,
		Up:           a.Flags&netFlagUp != 0,
		MTU:          a.MTU,
		HardwareAddr: append([]byte(nil), a.HardwareAddr...),
		MasterIndex:  a.MasterIndex,
	}
	switch l.Type() {
	case "bridge":
		bl.Kind = backend.KindBridge
	case "veth":
		bl.Kind = backend.KindVeth
		bl.PeerIndex = a.ParentIndex
		if a.NetNsID >= 0 {
			bl.PeerNetNS = n.host.nameOfNSID(n, a.NetNsID)
		}
	default:
		bl.Kind = backend.KindDevice
		if a.Flags&netFlagLoopback != 0 {
			bl.Kind = backend.KindLoopback
		}
	}
	if len(bl.HardwareAddr) == 0 {
		bl.HardwareAddr = nil
	}
	if a.MasterIndex != 0 {
		if name, ok := byIndex[a.MasterIndex]; ok {
			bl.Master = name
		} else if m, err := n.nl.LinkByIndex(a.MasterIndex); err == nil {
			bl.Master = m.Attrs().Name
		}
	}
	return bl, nil
}

// nameOfNSID finds which known namespace has the id nsid as seen from n
// (IFLA_LINK_NETNSID). Best effort: "" when none matches.
func (h *Host) nameOfNSID(from *Net, nsid int) string {
	for _, other := range h.knownNets() {
		if other == from || other.hold() != nil {
			continue
		}
		id, err := from.nl.GetNetNsIdByFd(int(other.ns))
		other.release()
		if err == nil && id == nsid {
			return other.ref.String()
		}
	}
	return ""
}

// LinkSetUp is `ip link set NAME up`.
func (n *Net) LinkSetUp(name string) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	l, err := n.link("link set up", name)
	if err != nil {
		return err
	}
	return kernelErr("link set up", name, n.nl.LinkSetUp(l))
}

// LinkSetDown is `ip link set NAME down`.
func (n *Net) LinkSetDown(name string) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	l, err := n.link("link set down", name)
	if err != nil {
		return err
	}
	return kernelErr("link set down", name, n.nl.LinkSetDown(l))
}

// LinkSetMaster is `ip link set NAME master BRIDGE`.
func (n *Net) LinkSetMaster(name, bridge string) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	l, err := n.link("link set master", name)
	if err != nil {
		return err
	}
	m, err := n.link("link set master", bridge)
	if err != nil {
		return err
	}
	return kernelErr("link set master", name, n.nl.LinkSetMasterByIndex(l, m.Attrs().Index))
}

// LinkSetNoMaster is `ip link set NAME nomaster`.
func (n *Net) LinkSetNoMaster(name string) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	l, err := n.link("link set nomaster", name)
	if err != nil {
		return err
	}
	return kernelErr("link set nomaster", name, n.nl.LinkSetNoMaster(l))
}

// LinkSetName renames a link (callers set it down first: kernels before
// 6.2 refuse to rename a running interface with EBUSY).
func (n *Net) LinkSetName(name, newName string) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	if err := checkIfname("link set name", newName); err != nil {
		return err
	}
	l, err := n.link("link set name", name)
	if err != nil {
		return err
	}
	return kernelErr("link set name", name, n.nl.LinkSetName(l, newName))
}

// LinkSetMTU is `ip link set NAME mtu N`.
func (n *Net) LinkSetMTU(name string, mtu int) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	l, err := n.link("link set mtu", name)
	if err != nil {
		return err
	}
	return kernelErr("link set mtu", name, n.nl.LinkSetMTU(l, mtu))
}

// LinkSetNs moves a link into another namespace: a named one (by its file)
// or a process's (by pid). It arrives down and without addresses.
func (n *Net) LinkSetNs(name string, target backend.NSRef) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	l, err := n.link("link set netns", name)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("link set netns %s", target)
	dst, err := n.host.netNS(target) // a pid must be one dockerlab started
	if err != nil {
		return err
	}
	if dst != n { // n is held already; holding it twice could deadlock with close
		if err := dst.hold(); err != nil {
			return err
		}
		defer dst.release()
	}
	return kernelErr(op, name, n.nl.LinkSetNsFd(l, int(dst.ns)))
}

// The IFF_ flags netlink reports in LinkAttrs.Flags (net.Flags).
const (
	netFlagUp       = 1 << 0
	netFlagLoopback = 1 << 2
)
