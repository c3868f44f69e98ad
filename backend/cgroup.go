// Cgroups: create, limit, add a pid, freeze/thaw, stats, delete (docs/design.md
// "The backend"; book ch.14 §14.3 cgroup; note 003 cgroups; reference
// docs/kernels.md §4). Docker 1.2.0 drove cgroup v1 through
// libcontainer's cgroups/fs; today's distributions mostly run v2. Both sit
// behind this one face, and the hierarchy's root directory is a parameter of
// the implementation so tests can point it at a temporary directory.
package backend

// CgroupMode is how cgroups are mounted on the machine.
type CgroupMode string

const (
	CgroupV1     CgroupMode = "v1"     // one hierarchy per controller under <root>/<controller>
	CgroupHybrid CgroupMode = "hybrid" // v1 controllers, plus an empty cgroup2 at <root>/unified
	CgroupV2     CgroupMode = "v2"     // one unified hierarchy at <root>
)

// Resources are the limits Docker set: -m, -c, --cpuset (and pids, which
// Docker 1.2 did not have but every container runtime sets today).
// Zero values mean "leave as is".
type Resources struct {
	Memory     int64  // bytes; v1 memory.limit_in_bytes, v2 memory.max
	MemorySwap int64  // bytes incl. memory; v1 memory.memsw.limit_in_bytes, v2 memory.swap.max (= MemorySwap-Memory); -1 unlimited
	CPUShares  int64  // v1 cpu.shares (2..262144); v2 cpu.weight converted (1024 → 100)
	CpusetCpus string // "0-1"
	CpusetMems string // "0"
	PidsMax    int64

	// Devices, when not nil, is the devices cgroup's allow list: every
	// device is refused (open, mknod) but those a rule allows — v1's
	// devices.deny "a" then one devices.allow per rule, v2's eBPF
	// device program. nil leaves the cgroup's devices as they are
	// (everything its parent allows: --privileged). See Device.
	Devices []Device
}

// CgroupStats is what `docker stats`-like tools and freezer waits read.
type CgroupStats struct {
	MemoryUsage int64
	MemoryLimit int64 // 0 = unlimited
	CPUShares   int64 // in v1 shares, converted back on v2
	CpusetCpus  string
	Pids        []int
	Frozen      bool
}

// Cgroups manages the cgroups of one machine. A path is relative to the
// hierarchy root and uses "/" separators, e.g. "dockerlab/3f2a…"; the
// backend refuses absolute paths and "..".
type Cgroups interface {
	Mode() CgroupMode
	Root() string          // e.g. /sys/fs/cgroup, or a temp dir in tests
	Controllers() []string // controllers this manager uses and the machine has
	Create(path string) error
	Set(path string, r Resources) error
	AddProc(path string, pid int) error
	Procs(path string) ([]int, error)
	Freeze(path string) error // returns once the group is frozen
	Thaw(path string) error
	Stats(path string) (CgroupStats, error)
	Delete(path string) error // ErrBusy while it holds processes
	List(parent string) ([]string, error)
}

// SharesToWeight converts v1 cpu.shares to v2 cpu.weight with the linear
// formula runc used until 2025 but anchored so the default 1024 maps to the
// default 100: weight = 1 + (shares-2)*9999/262142 would give 39, which
// surprises anyone who reads both files. We keep 2 → 1, 1024 → 100,
// 262144 → 10000 and interpolate linearly on each side of 1024.
func SharesToWeight(shares int64) int64 {
	switch {
	case shares <= 0:
		return 0
	case shares <= 2:
		return 1
	case shares >= 262144:
		return 10000
	case shares <= 1024:
		return 1 + (shares-2)*99/1022
	default:
		return 100 + (shares-1024)*9900/(262144-1024)
	}
}

// WeightToShares is SharesToWeight's inverse (rounded).
func WeightToShares(weight int64) int64 {
	switch {
	case weight <= 0:
		return 0
	case weight <= 1:
		return 2
	case weight >= 10000:
		return 262144
	case weight <= 100:
		return 2 + (weight-1)*1022/99
	default:
		return 1024 + (weight-100)*(262144-1024)/9900
	}
}
