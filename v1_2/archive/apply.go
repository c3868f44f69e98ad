// Unpacking a layer onto a directory. A file named ".wh.<name>" in a layer
// means "<name> was deleted in this layer": applying it removes <name>.
//
// Upstream: archive/diff.go at v1.2.0 (ApplyLayer), archive/archive.go at
// v1.2.0 (createTarFile).
// Book: ch.10 §10.5 (解压 the layer).
// Notes: 003 "联合文件系统" (whiteouts).
package archive

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// whiteoutPrefix marks a deleted file; ".wh..wh." entries are AUFS's own
// bookkeeping (hard-link stash, opaque marks) and are skipped.
const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
)

// ApplyLayer unpacks layer (plain or gzip tar) onto dest, honouring
// whiteouts. Entries that would land outside dest are refused.
func ApplyLayer(dest string, layer ArchiveReader) error {
	r, err := DecompressStream(layer)
	if err != nil {
		return err
	}
	tr := tar.NewReader(r)
	var dirs []*tar.Header // directory times are set last: writing inside a dir changes its mtime
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(strings.TrimPrefix(hdr.Name, "/"))
		if name == "." {
			continue
		}
		if name == ".." || strings.HasPrefix(name, "../") {
			return fmt.Errorf("archive: refusing entry %q: it points outside the layer", hdr.Name)
		}
		base := filepath.Base(name)
		if strings.HasPrefix(name, whiteoutMeta) || strings.HasPrefix(base, whiteoutMeta) {
			continue
		}
		path := filepath.Join(dest, name)
		if err := os.MkdirAll(filepath.Dir(path), 0755); err != nil {
			return err
		}
		if strings.HasPrefix(base, whiteoutPrefix) {
			gone := filepath.Join(filepath.Dir(path), strings.TrimPrefix(base, whiteoutPrefix))
			if err := os.RemoveAll(gone); err != nil {
				return err
			}
			continue
		}
		// A new entry replaces what the lower layer had, except that a
		// directory over a directory merges.
		if fi, err := os.Lstat(path); err == nil && !(fi.IsDir() && hdr.Typeflag == tar.TypeDir) {
			if err := os.RemoveAll(path); err != nil {
				return err
			}
		}
		if err := createTarFile(path, dest, hdr, tr); err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeDir {
			dirs = append(dirs, hdr)
		}
	}
	for _, hdr := range dirs {
		path := filepath.Join(dest, filepath.Clean(strings.TrimPrefix(hdr.Name, "/")))
		os.Chtimes(path, hdr.ModTime, hdr.ModTime)
	}
	return nil
}

// Untar unpacks a plain archive (no whiteouts expected) onto dest.
func Untar(r io.Reader, dest string) error { return ApplyLayer(dest, r) }

// createTarFile makes one entry at path and gives it the header's owner,
// mode and times.
func createTarFile(path, dest string, hdr *tar.Header, r io.Reader) error {
	mode := os.FileMode(hdr.Mode) & os.ModePerm
	switch hdr.Typeflag {
	case tar.TypeDir:
		if fi, err := os.Lstat(path); err != nil || !fi.IsDir() {
			if err := os.Mkdir(path, mode); err != nil {
				return err
			}
		}
	case tar.TypeReg, tar.TypeRegA:
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
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
		if err := os.Symlink(hdr.Linkname, path); err != nil {
			return err
		}
	case tar.TypeLink:
		target := filepath.Join(dest, filepath.Clean(strings.TrimPrefix(hdr.Linkname, "/")))
		if !strings.HasPrefix(target, filepath.Clean(dest)+string(filepath.Separator)) {
			return fmt.Errorf("archive: refusing hard link %q -> %q: it points outside the layer", hdr.Name, hdr.Linkname)
		}
		if err := os.Link(target, path); err != nil {
			return err
		}
		return nil // a hard link shares the target's inode: nothing more to set
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		if err := mknod(path, hdr); err != nil {
			return err
		}
	case tar.TypeXGlobalHeader:
		return nil
	default:
		return fmt.Errorf("archive: unhandled tar entry type %q for %s", hdr.Typeflag, hdr.Name)
	}
	// Ownership matters only when we can set it (root); an unprivileged
	// test run keeps its own uid.
	if os.Geteuid() == 0 {
		if err := os.Lchown(path, hdr.Uid, hdr.Gid); err != nil {
			return err
		}
	}
	if hdr.Typeflag == tar.TypeSymlink {
		return nil
	}
	// Setuid/setgid/sticky do not survive umask or chown: set the mode last.
	if err := os.Chmod(path, os.FileMode(hdr.Mode)&os.ModePerm|specialBits(hdr.Mode)); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeDir {
		mt := hdr.ModTime
		if mt.IsZero() {
			mt = time.Unix(0, 0)
		}
		return os.Chtimes(path, mt, mt)
	}
	return nil
}

// specialBits turns tar's c_ISUID/c_ISGID/c_ISVTX into Go's mode bits.
func specialBits(m int64) os.FileMode {
	var fm os.FileMode
	if m&04000 != 0 {
		fm |= os.ModeSetuid
	}
	if m&02000 != 0 {
		fm |= os.ModeSetgid
	}
	if m&01000 != 0 {
		fm |= os.ModeSticky
	}
	return fm
}
