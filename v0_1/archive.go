// Archives: unpacking an image layer from a tar stream, and packing a
// directory back into one.
//
// Upstream: archive.go at v0.1.0 (Archive, Compression, Tar, Untar). See
// docs/upstream/v0.1.0.md §7 "Archives".
//
// Docker 0.1.0 (commit 57e2126) ran the external `bsdtar -f - -C DIR -x`
// and let bsdtar detect gzip and bzip2. An imported layer is unpacked into
// graph/:tmp:/<id>/layer (see graph.go). The v0.1 note (docs/notes.md) has
// no section on archives.
//
// Divergences (docs/divergences.md "v0.1 archives in Go"):
//   - Go's archive/tar and compress/{gzip,bzip2} replace bsdtar, so no
//     external program is needed and the same code runs on every OS;
//   - every entry is written through os.Root: a member named
//     "../../etc/passwd" or a symlink pointing out of the layer cannot
//     write outside the layer directory (bsdtar refused ".." too, but a
//     symlink followed by a file through it was not checked in 2013);
//   - device nodes are skipped (creating them needs root and a layer has
//     no use for them in dockerlab).
package docker

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Compression is the compression of an archive (0.1.0's names).
type Compression int

const (
	Uncompressed Compression = iota
	Bzip2
	Gzip
)

// Archive is a tar stream.
type Archive io.Reader

// detectCompression looks at the first bytes, as bsdtar did.
func detectCompression(r *bufio.Reader) (io.Reader, error) {
	magic, _ := r.Peek(3)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		return gzip.NewReader(r)
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(r), nil
	}
	return r, nil
}

// Untar unpacks archive into dir, which must exist.
func Untar(archive io.Reader, dir string) error {
	plain, err := detectCompression(bufio.NewReader(archive))
	if err != nil {
		return fmt.Errorf("reading the archive: %v", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	tr := tar.NewReader(plain)
	dirModes := map[string]fs.FileMode{}
	for n := 0; ; n++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			if n == 0 {
				return errors.New("the archive is empty or not a tar archive")
			}
			break
		}
		if err != nil {
			return fmt.Errorf("reading the archive: %v", err)
		}
		if err := untarEntry(root, tr, hdr, dirModes); err != nil {
			return fmt.Errorf("unpacking %s: %v", hdr.Name, err)
		}
	}
	// Directories get their own modes last: a read-only directory (0555)
	// must stay writable while its contents are unpacked, even without root.
	for name, mode := range dirModes {
		if err := root.Chmod(name, mode); err != nil {
			return fmt.Errorf("unpacking %s: %v", name, err)
		}
	}
	return nil
}

// untarEntry writes one member below root.
// A directory's mode is recorded in dirModes and applied by Untar at the end.
func untarEntry(root *os.Root, tr *tar.Reader, hdr *tar.Header, dirModes map[string]fs.FileMode) error {
	name := path.Clean("/" + hdr.Name)[1:]
	if name == "" {
		return nil // "./" itself
	}
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0755); err != nil {
			return err
		}
	}
	mode := fs.FileMode(hdr.Mode).Perm()
	switch hdr.Typeflag {
	case tar.TypeDir:
		if err := root.MkdirAll(name, 0755); err != nil {
			return err
		}
		dirModes[name] = mode
		return root.Chmod(name, mode|0700)
	case tar.TypeReg:
		root.Remove(name)
		f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return root.Chmod(name, mode)
	case tar.TypeSymlink:
		root.Remove(name)
		return root.Symlink(hdr.Linkname, name)
	case tar.TypeLink:
		root.Remove(name)
		return root.Link(path.Clean("/" + hdr.Linkname)[1:], name)
	}
	return nil // devices, fifos: skipped (see the header)
}

// Tar packs the directory dir into a tar stream (0.1.0: bsdtar -c). It is
// used to export a layer; compression is not offered.
func Tar(dir string, w io.Writer) error {
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		hdr, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if d.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// isWhiteout tells whether a layer entry records a deletion (AUFS's
// ".wh.NAME" files) and returns the deleted name.
func isWhiteout(name string) (string, bool) {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".wh.") && !strings.HasPrefix(base, ".wh..wh.") {
		return filepath.Join(filepath.Dir(name), strings.TrimPrefix(base, ".wh.")), true
	}
	return "", false
}
