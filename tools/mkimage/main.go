// Command mkimage builds the demo image every dockerlab chapter runs: a
// busybox root filesystem, as a directory and as a tar archive.
//
// It reproduces, in Go, what runc's tests/integration/get-images.sh and
// Docker's own contrib/mkimage-busybox.sh did by hand (reference
// docs/kernels.md §5 "Tiny rootfs without internet"):
// one static busybox binary, a symlink per applet, the usual directories and
// a minimal /etc/passwd and /etc/group. Book ch.8 (Docker镜像: rootfs) is the
// chapter that explains what a rootfs is.
//
// Usage:
//
//	mkimage -busybox /bin/busybox -rootfs build/images/busybox-rootfs -tar build/images/busybox.tar
//
// It needs no root: the archive records owner 0 for every entry whoever
// runs it, and every mtime is the same fixed date, so two runs on two
// machines with the same busybox produce the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	busybox := flag.String("busybox", "", "path of a statically linked busybox binary")
	rootfs := flag.String("rootfs", "", "directory to (re)create with the root filesystem")
	tarPath := flag.String("tar", "", "tar archive to (re)write")
	flag.Parse()

	if err := run(*busybox, *rootfs, *tarPath); err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
}

func run(busybox, rootfs, tarPath string) error {
	if busybox == "" {
		return fmt.Errorf("-busybox is required (the path of a static busybox binary)")
	}
	if rootfs == "" && tarPath == "" {
		return fmt.Errorf("nothing to do: give -rootfs DIR and/or -tar FILE")
	}
	if err := checkStatic(busybox); err != nil {
		return err
	}
	applets, err := listApplets(busybox)
	if err != nil {
		return err
	}
	img, err := busyboxImage(busybox, applets)
	if err != nil {
		return err
	}
	if rootfs != "" {
		if err := writeDir(img, rootfs); err != nil {
			return err
		}
	}
	if tarPath != "" {
		if err := writeTar(img, tarPath); err != nil {
			return err
		}
	}
	fmt.Printf("mkimage: %d entries, %d applets -> %s %s\n", len(img), len(applets), rootfs, tarPath)
	return nil
}
