// What the overlay driver asks the running kernel before it starts.
//
// Upstream: daemon/graphdriver/aufs/aufs.go at v1.2.0 (supportsAufs and the
// backing-file-system check: upstream's aufs driver asked the same of
// aufs).
package overlay

import (
	"bytes"
	"os"

	"golang.org/x/sys/unix"
)

// kernelHasOverlay reads /proc/filesystems for "nodev\toverlay".
func kernelHasOverlay() bool {
	b, err := os.ReadFile("/proc/filesystems")
	if err != nil {
		return false
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if f := bytes.Fields(line); len(f) > 0 && string(f[len(f)-1]) == "overlay" {
			return true
		}
	}
	return false
}

// onOverlay reports whether dir lives on an overlay file system.
func onOverlay(dir string) bool {
	var st unix.Statfs_t
	return unix.Statfs(dir, &st) == nil && st.Type == unix.OVERLAYFS_SUPER_MAGIC
}
