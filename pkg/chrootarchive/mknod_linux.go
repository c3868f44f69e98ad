// Device nodes and fifos, made with mknodat(2) in a directory opened
// through the os.Root, so that they land inside the destination too.
package chrootarchive

import (
	"archive/tar"
	"os"

	"golang.org/x/sys/unix"
)

// mknodAt makes the character device, block device or fifo hdr
// describes as dir/base inside root.
func mknodAt(root *os.Root, dir, base string, hdr *tar.Header) error {
	d, err := root.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	mode := uint32(hdr.Mode) & 07777
	switch hdr.Typeflag {
	case tar.TypeChar:
		mode |= unix.S_IFCHR
	case tar.TypeBlock:
		mode |= unix.S_IFBLK
	default:
		mode |= unix.S_IFIFO
	}
	dev := unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor))
	return unix.Mknodat(int(d.Fd()), base, mode, int(dev))
}
