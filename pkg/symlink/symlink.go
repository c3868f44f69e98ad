// Package symlink resolves a path inside a directory tree as a process
// chrooted into that tree would: an absolute symlink starts again at the
// tree's top, and ".." never climbs above it. The daemon needs it to
// write a container's own files (a rootfs may hold "/etc -> /host-etc"),
// and the tar extractor (pkg/chrootarchive) to unpack a layer whose
// symlinks are absolute (busybox's /bin/sh -> /bin/busybox) without ever
// leaving the destination.
//
// Upstream: pkg/symlink/fs.go at v1.2.0 (FollowSymlinkInScope); the walk
// is dockerlab's own.
package symlink

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// MaxSymlinks is the kernel's limit on the symlinks one lookup follows
// (MAXSYMLINKS); more is ELOOP, so a link cycle ends instead of spinning.
const MaxSymlinks = 40

// FS is what a walk reads: an *os.Root has both methods.
type FS interface {
	Lstat(name string) (fs.FileInfo, error)
	Readlink(name string) (string, error)
}

// InScope returns name (slash-separated, relative to the top of fsys;
// "" or "." is the top) with every symlink in it followed inside fsys.
// With followLast false the last component is kept as it is (for
// link(2), whose target may itself be a symlink, and for lstat).
// Components that do not exist are kept, so that the operation that
// follows creates them or fails with the right error. The result is
// clean, relative and has no ".." ("." for the top).
func InScope(fsys FS, name string, followLast bool) (string, error) {
	todo := strings.Split(name, "/")
	var done []string
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		cand := append(done[:len(done):len(done)], c)
		if len(todo) == 0 && !followLast {
			done = cand
			continue
		}
		p := strings.Join(cand, "/")
		fi, err := fsys.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			done = cand // missing, or not a symlink: taken as it is
			continue
		}
		if links++; links > MaxSymlinks {
			return "", &fs.PathError{Op: "resolve", Path: name, Err: syscall.ELOOP}
		}
		target, err := fsys.Readlink(p)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) {
			done = nil // "/" is the top
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	if len(done) == 0 {
		return ".", nil
	}
	return strings.Join(done, "/"), nil
}

// FollowSymlinkInScope resolves the symlinks of p, which lies under the
// directory root, as if root were "/", and returns the resulting path
// under root.
func FollowSymlinkInScope(p, root string) (string, error) {
	root, p = filepath.Clean(root), filepath.Clean(p)
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not within %s", p, root)
	}
	res, err := InScope(dirFS(root), filepath.ToSlash(rel), true)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, filepath.FromSlash(res)), nil
}

// dirFS reads a directory tree by joined paths (the daemon's container
// root, which need not be open).
type dirFS string

func (d dirFS) Lstat(name string) (fs.FileInfo, error) {
	return os.Lstat(filepath.Join(string(d), filepath.FromSlash(name)))
}

func (d dirFS) Readlink(name string) (string, error) {
	return os.Readlink(filepath.Join(string(d), filepath.FromSlash(name)))
}
