//go:build !windows

// What only a Unix file system has: device nodes and inode numbers.
//
// Upstream: archive/archive.go at v1.2.0 (createTarFile's Mknod case,
// addTarFile's hard-link map).
package archive

import (
	"archive/tar"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// mknod makes a character device, block device or fifo. Only root can
// make devices.
func mknod(path string, hdr *tar.Header) error {
	m := uint32(hdr.Mode) & 07777
	switch hdr.Typeflag {
	case tar.TypeChar:
		m |= unix.S_IFCHR
	case tar.TypeBlock:
		m |= unix.S_IFBLK
	default:
		m |= unix.S_IFIFO
	}
	return unix.Mknod(path, m, int(unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor))))
}

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
