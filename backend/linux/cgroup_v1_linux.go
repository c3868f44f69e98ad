//go:build linux

// cgroup v1: one hierarchy per controller, a directory per cgroup in each
// (reference docs/kernels.md §4; Docker 1.2.0's
// libcontainer/cgroups/fs; book ch.14 §14.3). This is also the manager of a
// hybrid machine, whose cgroup2 at <root>/unified holds no controllers.

package linux

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
)

// v1Controllers are the hierarchies dockerlab uses, in the order it walks
// them. cpu is usually a symlink to "cpu,cpuacct".
var v1Controllers = []string{"memory", "cpu", "cpuset", "freezer", "pids", "devices"}

type cgroupV1 struct {
	root   string
	mode   backend.CgroupMode
	parent string
	ctrls  []string // the v1Controllers this machine (or test dir) has
	files  cgFiles
}

func newCgroupV1(root string, mode backend.CgroupMode, parent string) *cgroupV1 {
	c := &cgroupV1{root: root, mode: mode, parent: parent}
	for _, ctrl := range v1Controllers {
		if isDir(filepath.Join(root, ctrl)) {
			c.ctrls = append(c.ctrls, ctrl)
		}
	}
	if len(c.ctrls) == 0 {
		// A fresh test directory: stand in for every controller.
		c.ctrls = append(c.ctrls, v1Controllers...)
	}
	c.files.testMode = !isCgroupFS(filepath.Join(root, c.ctrls[0]))
	return c
}

func (c *cgroupV1) Mode() backend.CgroupMode { return c.mode }
func (c *cgroupV1) Root() string             { return c.root }
func (c *cgroupV1) Controllers() []string    { return append([]string(nil), c.ctrls...) }

func (c *cgroupV1) has(ctrl string) bool {
	for _, x := range c.ctrls {
		if x == ctrl {
			return true
		}
	}
	return false
}

// dir is <root>/<ctrl>/<parent>/<path>.
func (c *cgroupV1) dir(ctrl, p string) string {
	return filepath.Join(c.root, ctrl, filepath.FromSlash(c.parent), filepath.FromSlash(p))
}

// leaf validates a path that must name a cgroup (not the parent itself).
func leaf(op, p string) (string, error) {
	clean, err := cleanCgroupPath(p)
	if err != nil {
		return "", err
	}
	if clean == "" {
		return "", backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, p, "empty cgroup path")
	}
	return clean, nil
}

// exists checks the cgroup is there (in the first hierarchy).
func (c *cgroupV1) exists(op, p string) (string, error) {
	clean, err := leaf(op, p)
	if err != nil {
		return "", err
	}
	if !isDir(c.dir(c.ctrls[0], clean)) {
		return "", backend.Errorf(backend.ErrNotFound, syscall.ENOENT, op, clean, "no such cgroup")
	}
	return clean, nil
}

