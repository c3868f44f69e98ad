//go:build linux

// cgroup v2: one unified hierarchy; controllers are handed down through
// each ancestor's cgroup.subtree_control (reference
// docs/kernels.md §4; kernel cgroup-v2.rst). Docker 1.2.0
// predates v2; this is the same Cgroups face on today's kernels.

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

// v2Controllers are the controllers dockerlab enables, when available.
var v2Controllers = []string{"cpu", "cpuset", "memory", "pids"}

type cgroupV2 struct {
	root   string
	parent string
	files  cgFiles
}

func newCgroupV2(root, parent string) *cgroupV2 {
	return &cgroupV2{root: root, parent: parent, files: cgFiles{testMode: !isCgroupFS(root)}}
}

func (c *cgroupV2) Mode() backend.CgroupMode { return backend.CgroupV2 }
func (c *cgroupV2) Root() string             { return c.root }

// Controllers are those of v2Controllers the root offers.
func (c *cgroupV2) Controllers() []string {
	return c.available(c.root)
}

func (c *cgroupV2) available(dir string) []string {
	s, _ := c.files.read(dir, "cgroup.controllers")
	have := map[string]bool{}
	for _, f := range strings.Fields(s) {
		have[f] = true
	}
	var out []string
	for _, ctrl := range v2Controllers {
		if have[ctrl] || c.files.testMode {
			out = append(out, ctrl)
		}
	}
	return out
}

func (c *cgroupV2) dir(p string) string {
	return filepath.Join(c.root, filepath.FromSlash(c.parent), filepath.FromSlash(p))
}

func (c *cgroupV2) exists(op, p string) (string, error) {
	clean, err := leaf(op, p)
	if err != nil {
		return "", err
	}
	if !isDir(c.dir(clean)) {
		return "", backend.Errorf(backend.ErrNotFound, syscall.ENOENT, op, clean, "no such cgroup")
	}
	return clean, nil
}

// Create walks down from the root, enabling the controllers in each
// ancestor before making the next level. An ancestor that holds processes
// cannot hand controllers down (EBUSY, the "no internal processes" rule);
// that is reported.
func (c *cgroupV2) Create(p string) error {
	clean, err := leaf("cgroup create", p)
	if err != nil {
		return err
	}
	if isDir(c.dir(clean)) {
		return backend.Errorf(backend.ErrExists, syscall.EEXIST, "cgroup create", clean, "")
	}
	dir := c.root
	for _, part := range strings.Split(c.parent+"/"+clean, "/") {
		if err := c.enable(dir); err != nil {
			return err
		}
		dir = filepath.Join(dir, part)
		if err := c.files.mkdir(dir); err != nil && !errors.Is(err, backend.ErrExists) {
			return err
		}
	}
	return nil
}

// enable writes +ctrl for each available controller not yet enabled.
func (c *cgroupV2) enable(dir string) error {
	current, _ := c.files.read(dir, "cgroup.subtree_control")
	on := map[string]bool{}
	for _, f := range strings.Fields(current) {
		on[f] = true
	}
	var want []string
	for _, ctrl := range c.available(dir) {
		if !on[ctrl] {
			want = append(want, "+"+ctrl)
		}
	}
	if len(want) == 0 {
		return nil
	}
	if c.files.testMode {
		return c.files.write("cgroup create", dir, "cgroup.subtree_control", strings.TrimSpace(current+" "+strings.Join(want, " ")))
	}
	for _, w := range want {
		if err := c.files.write("cgroup create", dir, "cgroup.subtree_control", w); err != nil {
			return err
		}
	}
	return nil
}

// Set writes the limits that are non-zero; cpu.shares become cpu.weight.
func (c *cgroupV2) Set(p string, r backend.Resources) error {
	clean, err := c.exists("cgroup set", p)
	if err != nil {
		return err
	}
	dir := c.dir(clean)
	if r.Devices != nil {
		// cgroup v2 has no devices controller: an eBPF program decides
		// (devicefilter_linux.go). A test directory is no cgroup to
		// attach to; it records the rules instead.
		if c.files.testMode {
			var rules []string
			for _, d := range r.Devices {
				rules = append(rules, d.Rule())
			}
			if err := c.files.write("cgroup set", dir, "devices.bpf", strings.Join(rules, "\n")); err != nil {
				return err
			}
		} else if err := attachDeviceFilter(dir, r.Devices); err != nil {
			return err
		}
	}
	type write struct{ file, value string }
	var ws []write
	//lab:begin ch14.memory-limit
	if r.Memory != 0 {
		ws = append(ws, write{"memory.max", strconv.FormatInt(r.Memory, 10)})
	}
	switch {
	case r.MemorySwap == -1:
		ws = append(ws, write{"memory.swap.max", "max"})
	case r.MemorySwap > 0:
		ws = append(ws, write{"memory.swap.max", strconv.FormatInt(r.MemorySwap-r.Memory, 10)})
	}
	//lab:end ch14.memory-limit
	if r.CPUShares != 0 {
		ws = append(ws, write{"cpu.weight", strconv.FormatInt(backend.SharesToWeight(r.CPUShares), 10)})
	}
	if r.CpusetCpus != "" {
		ws = append(ws, write{"cpuset.cpus", r.CpusetCpus})
	}
	if r.CpusetMems != "" {
		ws = append(ws, write{"cpuset.mems", r.CpusetMems})
	}
	if r.PidsMax != 0 {
		ws = append(ws, write{"pids.max", strconv.FormatInt(r.PidsMax, 10)})
	}
	for _, w := range ws {
		if err := c.files.write("cgroup set", dir, w.file, w.value); err != nil {
			return err
		}
	}
	return nil
}

