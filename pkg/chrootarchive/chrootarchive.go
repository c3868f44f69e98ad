// Package chrootarchive is dockerlab's one tar extractor: every archive
// the project unpacks — v0.1's and v1.2's import, v1.2's load and image
// layers, the graph drivers' copies, docker cp, and the pull and build
// contexts to come — goes through Untar, and nothing in an archive can
// write, change, link or delete a file outside the destination.
//
// Not upstream as code; upstream as an idea. Docker up to 1.3.1 unpacked
// with plain os.MkdirAll/OpenFile/RemoveAll/Link on joined paths, which
// follow symbolic links: a layer holding "s -> /etc" and then "s/passwd"
// wrote the host's /etc/passwd (CVE-2014-6407), and a crafted image could
// do the same through docker load (CVE-2014-6408). Docker 1.3.2 moved the
// extraction into a child process chrooted into the destination (its
// pkg/chrootarchive, commit 0357b26c1b) and refused member names that
// climb out with ".." (commits a111eea20c, 04175d0763). This package keeps
// the name and gives the same meaning without a child process:
//
//   - every file operation goes through an os.Root opened on the
//     destination, which the kernel-level walk of Go's os package keeps
//     inside it (a symlink that leads out is an error, never followed);
//   - before that, each path is resolved as a chrooted process would
//     resolve it (pkg/symlink): an absolute symlink starts again at the
//     destination's top, ".." stops there. So "s -> /etc" then "s/passwd"
//     writes <dest>/etc/passwd, as it did in 1.3.2's chroot, and a
//     well-formed image with absolute symlinks (busybox's /bin/sh ->
//     /bin/busybox) still unpacks;
//   - a member whose name or hard-link target climbs out with ".." is
//     refused, as 1.3.2 did;
//   - a member that replaces a symlink removes the link, never its target.
//
// The same code runs on every OS, so the fake backend (any OS, no root)
// and the linux backend unpack alike. The hostile archives it is tested
// against are in archivetest.
package chrootarchive

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/pkg/symlink"
)

// Options say how an archive is unpacked. The zero value unpacks every
// member as it is, owners included when running as root.
type Options struct {
	// Whiteouts applies AUFS whiteouts, as an image layer needs (Docker
	// 1.2's ApplyLayer): a member ".wh.NAME" deletes NAME and is not
	// written, and ".wh..wh.*" members (AUFS's own bookkeeping) are
	// skipped. Without it those are ordinary files (1.2's Untar).
	Whiteouts bool
	// NoDevices skips character and block devices and fifos (v0.1's
	// layers). Without it they are made; a device node needs root, and
	// without root it is skipped, as later Docker releases did in a user
	// namespace.
	NoDevices bool
	// NoLchown leaves every file owned by the extracting user. Without
	// it, as root, each member gets the archive's uid and gid.
	NoLchown bool
}

const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
)

// Untar unpacks the uncompressed tar stream r into the directory dest
// (made if missing) under opts (nil for the zero Options), treating dest
// as the archive's "/". It returns how many members it read.
func Untar(r io.Reader, dest string, opts *Options) (int, error) {
	if opts == nil {
		opts = &Options{}
	}
	if err := os.MkdirAll(dest, 0755); err != nil {
		return 0, err
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return 0, err
	}
	defer root.Close()
	x := &extractor{root: root, opts: *opts, asRoot: os.Geteuid() == 0}
	tr := tar.NewReader(r)
	n := 0
	for ; ; n++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, fmt.Errorf("reading the archive: %w", err)
		}
		if err := x.member(hdr, tr); err != nil {
			return n, fmt.Errorf("unpacking %q: %w", hdr.Name, err)
		}
	}
	return n, x.finishDirs()
}

// extractor is one Untar in progress.
type extractor struct {
	root   *os.Root
	opts   Options
	asRoot bool
	dirs   []dirMeta // directories' modes and times, set at the end
}

