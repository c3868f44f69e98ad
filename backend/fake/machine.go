// The fake kernel's state: one simulated machine as plain data (docs/design.md
// "The backend": the fake is one simulated machine; reference
// docs/kernels.md §6 "Shape of the in-memory model").
//
// Everything here is exported-field data so that the shared machine can be
// written to a JSON file and read back by the next dockerlab command (see
// state.go). Nothing in this file knows about locking or goroutines.
package fake

import (
	"time"

	"github.com/dockerlab/dockerlab/backend"
)

// machineHostname is the hostname of the simulated machine itself.
const machineHostname = "dockerlab-fake"

// firstPid is where the machine's pid counter starts: low pids belong to
// the (imaginary) system processes of the machine, as on a booted host.
const firstPid = 1000

// machine is the whole simulated computer.
type machine struct {
	NextPid    int                `json:"next_pid"`
	Namespaces map[string]*netns  `json:"namespaces"` // key: "" root, a name, or "pid:N" (anonymous)
	Cgroups    map[string]*cgroup `json:"cgroups"`    // key: cgroup path relative to the root
	Procs      map[int]*procRec   `json:"procs"`
	Mounts     []backend.Mount    `json:"mounts"`
	Hostnames  map[int]string     `json:"hostnames"`          // UTS namespaces by creator pid; 0 is the machine's
	NSPidNext  map[int]int        `json:"nspid_next"`         // next pid inside each PID namespace (by init pid)
	Pending    []pendingSignal    `json:"pending"`            // signals for processes owned by another OS process
	MountNS    map[int]*mountNS   `json:"mount_ns,omitempty"` // containers' /dev and /proc, /sys restrictions, by creator pid (confine.go)
}

// netns is one network namespace.
type netns struct {
	Links  []*link           `json:"links"`  // kept in ifindex order
	Addrs  []addr            `json:"addrs"`  // in the order they were added
	Routes []route           `json:"routes"` // routes a user added; connected routes are derived
	Sysctl map[string]string `json:"sysctl"`
	Tables map[string]*table `json:"tables"`
	Pid    int               `json:"pid,omitempty"` // for an anonymous namespace: the process that made it
	// NextIfindex is where the namespace's ifindex allocator goes on:
	// since Linux 6.x each namespace allocates cyclically from the index
	// after the last one it gave out (dev_index_reserve), skipping taken ones.
	NextIfindex int `json:"next_ifindex"`
}

// link is one network interface.
type link struct {
	Index     int              `json:"index"`
	Name      string           `json:"name"`
	Kind      backend.LinkKind `json:"kind"`
	Up        bool             `json:"up"`
	MTU       int              `json:"mtu"`
	MAC       string           `json:"mac"`
	Master    int              `json:"master,omitempty"`     // ifindex of the bridge, same namespace
	PeerNS    string           `json:"peer_ns,omitempty"`    // namespace key of a veth's peer
	PeerIndex int              `json:"peer_index,omitempty"` // ifindex of a veth's peer
	MTUSet    bool             `json:"mtu_set,omitempty"`    // a bridge whose MTU a user set: ports no longer move it
}

// addr is an address on a link ("10.0.2.15/24").
type addr struct {
	Link      int    `json:"link"`
	CIDR      string `json:"cidr"`
	Secondary bool   `json:"secondary,omitempty"` // the link already had an address in this subnet
}

// route is a route a user added (proto boot). Connected routes are not
// stored: they follow from the addresses on up links (routes.go).
type route struct {
	Dst   string             `json:"dst"` // CIDR, "0.0.0.0/0" for default
	Gw    string             `json:"gw,omitempty"`
	Link  int                `json:"link"`
	Src   string             `json:"src,omitempty"`
	Scope backend.RouteScope `json:"scope"`
	Proto backend.RouteProto `json:"proto"`
}

// table is one netfilter table: chains in creation order.
type table struct {
	Chains []*chain `json:"chains"`
}

// chain is one netfilter chain.
type chain struct {
	Name    string      `json:"name"`
	Builtin bool        `json:"builtin,omitempty"`
	Policy  string      `json:"policy,omitempty"`
	Rules   []ruleEntry `json:"rules"`
}

// ruleEntry is a rule in canonical form (the text `iptables -S` prints
// after "-A CHAIN ") and the target it jumps to, kept apart so that chain
// references can be counted without parsing again.
type ruleEntry struct {
	Spec string `json:"spec"`
	Jump string `json:"jump,omitempty"`
}

