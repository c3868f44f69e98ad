// Cgroups of the simulated machine (docs/design.md "The backend": cgroups;
// reference docs/kernels.md §4 and §6 — existing EEXIST,
// busy EBUSY; book ch.14 §14.3 cgroup; note 003 cgroups).
//
// The fake models one unified hierarchy and reports mode "v2" with the
// virtual root /sys/fs/cgroup: nothing is mounted anywhere. Like mkdir(2)
// in cgroupfs, Create needs the parent to exist (ENOENT otherwise). Memory
// usage is not simulated and reads 0. Freezing a cgroup (and its
// descendants, as v2 does) stops its processes: their programs block in
// System.Stopped until the cgroup is thawed.
package fake

import (
	"path"
	"sort"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

type cgroupsHandle struct{ k *Kernel }

// Cgroups is the machine's cgroup manager.
func (k *Kernel) Cgroups() backend.Cgroups { return &cgroupsHandle{k: k} }

func (c *cgroupsHandle) Mode() backend.CgroupMode { return backend.CgroupV2 }
func (c *cgroupsHandle) Root() string             { return "/sys/fs/cgroup" }
func (c *cgroupsHandle) Controllers() []string {
	return []string{"cpu", "cpuset", "memory", "pids"}
}

// cleanCgroup refuses absolute paths, "..", "." and empty components.
func cleanCgroup(op, p string) (string, error) {
	if p == "" {
		return "", nil
	}
	if strings.HasPrefix(p, "/") || strings.ContainsRune(p, 0) {
		return "", backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, p, "cgroup path %q must be relative", p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return "", backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, p, "cgroup path %q must be plain names separated by /", p)
		}
	}
	return p, nil
}

func parentOf(p string) string {
	d := path.Dir(p)
	if d == "." {
		return ""
	}
	return d
}

// group finds a cgroup or fails with ENOENT.
func (m *machine) group(op, p string) (*cgroup, error) {
	g, ok := m.Cgroups[p]
	if !ok {
		return nil, backend.Errorf(backend.ErrNotFound, syscall.ENOENT, op, p, "no such cgroup")
	}
	return g, nil
}

// frozen says whether a cgroup or any of its ancestors is frozen.
func (m *machine) frozen(p string) bool {
	for {
		if g, ok := m.Cgroups[p]; ok && g.Frozen {
			return true
		}
		if p == "" {
			return false
		}
		p = parentOf(p)
	}
}

// cgOp runs fn on a cleaned, existing cgroup path.
func (c *cgroupsHandle) cgOp(op, p string, write bool, fn func(m *machine, p string, g *cgroup) error) error {
	p, err := cleanCgroup(op, p)
	if err != nil {
		return err
	}
	run := c.k.view
	if write {
		run = c.k.update
	}
	return run(op, func(m *machine) error {
		g, err := m.group(op, p)
		if err != nil {
			return err
		}
		return fn(m, p, g)
	})
}

func (c *cgroupsHandle) Create(p string) error {
	p, err := cleanCgroup("cgroup create", p)
	if err != nil {
		return err
	}
	return c.k.update("cgroup create", func(m *machine) error {
		if _, ok := m.Cgroups[p]; ok {
			return backend.ErrnoError(syscall.EEXIST, "cgroup create", p)
		}
		if _, ok := m.Cgroups[parentOf(p)]; !ok {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "cgroup create", p, "parent cgroup %q does not exist", parentOf(p))
		}
		m.Cgroups[p] = &cgroup{}
		return nil
	})
}

func (c *cgroupsHandle) Set(p string, r backend.Resources) error {
	if r.Memory < 0 || r.CPUShares < 0 || r.PidsMax < 0 || r.MemorySwap < -1 {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "cgroup set", p, "negative limit")
	}
	if r.CPUShares != 0 && (r.CPUShares < 2 || r.CPUShares > 262144) {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "cgroup set", p, "cpu shares %d outside 2..262144", r.CPUShares)
	}
	return c.cgOp("cgroup set", p, true, func(m *machine, p string, g *cgroup) error {
		if r.Memory != 0 {
			g.Res.Memory = r.Memory
		}
		if r.MemorySwap != 0 {
			g.Res.MemorySwap = r.MemorySwap
		}
		if r.CPUShares != 0 {
			g.Res.CPUShares = r.CPUShares
		}
		if r.CpusetCpus != "" {
			g.Res.CpusetCpus = r.CpusetCpus
		}
		if r.CpusetMems != "" {
			g.Res.CpusetMems = r.CpusetMems
		}
		if r.PidsMax != 0 {
			g.Res.PidsMax = r.PidsMax
		}
		if r.Devices != nil {
			// v2 would load an eBPF device program; the fake keeps the
			// list and decides at open and mknod (confine.go).
			for _, d := range r.Devices {
				if err := backend.ValidDevice(d); err != nil {
					return err
				}
			}
			g.Res.Devices = append([]backend.Device{}, r.Devices...)
		}
		return nil
	})
}

