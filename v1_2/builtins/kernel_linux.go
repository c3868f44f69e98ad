// The running kernel's release, for the "version" job.
//
// Upstream: pkg/parsers/kernel at v1.2.0 (GetKernelVersion, from uname(2)).
package builtins

import "golang.org/x/sys/unix"

// KernelVersion is uname -r of the machine the daemon runs on. On the fake
// backend too: the fake kernel has no release of its own.
func KernelVersion() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return ""
	}
	return unix.ByteSliceToString(u.Release[:])
}
