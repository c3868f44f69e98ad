// Package cgroups is the cgroup part of a container's config and the code
// that applies it through backend.Cgroups: create the group, write the
// limits, freeze and thaw it, list its pids, remove it.
//
// Upstream: vendor/src/github.com/docker/libcontainer/cgroups/cgroups.go at
// v1.2.0 (the Cgroup type),
// vendor/src/github.com/docker/libcontainer/cgroups/fs/apply_raw.go at v1.2.0
// (Apply: one directory per controller under
// /sys/fs/cgroup/<controller>/<parent>/<name>).
// vendor/src/github.com/docker/libcontainer/cgroups/fs/devices.go at v1.2.0
// (DevicesGroup.Set: deny all, allow the list).
// Book: ch.14 §14.3 cgroup, 其他 (设备).
// Notes: 003 "控制组"; reference docs/kernels.md §4.
//
// cgroup v1, which the book describes, has one hierarchy per controller:
// the container's memory limit is memory/docker/<id>/memory.limit_in_bytes
// and its shares cpu/docker/<id>/cpu.shares. cgroup v2, which today's
// distributions mount, has one tree: <id>/memory.max, <id>/cpu.weight
// (shares converted by backend.SharesToWeight). The backend hides which
// one the machine has; Stats and Procs read back either.
package cgroups

import (
	"errors"
	"fmt"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/devices"
)

// FreezerState is what Docker wrote to freezer.state.
type FreezerState string

const (
	Undefined FreezerState = ""
	Frozen    FreezerState = "FROZEN"
	Thawed    FreezerState = "THAWED"
)

// Cgroup is the "cgroups" object of container.json.
type Cgroup struct {
	Name   string `json:"name,omitempty"`   // the container id
	Parent string `json:"parent,omitempty"` // "docker" upstream, "dockerlab" here

	AllowAllDevices   bool              `json:"allow_all_devices,omitempty"`  // --privileged
	AllowedDevices    []*devices.Device `json:"allowed_devices,omitempty"`    // otherwise the only ones
	Memory            int64             `json:"memory,omitempty"`             // bytes (-m)
	MemoryReservation int64             `json:"memory_reservation,omitempty"` // soft limit; Docker 1.2 set it to Memory
	MemorySwap        int64             `json:"memory_swap,omitempty"`        // memory+swap; -1 = unlimited swap
	CpuShares         int64             `json:"cpu_shares,omitempty"`         // -c
	CpusetCpus        string            `json:"cpuset_cpus,omitempty"`        // --cpuset
	Freezer           FreezerState      `json:"freezer,omitempty"`
}

// Path is where the group lives, relative to the backend's cgroup
// parent. The backend already puts everything under its parent
// ("dockerlab" on linux: linux.Options.CgroupParent), which plays the
// role of Cgroup.Parent, so the path is the name alone.
func (c *Cgroup) Path() string { return c.Name }

// Resources are the limits in the backend's terms.
func (c *Cgroup) Resources() backend.Resources {
	return backend.Resources{
		Memory:     c.Memory,
		MemorySwap: c.MemorySwap,
		CPUShares:  c.CpuShares,
		CpusetCpus: c.CpusetCpus,
		Devices:    c.devices(),
	}
}

// devices is the allow list for the backend: nil (leave every device
// allowed) only with AllowAllDevices; otherwise the list, even empty —
// the devices cgroup then refuses everything else (cgroups/fs/devices.go
// wrote "a" to devices.deny first).
func (c *Cgroup) devices() []backend.Device {
	if c.AllowAllDevices {
		return nil
	}
	list := devices.ToBackend(c.AllowedDevices)
	if list == nil {
		list = []backend.Device{}
	}
	return list
}

// Apply creates the group and writes its limits, returning the
// controller → path map that goes into state.json. The process joins it
// when the backend starts it (ProcSpec.Cgroup), before it runs anything:
// upstream joined the child to its cgroups while it waited on the sync
// pipe, which comes to the same.
//
//lab:exercise ch14.cgroups-apply
func Apply(cg backend.Cgroups, c *Cgroup) (map[string]string, error) {
	if c == nil || c.Name == "" {
		return nil, fmt.Errorf("cgroups: the container's cgroup has no name")
	}
	p := c.Path()
	if err := cg.Create(p); err != nil && !errors.Is(err, backend.ErrExists) {
		return nil, err
	}
	if err := cg.Set(p, c.Resources()); err != nil {
		cg.Delete(p)
		return nil, err
	}
	paths := map[string]string{}
	for _, ctl := range cg.Controllers() {
		paths[ctl] = p
	}
	return paths, nil
}

// SetFreezer freezes or thaws the group (docker pause / unpause).
func SetFreezer(cg backend.Cgroups, c *Cgroup, state FreezerState) error {
	var err error
	switch state {
	case Frozen:
		err = cg.Freeze(c.Path())
	case Thawed:
		err = cg.Thaw(c.Path())
	default:
		return fmt.Errorf("cgroups: unknown freezer state %q (want FROZEN or THAWED)", state)
	}
	if err == nil {
		c.Freezer = state
	}
	return err
}

// GetPids lists the processes in the group.
func GetPids(cg backend.Cgroups, c *Cgroup) ([]int, error) {
	return cg.Procs(c.Path())
}

// Cleanup removes the group; one already gone is fine.
func Cleanup(cg backend.Cgroups, c *Cgroup) error {
	err := cg.Delete(c.Path())
	if errors.Is(err, backend.ErrNotFound) {
		return nil
	}
	return err
}
