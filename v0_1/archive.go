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
//   - every entry goes through pkg/chrootarchive, the one confined
//     extractor v1.2 uses too: a member named "../../etc/passwd" is
//     refused, and a symlink pointing out of the layer is followed as
//     inside a chroot, so nothing lands outside the layer directory
//     (bsdtar refused ".." too, but a symlink followed by a file through
//     it was not checked in 2013);
//   - device nodes and fifos are skipped (creating them needs root and a
//     layer has no use for them in dockerlab).
package docker

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/pkg/chrootarchive"
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

// Untar unpacks archive into dir (0.1.0: bsdtar -x -C dir), through
// dockerlab's one confined extractor. Layers keep AUFS's ".wh." files as
// files (v0.1's mount reads them), devices and fifos are skipped.
func Untar(archive io.Reader, dir string) error {
	plain, err := detectCompression(bufio.NewReader(archive))
	if err != nil {
		return fmt.Errorf("reading the archive: %v", err)
	}
	// No member at all (no bytes, or only the end-of-archive blocks) is an
	// empty archive, as bsdtar took it: `import - < /dev/null` makes an
	// image with an empty layer. Bytes that are not a tar fail in the
	// reader.
	_, err = chrootarchive.Untar(plain, dir, &chrootarchive.Options{NoDevices: true})
	return err
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
