// Package vfs is the storage driver that needs nothing from the kernel:
// every layer is a plain directory holding a full copy of its parent plus
// its own changes.
//
// Upstream: daemon/graphdriver/vfs/driver.go at v1.2.0 (it ran `cp -a
// --reflink=auto`).
// Book: ch.10 (vfs is the fallback when no union file system is available).
// Notes: 003 (what a union FS saves over this).
//
// dockerlab copies through its own tar code (v1_2/archive) instead of
// exec'ing cp, so the copy is the same on every machine and on the fake
// backend, whose simulated processes run on the rootfs directory as is.
package vfs

import (
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
)

func init() {
	graphdriver.Register("vfs", Init)
}

// Init makes a vfs driver; layers live in <home>/dir/<id>.
func Init(home string, options []string) (graphdriver.Driver, error) {
	if err := os.MkdirAll(filepath.Join(home, "dir"), 0700); err != nil {
		return nil, err
	}
	return &Driver{home: home}, nil
}

// Driver is the vfs driver.
type Driver struct {
	home string
}

func (d *Driver) String() string { return "vfs" }

// Status has nothing to say, as upstream.
func (d *Driver) Status() [][2]string { return nil }

// Cleanup has nothing to release: there are no mounts.
func (d *Driver) Cleanup() error { return nil }

func (d *Driver) dir(id string) string { return filepath.Join(d.home, "dir", id) }

// Create makes the layer's directory and copies the parent into it.
//
//lab:exercise ch08.vfs-create
func (d *Driver) Create(id, parent string) error {
	if err := graphdriver.CheckID("vfs create", id); err != nil {
		return err
	}
	if d.Exists(id) {
		return graphdriver.LayerExists("vfs create", id)
	}
	var parentDir string
	if parent != "" {
		var err error
		if parentDir, err = d.Get(parent, ""); err != nil {
			return err
		}
		defer d.Put(parent)
	}
	if err := os.Mkdir(d.dir(id), 0755); err != nil {
		return err
	}
	if parentDir == "" {
		return nil
	}
	if err := copyDir(parentDir, d.dir(id)); err != nil {
		os.RemoveAll(d.dir(id))
		return err
	}
	return nil
}

// copyDir copies src's tree into dst through a tar pipe.
func copyDir(src, dst string) error {
	a, err := archive.Tar(src, archive.Uncompressed)
	if err != nil {
		return err
	}
	defer a.Close()
	return archive.Untar(a, dst)
}

// Remove deletes the layer's directory.
func (d *Driver) Remove(id string) error {
	if err := graphdriver.CheckID("vfs remove", id); err != nil {
		return err
	}
	if !d.Exists(id) {
		return graphdriver.NoSuchLayer("vfs remove", id)
	}
	return os.RemoveAll(d.dir(id))
}

// Get returns the layer's directory: it already holds everything.
func (d *Driver) Get(id, mountLabel string) (string, error) {
	if err := graphdriver.CheckID("vfs get", id); err != nil {
		return "", err
	}
	if !d.Exists(id) {
		return "", graphdriver.NoSuchLayer("vfs get", id)
	}
	return d.dir(id), nil
}

// Put has nothing to undo.
func (d *Driver) Put(id string) {}

// Exists reports whether the layer's directory is there.
func (d *Driver) Exists(id string) bool {
	if graphdriver.CheckID("vfs exists", id) != nil {
		return false
	}
	fi, err := os.Stat(d.dir(id))
	return err == nil && fi.IsDir()
}
