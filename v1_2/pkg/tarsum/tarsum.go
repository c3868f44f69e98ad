// Package tarsum computes tarsum v0 while a tar stream passes through:
// one sha256 per member (its header fields, then its bytes), and the sum
// of the whole archive from the sorted member sums. Docker 1.2 used the
// member sums for the build cache (book ch.11: ADD and COPY of a file
// whose sum is unchanged reuse the cached layer) and the whole sum as a
// pushed layer's X-Docker-Checksum.
//
// Upstream: pkg/tarsum/tarsum.go at v1.2.0 (TarSum, Read, Sum, GetSums).
// Book: ch.11 §11.2.3 (the daemon reads the context through a TarSum).
//
// A member's sum is the hex sha256 of "name"+Name, "mode"+Mode,
// "uid"+Uid, "gid"+Gid, "size"+Size, "mtime"+ModTime (unix seconds),
// "typeflag"+Typeflag, "linkname"+Linkname, "uname"+Uname, "gname"+Gname,
// "devmajor"+Devmajor, "devminor"+Devminor (numbers in decimal), followed
// by the member's bytes. The archive's sum is "tarsum+sha256:" and the
// hex sha256 of extra (the image json, for a push) and the member sums,
// sorted, one after the other.
package tarsum

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sort"
	"strconv"
)

// chunk is how much of a member one Read moves at most.
const chunk = 32 * 1024

// TarSum reads the tar in Reader and gives it back, re-encoded (gzip
// unless DisableCompression), summing each member as it goes. It works
// in the reader's own goroutine: each Read moves at most one header or
// one chunk of a member into a small buffer and hands that out.
type TarSum struct {
	io.Reader
	DisableCompression bool

	started bool
	tr      *tar.Reader
	tw      *tar.Writer
	gz      *gzip.Writer
	out     bytes.Buffer // re-encoded bytes not yet read
	member  io.Reader    // what is left of the current member
	h       hash.Hash    // the current member's sum so far
	name    string       // the current member's name
	names   []string     // every member, in order
	sums    map[string]string
	done    bool // the trailer is written: out is all there is
	err     error
}

func (ts *TarSum) start() {
	ts.started = true
	ts.tr = tar.NewReader(ts.Reader)
	ts.sums = map[string]string{}
	var w io.Writer = &ts.out
	if !ts.DisableCompression {
		ts.gz = gzip.NewWriter(&ts.out)
		w = ts.gz
	}
	ts.tw = tar.NewWriter(w)
}

// Read hands out the re-encoded tar.
func (ts *TarSum) Read(p []byte) (int, error) {
	if !ts.started {
		ts.start()
	}
	for ts.out.Len() == 0 && !ts.done && ts.err == nil {
		ts.err = ts.step()
	}
	if ts.out.Len() > 0 {
		return ts.out.Read(p)
	}
	if ts.err != nil {
		return 0, ts.err
	}
	return 0, io.EOF
}

// step moves one chunk of the current member, or the next header, or the
// trailer, into out.
func (ts *TarSum) step() error {
	if ts.member != nil {
		_, err := io.CopyN(io.MultiWriter(ts.tw, ts.h), ts.member, chunk)
		if err == io.EOF {
			ts.finishMember()
			return nil
		}
		return err
	}
	hdr, err := ts.tr.Next()
	if err == io.EOF {
		ts.done = true
		if err := ts.tw.Close(); err != nil {
			return err
		}
		if ts.gz != nil {
			return ts.gz.Close()
		}
		return nil
	}
	if err != nil {
		return err
	}
	ts.h = sha256.New()
	encodeHeader(ts.h, hdr)
	if err := ts.tw.WriteHeader(hdr); err != nil {
		return err
	}
	ts.name, ts.member = hdr.Name, ts.tr
	return nil
}

// finishMember records the sum of the member just copied.
func (ts *TarSum) finishMember() {
	sum := hex.EncodeToString(ts.h.Sum(nil))
	if _, seen := ts.sums[ts.name]; !seen {
		ts.names = append(ts.names, ts.name)
	}
	ts.sums[ts.name] = sum
	ts.member, ts.h = nil, nil
}

// encodeHeader writes the header fields tarsum v0 sums, in its order.
func encodeHeader(h hash.Hash, hdr *tar.Header) {
	for _, field := range [][2]string{
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
		h.Write([]byte(field[0] + field[1]))
	}
}

// Close is there for callers that stop early; nothing runs behind a
// TarSum, so there is nothing to stop.
func (ts *TarSum) Close() error { return nil }

// Err is the error that stopped the stream, if any.
func (ts *TarSum) Err() error { return ts.err }

// GetSums maps each member's name (as written in the tar) to its sum. A
// member still being read is not in it yet.
func (ts *TarSum) GetSums() map[string]string {
	out := make(map[string]string, len(ts.sums))
	for k, v := range ts.sums {
		out[k] = v
	}
	return out
}

// Sum is the archive's tarsum so far, extra hashed before the sorted
// member sums.
func (ts *TarSum) Sum(extra []byte) string {
	sums := make([]string, 0, len(ts.sums))
	for _, name := range ts.names {
		sums = append(sums, ts.sums[name])
	}
	sort.Strings(sums)
	h := sha256.New()
	h.Write(extra)
	for _, s := range sums {
		h.Write([]byte(s))
	}
	return "tarsum+sha256:" + hex.EncodeToString(h.Sum(nil))
}
