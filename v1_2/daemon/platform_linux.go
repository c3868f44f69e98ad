// The running kernel's release.
//
// Upstream: pkg/parsers/kernel at v1.2.0 (GetKernelVersion).
package daemon

import "golang.org/x/sys/unix"

func kernelRelease() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Release[:])
}
