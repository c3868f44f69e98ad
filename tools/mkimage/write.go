// Writing the image out: as a directory (what ProcSpec.Rootfs points at)
// and as a tar archive (what `docker import`/`docker load` take; book ch.8
// and ch.10 §10.5 解压 — a layer is a tar). Both are replaced atomically:
// built next to the destination, then renamed over it, so an interrupted
// build never leaves half an image behind.
package main

import (
	"archive/tar"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// imageTime is every entry's mtime: a fixed date (August 2014, the month
// Docker 1.2.0 came out) instead of "now", so the archive is reproducible.
var imageTime = time.Date(2014, 8, 21, 0, 0, 0, 0, time.UTC)

// writeDir (re)creates dir with the image's content.
func writeDir(img []Entry, dir string) error {
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".mkimage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone already after a successful rename
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for _, e := range img {
		p := filepath.Join(tmp, filepath.FromSlash(e.Path))
		switch e.Kind {
		case KindDir:
			// 0700 while filling it; the real modes are set below, last,
			// because proc/ and sys/ are read-only (0555).
			if err := os.Mkdir(p, 0o700); err != nil {
				return err
			}
		case KindFile:
			if err := writeFile(p, e); err != nil {
				return err
			}
		case KindSymlink:
			if err := os.Symlink(e.Target, p); err != nil {
				return err
			}
		}
	}
	for i := len(img) - 1; i >= 0; i-- {
		if e := img[i]; e.Kind == KindDir {
			if err := os.Chmod(filepath.Join(tmp, filepath.FromSlash(e.Path)), e.Mode); err != nil {
				return err
			}
		}
	}
	if err := removeTree(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// removeTree deletes an old rootfs even though some of its directories are
// read-only (os.RemoveAll fails on them when we are not root).
func removeTree(dir string) error {
	if _, err := os.Lstat(dir); os.IsNotExist(err) {
		return nil
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(dir)
}

func writeFile(p string, e Entry) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, e.Mode)
	if err != nil {
		return err
	}
	if err := copyContent(f, e); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chmod(p, e.Mode) // the umask may have cut bits off
}

// copyContent writes an entry's bytes: its Data, or its Source file.
func copyContent(w io.Writer, e Entry) error {
	if e.Source == "" {
		_, err := w.Write(e.Data)
		return err
	}
	src, err := os.Open(e.Source)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(w, src)
	return err
}

// entrySize is the number of bytes copyContent will write.
func entrySize(e Entry) (int64, error) {
	if e.Source == "" {
		return int64(len(e.Data)), nil
	}
	fi, err := os.Stat(e.Source)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// tarMode is the header's mode: permission bits plus c_ISVTX for sticky.
func tarMode(m os.FileMode) int64 {
	mode := int64(m.Perm())
	if m&os.ModeSticky != 0 {
		mode |= 0o1000
	}
	return mode
}

// writeTar (re)writes path with the image as a tar archive: owner 0:0 by
// number only (no user names, like `tar --numeric-owner`), fixed mtimes.
func writeTar(img []Entry, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".mkimage-*.tar")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op after the rename
	bw := bufio.NewWriter(f)
	tw := tar.NewWriter(bw)
	for _, e := range img {
		h := &tar.Header{
			Name:    e.Path,
			Mode:    tarMode(e.Mode),
			ModTime: imageTime,
			Format:  tar.FormatUSTAR,
		}
		switch e.Kind {
		case KindDir:
			h.Typeflag, h.Name = tar.TypeDir, e.Path+"/"
		case KindSymlink:
			h.Typeflag, h.Linkname = tar.TypeSymlink, e.Target
		case KindFile:
			h.Typeflag = tar.TypeReg
			if h.Size, err = entrySize(e); err != nil {
				return err
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("tar header for %s: %w", e.Path, err)
		}
		if e.Kind == KindFile {
			if err := copyContent(tw, e); err != nil {
				return err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