// Create makes the cgroup in every hierarchy, parents included. Every
// cpuset directory on the way, new or already there, gets its parent's
// cpus and mems when its own are empty: a v1 cpuset with empty ones
// refuses tasks with ENOSPC, and a shared parent such as dockerlab/ may
// have been left empty by another program or run (issue #10 item 7).
// Docker 1.2's libcontainer (cgroups/fs/cpuset.go ensureParent and
// copyIfNeeded) and runc seed the same way.
func (c *cgroupV1) Create(p string) error {
	clean, err := leaf("cgroup create", p)
	if err != nil {
		return err
	}
	if isDir(c.dir(c.ctrls[0], clean)) {
		return backend.Errorf(backend.ErrExists, syscall.EEXIST, "cgroup create", clean, "")
	}
	parts := strings.Split(c.parent+"/"+clean, "/")
	for _, ctrl := range c.ctrls {
		dir := filepath.Join(c.root, ctrl)
		for _, part := range parts {
			parentDir := dir
			dir = filepath.Join(dir, part)
			if err := c.files.mkdir(dir); err != nil && !errors.Is(err, backend.ErrExists) {
				return err
			}
			if ctrl == "cpuset" {
				if err := c.seedCpuset(parentDir, dir); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// seedCpuset fills an empty cpuset.cpus or cpuset.mems of dir from its
// parent's (which the walk from the top has seeded already). When that
// cannot be done, the error names the file and says why it matters.
func (c *cgroupV1) seedCpuset(parentDir, dir string) error {
	for _, file := range []string{"cpuset.cpus", "cpuset.mems"} {
		mine, err := c.files.read(dir, file)
		if err != nil && !c.files.testMode {
			return err
		}
		if mine != "" {
			continue
		}
		theirs, err := c.files.read(parentDir, file)
		if err != nil || theirs == "" {
			if c.files.testMode {
				continue // a test directory without a seeded parent
			}
			return backend.Errorf(backend.ErrNoSpace, syscall.ENOSPC, "cgroup create", filepath.Join(dir, file),
				"is empty, and so is %s to copy it from: a cpuset cgroup with no %s refuses every task; write the machine's value (see %s) into both",
				filepath.Join(parentDir, file), cpusetWhat(file), filepath.Join(c.root, "cpuset", file))
		}
		if err := c.files.write("cgroup create", dir, file, theirs); err != nil {
			return backend.Errorf(backend.ErrNoSpace, syscall.ENOSPC, "cgroup create", filepath.Join(dir, file),
				"is empty and copying %q from %s failed (%v): a cpuset cgroup with no %s refuses every task",
				theirs, parentDir, err, cpusetWhat(file))
		}
	}
	return nil
}

// cpusetWhat is what a cpuset file lists, for messages.
func cpusetWhat(file string) string {
	if file == "cpuset.mems" {
		return "memory nodes"
	}
	return "CPUs"
}

// joinError explains a failed write of pid into dir's cgroup.procs. A v1
// cpuset answers ENOSPC ("no space left on device") when its cpus or mems
// are empty: the message says which file and how to fill it.
func (c *cgroupV1) joinError(ctrl, dir string, pid int, err error) error {
	if ctrl != "cpuset" || !errors.Is(err, syscall.ENOSPC) {
		return err
	}
	for _, file := range []string{"cpuset.cpus", "cpuset.mems"} {
		if v, rerr := c.files.read(dir, file); rerr == nil && v == "" {
			return backend.Errorf(backend.ErrNoSpace, syscall.ENOSPC, "cgroup add "+strconv.Itoa(pid), filepath.Join(dir, file),
				"is empty, so the kernel refuses the task (no space left on device): a cpuset cgroup needs %s; fill it from its parent: cat %s > %s",
				cpusetWhat(file), filepath.Join(filepath.Dir(dir), file), filepath.Join(dir, file))
		}
	}
	return err
}

// Set writes the limits that are non-zero.
func (c *cgroupV1) Set(p string, r backend.Resources) error {
	clean, err := c.exists("cgroup set", p)
	if err != nil {
		return err
	}
	type write struct{ ctrl, file, value string }
	var ws []write
	//lab:begin ch14.memory-limit
	if r.Memory != 0 {
		ws = append(ws, write{"memory", "memory.limit_in_bytes", strconv.FormatInt(r.Memory, 10)})
	}
	if r.MemorySwap != 0 {
		ws = append(ws, write{"memory", "memory.memsw.limit_in_bytes", strconv.FormatInt(r.MemorySwap, 10)})
	}
	//lab:end ch14.memory-limit
	if r.CPUShares != 0 {
		ws = append(ws, write{"cpu", "cpu.shares", strconv.FormatInt(r.CPUShares, 10)})
	}
	if r.CpusetCpus != "" {
		ws = append(ws, write{"cpuset", "cpuset.cpus", r.CpusetCpus})
	}
	if r.CpusetMems != "" {
		ws = append(ws, write{"cpuset", "cpuset.mems", r.CpusetMems})
	}
	if r.PidsMax != 0 {
		ws = append(ws, write{"pids", "pids.max", strconv.FormatInt(r.PidsMax, 10)})
	}
	if r.Devices != nil {
		// libcontainer's DevicesGroup.Set: deny everything, then allow
		// the list, one rule per write (the kernel takes one per write).
		ws = append(ws, write{"devices", "devices.deny", "a"})
		for _, d := range r.Devices {
			if err := backend.ValidDevice(d); err != nil {
				return err
			}
			ws = append(ws, write{"devices", "devices.allow", d.Rule()})
		}
	}
	for _, w := range ws {
		if !c.has(w.ctrl) {
			return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, "cgroup set", clean, "this machine has no %s controller", w.ctrl)
		}
		if err := c.files.write("cgroup set", c.dir(w.ctrl, clean), w.file, w.value); err != nil {
			return err
		}
	}
	return nil
}

// AddProc moves pid into the cgroup in every hierarchy.
func (c *cgroupV1) AddProc(p string, pid int) error {
	clean, err := c.exists("cgroup add", p)
	if err != nil {
		return err
	}
	for _, ctrl := range c.ctrls {
		dir := c.dir(ctrl, clean)
		if c.files.testMode {
			if err := appendPid(dir, pid); err != nil {
				return err
			}
			continue
		}
		if err := c.files.write("cgroup add "+strconv.Itoa(pid), dir, "cgroup.procs", strconv.Itoa(pid)); err != nil {
			return c.joinError(ctrl, dir, pid, err)
		}
	}
	return nil
}

// appendPid stands in for the kernel in a test directory.
func appendPid(dir string, pid int) error {
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
		return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "cgroup add", strconv.Itoa(pid), "no such process")
	}
	f, err := os.OpenFile(filepath.Join(dir, "cgroup.procs"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return cgErr("cgroup add", dir, "cgroup.procs", err)
	}
	defer f.Close()
	_, err = f.WriteString(strconv.Itoa(pid) + "\n")
	return cgErr("cgroup add", dir, "cgroup.procs", err)
}

// Procs lists the pids in the cgroup.
func (c *cgroupV1) Procs(p string) ([]int, error) {
	clean, err := c.exists("cgroup procs", p)
	if err != nil {
		return nil, err
	}
	return c.files.procs(c.dir(c.ctrls[0], clean))
}

// Freeze writes FROZEN and waits until the freezer says FROZEN (it may say
// FREEZING for a while when tasks are busy forking).
func (c *cgroupV1) Freeze(p string) error {
	return c.setFreezer(p, "FROZEN")
}

// Thaw writes THAWED.
func (c *cgroupV1) Thaw(p string) error {
	return c.setFreezer(p, "THAWED")
}

func (c *cgroupV1) setFreezer(p, state string) error {
	clean, err := c.exists("cgroup freeze", p)
	if err != nil {
		return err
	}
	if !c.has("freezer") {
		return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, "cgroup freeze", clean, "this machine has no freezer controller")
	}
	dir := c.dir("freezer", clean)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if err := c.files.write("cgroup freeze", dir, "freezer.state", state); err != nil {
			return err
		}
		got, err := c.files.read(dir, "freezer.state")
		if err != nil {
			return err
		}
		if got == state {
			return nil
		}
		if time.Now().After(deadline) {
			return backend.Errorf(backend.ErrBusy, syscall.EBUSY, "cgroup freeze", clean, "freezer still %s after 5s", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Stats reads usage, limits, pids and the freezer state.
func (c *cgroupV1) Stats(p string) (backend.CgroupStats, error) {
	clean, err := c.exists("cgroup stats", p)
	if err != nil {
		return backend.CgroupStats{}, err
	}
	var st backend.CgroupStats
	if c.has("memory") {
		st.MemoryUsage = c.files.readInt(c.dir("memory", clean), "memory.usage_in_bytes")
		st.MemoryLimit = c.files.readInt(c.dir("memory", clean), "memory.limit_in_bytes")
	}
	if c.has("cpu") {
		st.CPUShares = c.files.readInt(c.dir("cpu", clean), "cpu.shares")
	}
	if c.has("cpuset") {
		st.CpusetCpus, _ = c.files.read(c.dir("cpuset", clean), "cpuset.cpus")
	}
	if c.has("freezer") {
		state, _ := c.files.read(c.dir("freezer", clean), "freezer.state")
		st.Frozen = state == "FROZEN"
	}
	if st.Pids, err = c.Procs(clean); err != nil {
		return st, err
	}
	return st, nil
}

// Delete removes the cgroup from every hierarchy (EBUSY while populated).
func (c *cgroupV1) Delete(p string) error {
	clean, err := c.exists("cgroup delete", p)
	if err != nil {
		return err
	}
	for _, ctrl := range c.ctrls {
		dir := c.dir(ctrl, clean)
		if !isDir(dir) {
			continue
		}
		if err := c.files.rmdir(dir); err != nil {
			return err
		}
	}
	return nil
}

// List lists the cgroups directly under parent ("" is the top).
func (c *cgroupV1) List(parent string) ([]string, error) {
	clean, err := cleanCgroupPath(parent)
	if err != nil {
		return nil, err
	}
	dir := c.dir(c.ctrls[0], clean)
	if clean == "" && !isDir(dir) {
		return []string{}, nil
	}
	return c.files.list(dir, clean)
}
