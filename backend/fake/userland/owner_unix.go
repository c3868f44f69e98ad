//go:build unix

// File ownership as stat(2) reports it, for access checks and ls -l
// (rootfs.go; the fake has no uid mapping: files belong to who made them).
package userland

import (
	"io/fs"
	"syscall"
)

func fileOwner(info fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

func fileLinks(info fs.FileInfo) int {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return int(st.Nlink)
	}
	return 1
}

// fileKB is the space a file takes in 1K blocks, for ls -l's "total".
func fileKB(info fs.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return int64(st.Blocks) / 2
	}
	return (info.Size() + 1023) / 1024
}