// cgroup is one cgroup of the unified (v2-like) hierarchy.
type cgroup struct {
	Res    backend.Resources `json:"res"`
	Procs  []int             `json:"procs"`
	Frozen bool              `json:"frozen,omitempty"`
}

// owner identifies the OS process (and the Kernel value inside it) whose
// goroutines run a simulated process.
type owner struct {
	OSPid    int    `json:"os_pid"`
	Start    string `json:"start,omitempty"` // OS start time when known, to notice pid reuse
	Instance string `json:"instance"`
}

// procRec is one simulated process in the process table.
type procRec struct {
	Pid       int             `json:"pid"`
	NSPid     int             `json:"nspid"` // pid inside its PID namespace
	PidNS     int             `json:"pidns"` // host pid of its PID namespace's init, 0 = the machine's
	UTS       int             `json:"uts"`   // key into machine.Hostnames
	NetNS     string          `json:"netns"` // namespace key
	OwnNetNS  bool            `json:"own_netns,omitempty"`
	Parent    int             `json:"parent,omitempty"`
	Args      []string        `json:"args"`
	Cgroup    string          `json:"cgroup,omitempty"`
	Rootfs    string          `json:"rootfs"`
	Volumes   []backend.Mount `json:"volumes,omitempty"` // bind mounts of its mount namespace (ProcSpec.Mounts)
	Stopped   bool            `json:"stopped,omitempty"` // SIGSTOP
	Caps      backend.CapSets `json:"caps"`              // capability sets (confine.go)
	MntNS     int             `json:"mntns,omitempty"`   // key into machine.MountNS
	StartedAt time.Time       `json:"started_at"`
	Owner     owner           `json:"owner"`
}

// pendingSignal is a signal waiting for the owner of a process to deliver.
type pendingSignal struct {
	Pid        int   `json:"pid"`
	Signal     int   `json:"signal"`
	FromParent bool  `json:"from_parent"` // sent from outside the target's PID namespace
	Owner      owner `json:"owner"`
}

// newMachine returns a machine whose root namespace is either a booted
// host (lo and eth0 configured) or, when bare, a brand-new namespace.
func newMachine(bare bool) *machine {
	m := &machine{
		NextPid:    firstPid,
		Namespaces: map[string]*netns{},
		Cgroups:    map[string]*cgroup{"": {}},
		Procs:      map[int]*procRec{},
		Hostnames:  map[int]string{0: machineHostname},
		NSPidNext:  map[int]int{},
	}
	root := m.newNamespace("", 0)
	if bare {
		return m
	}
	lo := root.Links[0]
	lo.Up = true
	root.Addrs = append(root.Addrs, addr{Link: lo.Index, CIDR: "127.0.0.1/8"})
	// eth0 copies QEMU's user-mode networking (slirp): the guest is
	// 10.0.2.15/24 and the virtual router is 10.0.2.2.
	eth0 := &link{Index: root.allocIfindex(), Name: "eth0", Kind: backend.KindDevice, Up: true,
		MTU: 1500, MAC: "52:54:00:12:34:56"}
	root.Links = append(root.Links, eth0)
	root.Addrs = append(root.Addrs, addr{Link: eth0.Index, CIDR: "10.0.2.15/24"})
	root.Routes = append(root.Routes, route{Dst: "0.0.0.0/0", Gw: "10.0.2.2", Link: eth0.Index,
		Scope: backend.ScopeUniverse, Proto: backend.ProtoBoot})
	return m
}

// newNamespace makes a namespace the way `ip netns add` or clone(CLONE_NEWNET)
// does: only lo (index 1), down; ip_forward 0; empty tables with ACCEPT
// policies.
func (m *machine) newNamespace(key string, pid int) *netns {
	ns := &netns{
		Links:       []*link{{Index: 1, Name: "lo", Kind: backend.KindLoopback, MTU: 65536, MAC: "00:00:00:00:00:00"}},
		Sysctl:      map[string]string{"net.ipv4.ip_forward": "0"},
		Tables:      newTables(),
		Pid:         pid,
		NextIfindex: 2,
	}
	m.Namespaces[key] = ns
	return ns
}

// allocIfindex gives the next free ifindex of the namespace.
func (ns *netns) allocIfindex() int {
	i := ns.NextIfindex
	if i < 2 {
		i = 2
	}
	for ns.linkByIndex(i) != nil {
		i++
	}
	ns.NextIfindex = i + 1
	return i
}