// dirMeta is a directory's final mode and mtime. They are set last: a
// read-only directory must stay writable while its members are unpacked,
// and writing into a directory changes its mtime.
type dirMeta struct {
	name  string
	mode  fs.FileMode
	mtime time.Time
}

// resolve is name with its symlinks followed inside the destination (the
// last one too when followLast), ready for os.Root: os.Root alone would
// refuse every absolute symlink, which an image is full of, while this
// walk takes "/" as the destination's top. If something changed after
// the walk, os.Root still refuses to leave.
func (x *extractor) resolve(name string, followLast bool) (string, error) {
	return symlink.InScope(x.root, name, followLast)
}

// errOutside is a member name or hard-link target that climbs out.
var errOutside = errors.New("it points outside the destination (\"..\" above its top); refused")

// cleanName turns a member name (or a hard link's target) into a clean
// path relative to the destination, "" for the destination itself. A
// leading "/" is dropped, as tar always did; ".." that climbs above the
// top is refused.
func cleanName(name string) (string, error) {
	n := path.Clean(strings.TrimLeft(name, "/"))
	if n == "." {
		return "", nil
	}
	if n == ".." || strings.HasPrefix(n, "../") {
		return "", errOutside
	}
	return n, nil
}

// member unpacks one archive member.
func (x *extractor) member(hdr *tar.Header, r io.Reader) error {
	name, err := cleanName(hdr.Name)
	if err != nil || name == "" {
		return err // the top itself keeps the destination's own mode
	}
	parent, base := path.Dir(name), path.Base(name)
	if x.opts.Whiteouts {
		if strings.HasPrefix(name, whiteoutMeta) || strings.HasPrefix(base, whiteoutMeta) {
			return nil
		}
		if strings.HasPrefix(base, whiteoutPrefix) {
			return x.whiteout(parent, strings.TrimPrefix(base, whiteoutPrefix))
		}
	}
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader:
		return nil
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		if x.opts.NoDevices {
			return nil
		}
	case tar.TypeDir, tar.TypeReg, tar.TypeSymlink, tar.TypeLink:
	default:
		return fmt.Errorf("tar member type %q is not supported", hdr.Typeflag)
	}

	dir, err := x.resolve(parent, true)
	if err != nil {
		return err
	}
	if err := x.root.MkdirAll(dir, 0755); err != nil {
		return err
	}
	p := path.Join(dir, base)
	// A member replaces what is there (removing a symlink, not its
	// target), except that a directory over a directory merges.
	if fi, err := x.root.Lstat(p); err == nil && !(fi.IsDir() && hdr.Typeflag == tar.TypeDir) {
		if err := x.root.RemoveAll(p); err != nil {
			return err
		}
	}

	switch hdr.Typeflag {
	case tar.TypeDir:
		if _, err := x.root.Lstat(p); err != nil {
			if err := x.root.Mkdir(p, 0700); err != nil {
				return err
			}
		}
		x.dirs = append(x.dirs, dirMeta{name, fileMode(hdr.Mode), hdr.ModTime})
	case tar.TypeReg:
		f, err := x.root.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0600)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	case tar.TypeSymlink:
		// The target is only text: it is resolved when the link is used,
		// by this package (inside the destination) or by a container
		// (inside its rootfs).
		if err := x.root.Symlink(hdr.Linkname, p); err != nil {
			return err
		}
	case tar.TypeLink:
		return x.hardlink(hdr.Linkname, p)
	default: // char, block, fifo
		err := mknodAt(x.root, dir, base, hdr)
		if errors.Is(err, fs.ErrPermission) && !x.asRoot || errors.Is(err, errors.ErrUnsupported) {
			return nil // devices need root (and Linux): skipped
		}
		if err != nil {
			return err
		}
	}
	return x.setMeta(p, hdr)
}

