// A container's own layer, as `diff`, `commit` and `export` read it.
//
// Upstream: container.go at v0.1.0 (Changes, ExportRw).
//
// Docker 0.1.0 mounted an image with AUFS, so every write of the
// container landed in <root>/rw and `diff`/`commit` simply read rw
// (container.go Changes/ExportRw; reference
// docs/upstream/v0.1.0.md §6 "Export and changes", §7). dockerlab's linux backend
// does the same with overlayfs. The fake backend's Image.Mount copies the
// layers into rootfs instead (docs/divergences.md "The fake's mount table
// is bookkeeping"), so its rw stays empty; for the fake, rwLayer rebuilds
// what rw would hold by comparing rootfs with the image's layers: new and
// changed files are copied, deleted ones become ".wh.NAME" whiteouts.
package docker

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// rwLayer returns a directory holding the container's own changes and a
// function that removes it when it was built for the occasion.
func (container *Container) rwLayer() (string, func(), error) {
	if container.runtime.host.Name() == "linux" {
		return container.rwPath(), func() {}, nil
	}
	image, err := container.GetImage()
	if err != nil {
		return "", nil, err
	}
	layers, err := image.layers()
	if err != nil {
		return "", nil, err
	}
	out, err := os.MkdirTemp(container.root, "rw-from-rootfs-")
	if err != nil {
		return "", nil, err
	}
	done := func() { os.RemoveAll(out) }
	if err := diffRootfs(layers, container.RootfsPath(), out); err != nil {
		done()
		return "", nil, err
	}
	return out, done, nil
}

// below finds rel in the topmost layer that has it (layers[0] is the top).
func below(layers []string, rel string) (string, fs.FileInfo) {
	for _, layer := range layers {
		if info, err := os.Lstat(filepath.Join(layer, rel)); err == nil {
			return filepath.Join(layer, rel), info
		}
	}
	return "", nil
}

// sameFile says whether two entries have the same type, mode and content.
func sameFile(a string, ai fs.FileInfo, b string, bi fs.FileInfo) bool {
	if ai.Mode() != bi.Mode() {
		return false
	}
	switch {
	case ai.IsDir():
		return true
	case ai.Mode()&fs.ModeSymlink != 0:
		la, err1 := os.Readlink(a)
		lb, err2 := os.Readlink(b)
		return err1 == nil && err2 == nil && la == lb
	case ai.Mode().IsRegular():
		if ai.Size() != bi.Size() {
			return false
		}
		da, err1 := os.ReadFile(a)
		db, err2 := os.ReadFile(b)
		return err1 == nil && err2 == nil && bytes.Equal(da, db)
	}
	return true
}

// diffRootfs writes into out what differs between rootfs and layers.
func diffRootfs(layers []string, rootfs, out string) error {
	err := filepath.WalkDir(rootfs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(rootfs, p)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if lower, lowerInfo := below(layers, rel); lowerInfo != nil && sameFile(p, info, lower, lowerInfo) {
			return nil
		}
		return copyEntry(p, info, filepath.Join(out, rel))
	})
	if err != nil {
		return err
	}
	// Deletions: an entry of a layer missing from rootfs whose parent is
	// still there (a deleted directory is one whiteout, not one per file).
	for _, layer := range layers {
		err := filepath.WalkDir(layer, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(layer, p)
			if err != nil || rel == "." {
				return err
			}
			if _, ok := isWhiteout(rel); ok {
				return nil
			}
			if _, err := os.Lstat(filepath.Join(rootfs, rel)); !errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			wh := filepath.Join(out, filepath.Dir(rel), ".wh."+filepath.Base(rel))
			if err := os.MkdirAll(filepath.Dir(wh), 0755); err != nil {
				return err
			}
			if err := os.WriteFile(wh, nil, 0644); err != nil {
				return err
			}
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// copyEntry copies one file, link or directory (not its contents) to dst.
func copyEntry(src string, info fs.FileInfo, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0755); err != nil {
		return err
	}
	switch {
	case info.IsDir():
		return os.MkdirAll(dst, info.Mode().Perm()|0700)
	case info.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(link, dst)
	case info.Mode().IsRegular():
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, info.Mode().Perm())
	}
	return nil // devices, fifos, sockets: not part of a layer here
}

// tarLayer streams dir as a tar archive; an empty dir still gives one
// entry, "./", as `bsdtar -c -C dir .` did, so an unchanged container
// commits to an image with an empty layer.
func tarLayer(dir string) io.ReadCloser {
	reader, writer := io.Pipe()
	go func() {
		entries, err := os.ReadDir(dir)
		if err == nil && len(entries) == 0 {
			tw := tar.NewWriter(writer)
			err = tw.WriteHeader(&tar.Header{Name: "./", Typeflag: tar.TypeDir, Mode: 0755})
			if err == nil {
				err = tw.Close()
			}
			writer.CloseWithError(err)
			return
		}
		writer.CloseWithError(Tar(dir, writer))
	}()
	return reader
}
