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
// dockerlab keeps what the graph and the builder need: plain, gzip,
// bzip2 and xz tar in (a build context may be any of them), plain tar out,
// regular files, directories, symlinks and hard links, and AUFS style
// whiteouts (".wh.<name>") for deleted files.
package archive

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"io"
)

// Archive is a tar stream the caller must Close (it may hold a goroutine,
// a mounted layer or a temp file).
type Archive io.ReadCloser

// ArchiveReader is any tar stream, possibly compressed.
type ArchiveReader io.Reader

// Compression names the compression of a stream.
type Compression int

const (
	Uncompressed Compression = iota
	Bzip2
	Gzip
	Xz
)

func (c Compression) String() string {
	switch c {
	case Gzip:
		return "gzip"
	case Bzip2:
		return "bzip2"
	case Xz:
		return "xz"
	}
	return "tar"
}

// magics are how each compressed stream starts: bzip2's "BZh", gzip's
// RFC 1952 ID1 ID2 CM=deflate, xz's six-byte header magic.
var magics = []struct {
	c     Compression
	magic []byte
}{
	{Bzip2, []byte{0x42, 0x5a, 0x68}},
	{Gzip, []byte{0x1f, 0x8b, 0x08}},
	{Xz, []byte{0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00}},
}

// DetectCompression names the compression the first bytes of a stream
// announce; anything else is Uncompressed.
func DetectCompression(head []byte) Compression {
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.c
		}
	}
	return Uncompressed
}

// IsArchive says whether header (the first bytes of a stream, at least
// one tar block for a plain tar) starts a compressed stream or a tar.
// The docker client of 1.2 asked it of `docker build -`'s stdin: a tar
// is a whole context, anything else is a Dockerfile.
func IsArchive(header []byte) bool {
	if DetectCompression(header) != Uncompressed {
		return true
	}
	_, err := tar.NewReader(bytes.NewReader(header)).Next()
	return err == nil
}

// DecompressStream looks at the first bytes of r and returns a reader of
// the decompressed tar. Image layers pulled from a registry are gzip,
// layers made locally are plain tar, and a build context may be any of
// the four. Short streams are simply not compressed. Close it: an xz
// stream is a child process (xz.go).
func DecompressStream(r io.Reader) (io.ReadCloser, error) {
	buf := bufio.NewReader(r)
	head, _ := buf.Peek(6) // the longest magic
	switch DetectCompression(head) {
	case Gzip:
		return gzip.NewReader(buf)
	case Bzip2:
		return io.NopCloser(bzip2.NewReader(buf)), nil
	case Xz:
		return xzDecompress(buf)
	}
	return io.NopCloser(buf), nil
}