// hardlink makes p a second name of the member target. The target is a
// path inside the destination (a leading "/" dropped, ".." above the top
// refused), resolved as a chrooted link(2) would, without following a
// symlink at its end: linking to a symlink links the symlink itself.
func (x *extractor) hardlink(target, p string) error {
	name, err := cleanName(target)
	if err != nil {
		return fmt.Errorf("hard link to %q: %w", target, err)
	}
	if name == "" {
		return fmt.Errorf("hard link to %q: the destination's top is a directory", target)
	}
	old, err := x.resolve(name, false)
	if err == nil {
		err = x.root.Link(old, p)
	}
	if err != nil {
		return fmt.Errorf("hard link to %q (%s inside the destination): %w", target, name, err)
	}
	return nil
}

// whiteout deletes gone in the member's directory parent (AUFS: the
// layer deleted it). Nothing to delete is no error; a whiteout that names
// no single file (".wh.", ".wh..", ".wh...") is refused, since joining it
// would delete the directory itself or its parent.
func (x *extractor) whiteout(parent, gone string) error {
	if gone == "" || gone == "." || gone == ".." {
		return fmt.Errorf("a whiteout must name one file, not %q", gone)
	}
	dir, err := x.resolve(parent, true)
	if err != nil {
		return err
	}
	if fi, err := x.root.Lstat(dir); err != nil || !fi.IsDir() {
		return nil // no such directory: nothing under it to delete
	}
	return x.root.RemoveAll(path.Join(dir, gone))
}

// setMeta gives p the member's owner (as root), mode and times. A
// directory's exact mode and mtime wait for finishDirs.
func (x *extractor) setMeta(p string, hdr *tar.Header) error {
	if x.asRoot && !x.opts.NoLchown {
		if err := x.root.Lchown(p, hdr.Uid, hdr.Gid); err != nil {
			return err
		}
	}
	switch hdr.Typeflag {
	case tar.TypeSymlink:
		return nil // a symlink's own mode and times are not kept
	case tar.TypeDir:
		return x.root.Chmod(p, fileMode(hdr.Mode)&fs.ModePerm|0700)
	}
	// Set after the owner: chown clears setuid and setgid.
	if err := x.root.Chmod(p, fileMode(hdr.Mode)); err != nil {
		return err
	}
	return x.root.Chtimes(p, mtimeOf(hdr.ModTime), mtimeOf(hdr.ModTime))
}

// finishDirs sets the directories' modes and times, last. Each path is
// resolved again: a later member may have replaced a directory by a
// symlink, and then there is no directory of that name to touch.
func (x *extractor) finishDirs() error {
	for i := len(x.dirs) - 1; i >= 0; i-- {
		d := x.dirs[i]
		p, err := x.resolve(d.name, false)
		if err != nil {
			continue
		}
		if fi, err := x.root.Lstat(p); err != nil || !fi.IsDir() {
			continue
		}
		if err := x.root.Chmod(p, d.mode); err != nil {
			return fmt.Errorf("unpacking %q: %w", d.name, err)
		}
		if err := x.root.Chtimes(p, mtimeOf(d.mtime), mtimeOf(d.mtime)); err != nil {
			return fmt.Errorf("unpacking %q: %w", d.name, err)
		}
	}
	return nil
}

// fileMode turns tar's permission and c_ISUID/c_ISGID/c_ISVTX bits into
// Go's mode bits.
func fileMode(m int64) fs.FileMode {
	fm := fs.FileMode(m) & fs.ModePerm
	if m&04000 != 0 {
		fm |= fs.ModeSetuid
	}
	if m&02000 != 0 {
		fm |= fs.ModeSetgid
	}
	if m&01000 != 0 {
		fm |= fs.ModeSticky
	}
	return fm
}

// mtimeOf is a member's time; a tar without one gets the epoch, so that
// the same archive always unpacks to the same times.
func mtimeOf(t time.Time) time.Time {
	if t.IsZero() {
		return time.Unix(0, 0)
	}
	return t
}
