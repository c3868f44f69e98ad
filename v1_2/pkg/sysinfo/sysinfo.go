// Package sysinfo answers "what can this machine do for containers?" once,
// when the daemon starts: memory and swap limits, whether IPv4 forwarding
// is off, whether AppArmor is there.
//
// Upstream: pkg/sysinfo/sysinfo.go at v1.2.0 (New(quiet), which
// NewDaemonFromDirectory called just before it chose the execdriver). See
// docs/upstream/v1.2.0.md §2.3 step 16.
// Book: ch.4 §4.9 (execdriver: sysInfo is its third argument).
//
// Divergence (the backend seam, docs/design.md "The backend"): upstream read the
// cgroup mount table and /proc/sys of the machine it ran on; here the
// answers come from a backend.Host, so the fake machine has answers too.
package sysinfo

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/dockerlab/dockerlab/backend"
)

// SysInfo is what the daemon learned about the machine.
type SysInfo struct {
	MemoryLimit            bool // the memory cgroup controller is there
	SwapLimit              bool // memory.memsw (v1) or memory.swap (v2) can be limited
	IPv4ForwardingDisabled bool // net.ipv4.ip_forward is not 1
	AppArmor               bool // /sys/kernel/security/apparmor exists (linux backend only)
}

// AppArmorPath is the directory whose presence means AppArmor is enabled.
var AppArmorPath = "/sys/kernel/security/apparmor"

// New asks h. Unless quiet, each missing feature gets a WARNING line on
// warn, worded as upstream's log lines.
func New(h backend.Host, quiet bool, warn io.Writer) *SysInfo {
	info := &SysInfo{}
	cg := h.Cgroups()
	if cg != nil {
		info.MemoryLimit = slices.Contains(cg.Controllers(), "memory")
		info.SwapLimit = info.MemoryLimit && swapLimitable(h, cg)
	}
	if !quiet && !info.MemoryLimit {
		fmt.Fprintln(warn, "WARNING: Your kernel does not support cgroup memory limit.")
	}
	if !quiet && info.MemoryLimit && !info.SwapLimit {
		fmt.Fprintln(warn, "WARNING: Your kernel does not support cgroup swap limit.")
	}
	if v, err := h.Root().Sysctl("net.ipv4.ip_forward"); err != nil || v != "1" {
		info.IPv4ForwardingDisabled = true
	}
	if h.Name() == "linux" {
		if _, err := os.Stat(AppArmorPath); err == nil {
			info.AppArmor = true
		}
	}
	return info
}

// swapLimitable: on cgroup v1 the swap knob exists only when the kernel
// was booted with swapaccount=1, so its file is looked for; v2 always has
// memory.swap.max in child groups; the fake machine models both limits.
func swapLimitable(h backend.Host, cg backend.Cgroups) bool {
	if h.Name() != "linux" || cg.Mode() == backend.CgroupV2 {
		return true
	}
	_, err := os.Stat(filepath.Join(cg.Root(), "memory", "memory.memsw.limit_in_bytes"))
	return err == nil
}
