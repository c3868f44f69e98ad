// Bridges and their ports: `ip link set DEV master BR` and `nomaster`, and
// the bridge's MTU following its ports (docs/design.md "The backend": links;
// reference docs/kernels.md §3 "Measured kernel
// behaviour"; kernel net/bridge/br_if.c br_add_if and br_mtu_auto_adjust;
// book ch.6 docker0 and the veth attached to it).
package fake

import (
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

func (h *netHandle) LinkSetMaster(name, bridge string) error {
	return h.with("LinkSetMaster", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link set master", name)
		if err != nil {
			return err
		}
		b := ns.link(bridge)
		switch {
		case b == nil:
			// netlink resolves the master by name itself and fails
			// without an errno: "Device does not exist".
			return backend.Errorf(backend.ErrNotFound, 0, "link set master", bridge, "Device does not exist")
		case b.Kind != backend.KindBridge:
			// do_set_master releases the old master before it asks the
			// new one, so the refusal leaves the link on no bridge.
			if old := l.Master; old != 0 {
				l.Master = 0
				ns.adjustBridgeMTU(old)
			}
			return backend.ErrnoError(syscall.EOPNOTSUPP, "link set master", bridge)
		case b == l:
			return backend.ErrnoError(syscall.ELOOP, "link set master", name)
		case l.Kind == backend.KindLoopback: // br_add_if: not an Ethernet device
			return backend.ErrnoError(syscall.EINVAL, "link set master", name)
		case l.Kind == backend.KindBridge: // br_add_if: no bridging of bridges
			return backend.ErrnoError(syscall.ELOOP, "link set master", name)
		}
		old := l.Master
		l.Master = b.Index
		if old != 0 && old != b.Index {
			ns.adjustBridgeMTU(old)
		}
		ns.adjustBridgeMTU(b.Index)
		return nil
	})
}

func (h *netHandle) LinkSetNoMaster(name string) error {
	return h.with("LinkSetNoMaster", func(m *machine, ns *netns) error {
		l, err := ns.mustLink("link set nomaster", name)
		if err == nil && l.Master != 0 {
			old := l.Master
			l.Master = 0
			ns.adjustBridgeMTU(old)
		}
		return err
	})
}

// adjustBridgeMTU copies br_mtu_auto_adjust: unless a user set the
// bridge's MTU, it follows the smallest MTU of its ports, and 1500 when it
// has none. The kernel does this when a port joins, leaves or changes its
// MTU — not at any other time, so a port-less bridge keeps the MTU it was
// made with until then.
func (ns *netns) adjustBridgeMTU(index int) {
	b := ns.linkByIndex(index)
	if b == nil || b.Kind != backend.KindBridge {
		return
	}
	ns.adjustBridgeMAC(b)
	if b.MTUSet {
		return
	}
	mtu := 0
	for _, p := range ns.Links {
		if p.Master == index && (mtu == 0 || p.MTU < mtu) {
			mtu = p.MTU
		}
	}
	if mtu == 0 {
		mtu = 1500
	}
	b.MTU = mtu
}

// adjustBridgeMAC copies br_stp_recalculate_bridge_id for a bridge whose
// address nobody set (nothing in the backend can set one): the bridge
// takes the lowest MAC of its ports, and once the last port has left it
// shows all zeros until a port joins again (measured on 6.18). Docker 1.2
// gave docker0 an address of its own to avoid exactly this. It runs at
// the same moments as the MTU adjustment: a port joins, leaves or changes.
func (ns *netns) adjustBridgeMAC(b *link) {
	lowest := ""
	for _, p := range ns.Links {
		if p.Master == b.Index && (lowest == "" || p.MAC < lowest) {
			lowest = p.MAC
		}
	}
	if lowest == "" {
		lowest = "00:00:00:00:00:00"
	}
	b.MAC = lowest
}
