// Writing a directory tree as tar. Used for `docker export`, for a layer's
// diff (ExportChanges), for a build context (the client's, with
// .dockerignore's Excludes; book ch.11 §11.2.1) and in tests.
//
// Upstream: archive/archive.go at v1.2.0 (TarWithOptions, addTarFile).
// Book: ch.10 §10.5.
package archive

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// TarOptions: the compression of the stream and the .dockerignore
// patterns whose paths (relative to the directory) are left out.
type TarOptions struct {
	Compression Compression
	Excludes    []string
}

// Tar streams every file under dir, names relative to dir. Only
// Uncompressed is produced: dockerlab never needs to gzip a layer itself.
func Tar(dir string, compression Compression) (Archive, error) {
	return TarWithOptions(dir, &TarOptions{Compression: compression})
}

// TarWithOptions is Tar leaving out what options.Excludes matches; a
// matched directory is left out with everything under it.
func TarWithOptions(dir string, options *TarOptions) (Archive, error) {
	if options.Compression != Uncompressed {
		return nil, fmt.Errorf("archive: only uncompressed tar output is supported, asked for %s", options.Compression)
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	var paths []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		skip, err := utils.Matches(rel, options.Excludes)
		if err != nil {
			return err
		}
		if skip {
			if fi.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		paths = append(paths, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return writeTar(dir, paths, nil), nil
}

// writeTar writes one empty whiteout entry per deleted path and then the
// named paths (relative to root), from a goroutine into a pipe.
func writeTar(root string, paths, whiteouts []string) Archive {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		tw := tar.NewWriter(pw)
		links := map[uint64]string{} // inode -> first name, to emit hard links
		err := func() error {
			for _, wh := range whiteouts {
				hdr := &tar.Header{Name: filepath.Join(filepath.Dir(wh), whiteoutPrefix+filepath.Base(wh)), Typeflag: tar.TypeReg, Mode: 0600}
				if err := tw.WriteHeader(hdr); err != nil {
					return err
				}
			}
			sort.Strings(paths) // parents before children
			for _, rel := range paths {
				if err := addTarFile(tw, root, rel, links); err != nil {
					return err
				}
			}
			return tw.Close()
		}()
		pw.CloseWithError(err)
	}()
	return &pipeArchive{PipeReader: pr, done: done}
}

// pipeArchive's Close waits for the writing goroutine to stop, so that
// no file of the tree is still open when the caller unmounts the layer.
type pipeArchive struct {
	*io.PipeReader
	done chan struct{}
}

func (p *pipeArchive) Close() error {
	err := p.PipeReader.Close()
	<-p.done
	return err
}

// addTarFile writes one file, directory, symlink or hard link.
func addTarFile(tw *tar.Writer, root, rel string, links map[uint64]string) error {
	full := filepath.Join(root, rel)
	fi, err := os.Lstat(full)
	if err != nil {
		return err
	}
	target := ""
	if fi.Mode()&os.ModeSymlink != 0 {
		if target, err = os.Readlink(full); err != nil {
			return err
		}
	}
	hdr, err := tar.FileInfoHeader(fi, target)
	if err != nil {
		return err
	}
	hdr.Name = filepath.ToSlash(rel)
	// Whole seconds, cut down rather than rounded (the tar writer would
	// round), so that sameFsTime sees the copy as unchanged.
	hdr.ModTime = fi.ModTime().Truncate(time.Second)
	hdr.AccessTime, hdr.ChangeTime = time.Time{}, time.Time{}
	if fi.IsDir() {
		hdr.Name += "/"
	}
	// Names only: the uid/gid numbers are what a layer carries.
	hdr.Uname, hdr.Gname = "", ""
	if ino, nlink := inode(fi); fi.Mode().IsRegular() && nlink > 1 {
		if first, seen := links[ino]; seen {
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeLink, first, 0
		} else {
			links[ino] = hdr.Name
		}
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil
	}
	f, err := os.Open(full)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}
