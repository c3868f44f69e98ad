// Package archive is the tar plumbing under Docker 1.2.0's image storage:
// a layer travels as a tar stream, is unpacked into a driver's directory,
// and is cut out again as the difference between a layer and its parent.
//
// Upstream: archive/archive.go at v1.2.0, archive/diff.go at v1.2.0,
// archive/changes.go at v1.2.0 (pkg/archive in later releases).
// Book: ch.10 §10.5 镜像内容 (解压 the layer into the rootfs, 计算大小 of the layer).
// Notes: 003 (union FS: a layer is the set of files that differ from the
// layers below it).
//
// dockerlab keeps only what the graph needs: plain and gzip tar in, plain
// tar out, regular files, directories, symlinks and hard links, and AUFS
// style whiteouts (".wh.<name>") for deleted files.
package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
)

// Archive is a tar stream the caller must Close (it may hold a goroutine,
// a mounted layer or a temp file).
type Archive io.ReadCloser

// ArchiveReader is any tar stream, possibly gzip-compressed.
type ArchiveReader io.Reader

// Compression names the compression of a stream.
type Compression int

const (
	Uncompressed Compression = iota
	Gzip
)

func (c Compression) String() string {
	if c == Gzip {
		return "gzip"
	}
	return "tar"
}

// gzipMagic is how every gzip stream starts (RFC 1952: ID1 ID2 CM=deflate).
var gzipMagic = []byte{0x1f, 0x8b, 0x08}

// DecompressStream looks at the first bytes of r and, if they say gzip,
// returns a reader of the decompressed tar. Image layers pulled from a
// registry are gzip; layers made locally are plain tar: both are accepted.
func DecompressStream(r io.Reader) (io.Reader, error) {
	buf := bufio.NewReader(r)
	head, _ := buf.Peek(len(gzipMagic)) // short streams are simply not gzip
	if bytes.Equal(head, gzipMagic) {
		return gzip.NewReader(buf)
	}
	return buf, nil
}
