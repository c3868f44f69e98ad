// Package tarsum computes tarsum v0, the checksum 1.2 sent with every
// pushed layer (X-Docker-Checksum), while passing the layer on, gzip
// compressed, to whoever reads it.
//
// Upstream: pkg/tarsum/tarsum.go at v1.2.0 (TarSum, Read, Sum).
// Book: ch.9 (the checksums of a layer; 1.2's pull verified none of them).
//
// tarsum v0 of a layer and its image json: for each tar entry, the hex
// sha256 of "name"+name, "mode"+mode, "uid"+uid, "gid"+gid, "size"+size,
// "mtime"+mtime, "typeflag"+flag, "linkname"+link, "uname"+uname,
// "gname"+gname, "devmajor"+maj, "devminor"+min (numbers in decimal)
// followed by the file's bytes; the entry sums sorted; then
// "tarsum+sha256:" + hex sha256(json + the sorted sums joined).
package tarsum

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sort"
	"strconv"
	"sync"
)

// TarSum reads a tar from Reader and gives it back re-encoded (gzip
// unless DisableCompression), summing each entry on the way.
type TarSum struct {
	io.Reader
	DisableCompression bool

	once sync.Once
	pr   *io.PipeReader
	mu   sync.Mutex
	sums []string
	err  error
}

func (ts *TarSum) start() {
	pr, pw := io.Pipe()
	ts.pr = pr
	go func() {
		err := ts.copy(pw)
		ts.mu.Lock()
		ts.err = err
		ts.mu.Unlock()
		pw.CloseWithError(err)
	}()
}

// copy re-encodes the tar into w, summing each entry.
func (ts *TarSum) copy(w io.Writer) error {
	var out io.Writer = w
	var gz *gzip.Writer
	if !ts.DisableCompression {
		gz = gzip.NewWriter(w)
		out = gz
	}
	tr := tar.NewReader(ts.Reader)
	tw := tar.NewWriter(out)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		h := sha256.New()
		encodeHeader(h, hdr)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(io.MultiWriter(tw, h), tr); err != nil {
			return err
		}
		ts.mu.Lock()
		ts.sums = append(ts.sums, hex.EncodeToString(h.Sum(nil)))
		ts.mu.Unlock()
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if gz != nil {
		return gz.Close()
	}
	return nil
}

func encodeHeader(h hash.Hash, hdr *tar.Header) {
	for _, elem := range [][2]string{
		{"name", hdr.Name},
		{"mode", strconv.FormatInt(hdr.Mode, 10)},
		{"uid", strconv.Itoa(hdr.Uid)},
		{"gid", strconv.Itoa(hdr.Gid)},
		{"size", strconv.FormatInt(hdr.Size, 10)},
		{"mtime", strconv.FormatInt(hdr.ModTime.UTC().Unix(), 10)},
		{"typeflag", string([]byte{hdr.Typeflag})},
		{"linkname", hdr.Linkname},
		{"uname", hdr.Uname},
		{"gname", hdr.Gname},
		{"devmajor", strconv.FormatInt(hdr.Devmajor, 10)},
		{"devminor", strconv.FormatInt(hdr.Devminor, 10)},
	} {
		h.Write([]byte(elem[0] + elem[1]))
	}
}

// Read gives the re-encoded tar.
func (ts *TarSum) Read(p []byte) (int, error) {
	ts.once.Do(ts.start)
	return ts.pr.Read(p)
}

// Close stops the copy when the reader gives up early.
func (ts *TarSum) Close() error {
	ts.once.Do(ts.start)
	return ts.pr.Close()
}

// Err is the error that stopped the copy, if any.
func (ts *TarSum) Err() error {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.err
}

// Sum is the tarsum of what was read so far, with extra (the image json)
// hashed first.
func (ts *TarSum) Sum(extra []byte) string {
	ts.mu.Lock()
	sums := append([]string(nil), ts.sums...)
	ts.mu.Unlock()
	sort.Strings(sums)
	h := sha256.New()
	h.Write(extra)
	for _, s := range sums {
		h.Write([]byte(s))
	}
	return "tarsum+sha256:" + hex.EncodeToString(h.Sum(nil))
}