// AddProc writes pid to cgroup.procs.
func (c *cgroupV2) AddProc(p string, pid int) error {
	clean, err := c.exists("cgroup add", p)
	if err != nil {
		return err
	}
	if c.files.testMode {
		return appendPid(c.dir(clean), pid)
	}
	return c.files.write("cgroup add "+strconv.Itoa(pid), c.dir(clean), "cgroup.procs", strconv.Itoa(pid))
}

// Procs lists the pids in the cgroup.
func (c *cgroupV2) Procs(p string) ([]int, error) {
	clean, err := c.exists("cgroup procs", p)
	if err != nil {
		return nil, err
	}
	return c.files.procs(c.dir(clean))
}

// Freeze writes cgroup.freeze and waits for "frozen 1" in cgroup.events.
func (c *cgroupV2) Freeze(p string) error { return c.setFrozen(p, true) }

// Thaw writes 0 to cgroup.freeze and waits for "frozen 0".
func (c *cgroupV2) Thaw(p string) error { return c.setFrozen(p, false) }

func (c *cgroupV2) setFrozen(p string, frozen bool) error {
	clean, err := c.exists("cgroup freeze", p)
	if err != nil {
		return err
	}
	dir := c.dir(clean)
	value := "0"
	if frozen {
		value = "1"
	}
	if err := c.files.write("cgroup freeze", dir, "cgroup.freeze", value); err != nil {
		return err
	}
	deadline := time.Now().Add(5 * time.Second)
	for c.isFrozen(dir) != frozen {
		if time.Now().After(deadline) {
			return backend.Errorf(backend.ErrBusy, syscall.EBUSY, "cgroup freeze", clean, "cgroup.events did not say frozen %s within 5s", value)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// isFrozen reads cgroup.events; a test directory has only cgroup.freeze.
func (c *cgroupV2) isFrozen(dir string) bool {
	events, err := c.files.read(dir, "cgroup.events")
	if err != nil && c.files.testMode {
		v, _ := c.files.read(dir, "cgroup.freeze")
		return v == "1"
	}
	for _, line := range strings.Split(events, "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "frozen" {
			return f[1] == "1"
		}
	}
	return false
}

// Stats reads usage, limits, pids and the frozen state.
func (c *cgroupV2) Stats(p string) (backend.CgroupStats, error) {
	clean, err := c.exists("cgroup stats", p)
	if err != nil {
		return backend.CgroupStats{}, err
	}
	dir := c.dir(clean)
	st := backend.CgroupStats{
		MemoryUsage: c.files.readInt(dir, "memory.current"),
		MemoryLimit: c.files.readInt(dir, "memory.max"),
		CPUShares:   backend.WeightToShares(c.files.readInt(dir, "cpu.weight")),
		Frozen:      c.isFrozen(dir),
	}
	st.CpusetCpus, _ = c.files.read(dir, "cpuset.cpus")
	if st.Pids, err = c.files.procs(dir); err != nil {
		return st, err
	}
	return st, nil
}

// Delete removes the cgroup (EBUSY while populated).
func (c *cgroupV2) Delete(p string) error {
	clean, err := c.exists("cgroup delete", p)
	if err != nil {
		return err
	}
	return c.files.rmdir(c.dir(clean))
}

// List lists the cgroups directly under parent ("" is the top).
func (c *cgroupV2) List(parent string) ([]string, error) {
	clean, err := cleanCgroupPath(parent)
	if err != nil {
		return nil, err
	}
	dir := c.dir(clean)
	if clean == "" {
		if _, err := os.Stat(dir); err != nil {
			return []string{}, nil
		}
	}
	return c.files.list(dir, clean)
}
