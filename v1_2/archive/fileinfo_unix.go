//go:build !windows

// What only a Unix file system has: inode numbers and owners.
//
// Upstream: archive/archive.go at v1.2.0 (addTarFile's hard-link map).
package archive

import (
	"os"
	"syscall"
)

// inode returns a file's inode number and link count (0, 0 if unknown).
func inode(fi os.FileInfo) (ino, nlink uint64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino), uint64(st.Nlink)
	}
	return 0, 0
}

// owner is "uid:gid" of a file, to notice a chown in a layer.
func owner(fi os.FileInfo) [2]uint32 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return [2]uint32{st.Uid, st.Gid}
	}
	return [2]uint32{}
}
