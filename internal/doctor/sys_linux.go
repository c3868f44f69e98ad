// Linux-only probes: the cgroup mode from filesystem magic numbers
// (reference docs/kernels.md §4, the detection runc and
// containerd use) and a real bridge + veth made in a namespace nobody else
// can see (reference §1.1: a throwaway netns on a locked OS thread).

//go:build linux

package doctor

import (
	"fmt"
	"runtime"
	"syscall"

	"github.com/vishvananda/netlink"

	"github.com/dockerlab/dockerlab/backend/linux"
)

// probeDeviceFilter asks the linux backend to load its device program.
func probeDeviceFilter() error { return linux.ProbeDeviceFilter() }

// Filesystem magic numbers from linux/magic.h.
const (
	cgroup2SuperMagic = 0x63677270
	cgroupSuperMagic  = 0x27e0eb
	tmpfsMagic        = 0x01021994
)

func cgroupMode() (string, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs("/sys/fs/cgroup", &st); err != nil {
		return "", fmt.Errorf("statfs /sys/fs/cgroup: %w", err)
	}
	if st.Type == cgroup2SuperMagic {
		return "v2", nil
	}
	// v1 puts a tmpfs at /sys/fs/cgroup with one mount per controller
	// below it; hybrid adds an (almost empty) cgroup2 at ./unified.
	var u syscall.Statfs_t
	if err := syscall.Statfs("/sys/fs/cgroup/unified", &u); err == nil && u.Type == cgroup2SuperMagic {
		return "hybrid", nil
	}
	if st.Type == tmpfsMagic || st.Type == cgroupSuperMagic {
		return "v1", nil
	}
	return "", fmt.Errorf("/sys/fs/cgroup is not a cgroup mount (filesystem type %#x)", st.Type)
}

// probeLinks runs on a goroutine of its own that locks its OS thread and
// never unlocks it: when the goroutine returns, Go ends that thread, and
// with it the last reference to the throwaway namespace, which the kernel
// then destroys together with the links made in it. Nothing of the
// caller's namespace is ever touched.
func probeLinks() error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := syscall.Unshare(syscall.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
			return
		}
		h, err := netlink.NewHandle()
		if err != nil {
			errc <- fmt.Errorf("netlink socket: %w", err)
			return
		}
		defer h.Close()
		br := &netlink.Bridge{LinkAttrs: netlink.LinkAttrs{Name: "dlprobe-br"}}
		if err := h.LinkAdd(br); err != nil {
			errc <- fmt.Errorf("add bridge: %w", err)
			return
		}
		veth := &netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: "dlprobe-v0"}, PeerName: "dlprobe-v1"}
		if err := h.LinkAdd(veth); err != nil {
			errc <- fmt.Errorf("add veth: %w", err)
			return
		}
		errc <- nil
	}()
	return <-errc
}