// AddProc moves a process into a cgroup (a write to cgroup.procs).
func (c *cgroupsHandle) AddProc(p string, pid int) error {
	err := c.cgOp("cgroup add", p, true, func(m *machine, p string, g *cgroup) error {
		rec, ok := m.Procs[pid]
		if !ok {
			return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "cgroup add", p, "no process %d", pid)
		}
		m.moveToCgroup(rec, p)
		c.k.syncLive(m)
		return nil
	})
	return err
}

// moveToCgroup takes a process out of its cgroup and puts it in another.
func (m *machine) moveToCgroup(rec *procRec, p string) {
	if old, ok := m.Cgroups[rec.Cgroup]; ok {
		old.Procs = removeInt(old.Procs, rec.Pid)
	}
	rec.Cgroup = p
	if g, ok := m.Cgroups[p]; ok && p != "" {
		g.Procs = append(g.Procs, rec.Pid)
		sort.Ints(g.Procs)
	}
}

func removeInt(s []int, x int) []int {
	out := s[:0]
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

func (c *cgroupsHandle) Procs(p string) ([]int, error) {
	out := []int{}
	err := c.cgOp("cgroup procs", p, false, func(m *machine, p string, g *cgroup) error {
		out = append(out, g.Procs...)
		return nil
	})
	return out, err
}

func (c *cgroupsHandle) Freeze(p string) error { return c.setFrozen("cgroup freeze", p, true) }
func (c *cgroupsHandle) Thaw(p string) error   { return c.setFrozen("cgroup thaw", p, false) }

func (c *cgroupsHandle) setFrozen(op, p string, frozen bool) error {
	return c.cgOp(op, p, true, func(m *machine, p string, g *cgroup) error {
		g.Frozen = frozen
		c.k.syncLive(m)
		return nil
	})
}

func (c *cgroupsHandle) Stats(p string) (backend.CgroupStats, error) {
	var st backend.CgroupStats
	err := c.cgOp("cgroup stats", p, false, func(m *machine, p string, g *cgroup) error {
		st = backend.CgroupStats{
			MemoryLimit: g.Res.Memory,
			CPUShares:   g.Res.CPUShares,
			CpusetCpus:  g.Res.CpusetCpus,
			Pids:        append([]int{}, g.Procs...),
			Frozen:      m.frozen(p),
		}
		if st.CPUShares == 0 {
			st.CPUShares = 1024 // the default weight 100, in shares
		}
		return nil
	})
	return st, err
}

// Delete removes an empty cgroup: EBUSY while it holds processes or
// children, as rmdir(2) on cgroupfs.
func (c *cgroupsHandle) Delete(p string) error {
	return c.cgOp("cgroup delete", p, true, func(m *machine, p string, g *cgroup) error {
		if p == "" || len(g.Procs) > 0 {
			return backend.ErrnoError(syscall.EBUSY, "cgroup delete", p)
		}
		for q := range m.Cgroups {
			if q != p && parentOf(q) == p {
				return backend.Errorf(backend.ErrBusy, syscall.EBUSY, "cgroup delete", p, "cgroup has children")
			}
		}
		delete(m.Cgroups, p)
		return nil
	})
}

// List returns the child cgroups of parent as paths from the root, sorted.
func (c *cgroupsHandle) List(parent string) ([]string, error) {
	out := []string{}
	err := c.cgOp("cgroup list", parent, false, func(m *machine, p string, g *cgroup) error {
		for q := range m.Cgroups {
			if q != "" && parentOf(q) == p {
				out = append(out, q)
			}
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}
