//go:build linux

// Capabilities, the init's last step before exec (book ch.14 §14.3 其他;
// reference docs/kernels.md §5; capabilities(7)). Docker 1.2's dockerinit
// dropped the bounding set, switched to the user while keeping its
// capabilities, then cut the other sets to the container's list
// (libcontainer's FinalizeNamespace). We do the same with prctl(2) and
// capset(2) from golang.org/x/sys/unix:
//
//  1. PR_CAPBSET_DROP every capability not kept: the bounding set caps
//     what any later execve can give, so even a setuid-root binary in the
//     image cannot get the rest back;
//  2. switch to the user (setgroups, setgid, setuid need CAP_SETGID and
//     CAP_SETUID still effective);
//  3. capset: as root, permitted, effective and inheritable become the
//     kept list (as much of it as we hold); as another user, nothing —
//     which is what setuid(2) from root already left;
//  4. empty the ambient set, so nothing survives execve for a non-root
//     program that the bounding set did not mean it to have.
//
// After execve a root program's permitted set is inheritable | bounding =
// the kept list, and its effective set the same.

package linux

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"golang.org/x/sys/unix"
)

// dropBounding removes every capability outside keep from the bounding
// set. The kernel answers EINVAL past its last capability, which ends the
// walk.
func dropBounding(keep uint64) error {
	for bit := 0; bit < 64; bit++ {
		if keep&(1<<bit) != 0 {
			continue
		}
		err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(bit), 0, 0, 0)
		if errors.Is(err, unix.EINVAL) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("drop %s from the bounding set: %w", capLabel(bit), err)
		}
	}
	return nil
}

// setCaps sets permitted, effective and inheritable to keep (limited to
// what the process holds, which capset requires) for root, to nothing for
// another user, and clears the ambient set.
func setCaps(keep uint64, uid int) error {
	cur, err := getCaps()
	if err != nil {
		return err
	}
	want := cur.Permitted & keep
	if uid != 0 {
		want = 0
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	for i := range data {
		half := uint32(want >> (32 * i))
		data[i] = unix.CapUserData{Effective: half, Permitted: half, Inheritable: half}
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		return fmt.Errorf("capset %s: %w", strings.Join(backend.CapNames(want), ","), err)
	}
	err = unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
	if err != nil && !errors.Is(err, unix.EINVAL) { // EINVAL: a kernel before 4.3, without ambient
		return fmt.Errorf("clear the ambient set: %w", err)
	}
	return nil
}

// getCaps reads the calling thread's permitted, effective and inheritable
// sets (capget) and its bounding set (/proc/self/status has all five,
// but /proc may not be mounted where we are).
func getCaps() (backend.CapSets, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		return backend.CapSets{}, fmt.Errorf("capget: %w", err)
	}
	join := func(lo, hi uint32) uint64 { return uint64(lo) | uint64(hi)<<32 }
	return backend.CapSets{
		Permitted:   join(data[0].Permitted, data[1].Permitted),
		Effective:   join(data[0].Effective, data[1].Effective),
		Inheritable: join(data[0].Inheritable, data[1].Inheritable),
	}, nil
}

// capLabel names a capability bit for messages.
func capLabel(bit int) string {
	if n := backend.CapName(bit); n != "" {
		return "CAP_" + n
	}
	return fmt.Sprintf("capability %d", bit)
}

// SelfCaps are the capability sets of this process, from
// /proc/self/status: what a container started by it can keep at most.
func SelfCaps() (backend.CapSets, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return backend.CapSets{}, err
	}
	return backend.ParseCapSets(string(b))
}
