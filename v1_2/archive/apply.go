// Unpacking a layer onto a directory, and a plain archive into one.
//
// Upstream: archive/diff.go at v1.2.0 (ApplyLayer), archive/archive.go at
// v1.2.0 (Untar, createTarFile).
// Book: ch.10 §10.5 (解压 the layer into the rootfs).
// Notes: 003 "联合文件系统" (whiteouts: a file ".wh.<name>" in a layer means
// "<name> was deleted in this layer", and applying the layer removes <name>).
//
// Divergence (docs/divergences.md "Tar extraction is confined"): both
// unpack through pkg/chrootarchive, dockerlab's one confined extractor,
// as if chrooted into dest. Docker 1.2.0 joined member names to dest and
// called os.MkdirAll/OpenFile/RemoveAll/Link, which follow symlinks the
// same archive had just made: a layer could write, overwrite, delete or
// hard-link any host file (CVE-2014-6407/6408, fixed in 1.3.2 by
// pkg/chrootarchive).
package archive

import (
	"io"

	"github.com/dockerlab/dockerlab/pkg/chrootarchive"
)

// whiteoutPrefix marks a deleted file in a layer (ExportChanges writes it).
const whiteoutPrefix = ".wh."

// ApplyLayer unpacks layer (plain or gzip tar) onto dest, honouring
// whiteouts: ".wh.NAME" deletes NAME, ".wh..wh.*" (AUFS's bookkeeping) is
// skipped, a directory over a directory merges and any other member
// replaces what was there.
func ApplyLayer(dest string, layer ArchiveReader) error {
	r, err := DecompressStream(layer)
	if err != nil {
		return err
	}
	_, err = chrootarchive.Untar(r, dest, &chrootarchive.Options{Whiteouts: true})
	return err
}

// Untar unpacks a plain or gzip archive into dest with no whiteout rules
// (a ".wh." file is just a file), as 1.2's Untar did for docker load, the
// vfs driver's copies and docker cp.
func Untar(r io.Reader, dest string) error {
	plain, err := DecompressStream(r)
	if err != nil {
		return err
	}
	_, err = chrootarchive.Untar(plain, dest, nil)
	return err
}
