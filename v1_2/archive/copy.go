// Copying files with tar, and a tar made from memory: what the builder
// does with a context (book ch.11). ADD copies a file or a directory of
// the context into the container's root file system by writing it as a
// tar and unpacking that at the destination, so every file lands through
// the one extractor (Untar) and keeps its mode and times; a local archive
// is unpacked in place (UntarPath); a Dockerfile alone (docker build -,
// a URL) becomes a context of one file (Generate).
//
// Upstream: archive/archive.go at v1.2.0 (TarUntar, UntarPath, CopyWithTar,
// CopyFileWithTar), archive/wrap.go at v1.2.0 (Generate).
// Book: ch.11 §11.2.1, §11.2.3.
package archive

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Generate makes a plain tar of name/content pairs, all 0600 files, as
// 1.2 wrapped a lone Dockerfile into a context.
func Generate(input ...string) (Archive, error) {
	if len(input)%2 != 0 {
		return nil, fmt.Errorf("archive.Generate: name and content come in pairs, got %d strings", len(input))
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i < len(input); i += 2 {
		name, content := input[i], input[i+1]
		hdr := &tar.Header{Name: name, Size: int64(len(content)), Mode: 0o600, ModTime: time.Now().Truncate(time.Second), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write([]byte(content)); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return io.NopCloser(&buf), nil
}

// TarUntar copies the directory src's contents into dst.
func TarUntar(src, dst string) error {
	a, err := Tar(src, Uncompressed)
	if err != nil {
		return err
	}
	defer a.Close()
	return Untar(a, dst)
}

// UntarPath unpacks the archive file src (compressed or not) into dst.
func UntarPath(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return Untar(f, dst)
}

// CopyWithTar copies src (a file or a directory's contents) to dst.
func CopyWithTar(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return CopyFileWithTar(src, dst)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return TarUntar(src, dst)
}

// CopyFileWithTar copies the regular file src to dst as `cp` would: a dst
// ending in "/" gets src's base name. The file travels as a one-entry tar
// unpacked in dst's directory, so it keeps its mode and mtime.
func CopyFileWithTar(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("Can't copy a directory")
	}
	if strings.HasSuffix(dst, "/") {
		dst = filepath.Join(dst, filepath.Base(src))
	}
	dir, name := filepath.Split(filepath.Clean(dst))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	hdr.Uname, hdr.Gname = "", ""
	hdr.AccessTime, hdr.ChangeTime = time.Time{}, time.Time{}
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := tw.WriteHeader(hdr)
		if err == nil {
			_, err = io.Copy(tw, io.LimitReader(f, hdr.Size))
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	err = Untar(pr, dir)
	pr.Close() // stops the writer if Untar gave up early
	return err
}
