// Package graphdriver is the storage seam of Docker 1.2.0: one interface
// for "give me a directory holding layer <id> stacked on its parents",
// and a registry of drivers that implement it.
//
// Upstream: daemon/graphdriver/driver.go at v1.2.0.
// Book: ch.4 §4.x NewDaemon step "graphdriver.New" (docs/upstream/v1.2.0.md
// §2.3 step 8), ch.8 Docker镜像 (union mount: a container's rootfs is its
// image's layers stacked), ch.10 §10.4 (the aufs driver's mnt/diff/layers
// directories).
// Notes: 003 (union FS).
//
// Drivers in dockerlab (docs/divergences.md): "overlay" stacks layers
// with the kernel's overlayfs through the backend; "vfs" copies the parent
// layer into the child and works everywhere, the fake backend included.
// "aufs", "btrfs" and "devicemapper" are registered so their names give
// an explanation instead of "not supported".
package graphdriver

import (
	"errors"

	"github.com/dockerlab/dockerlab/v1_2/archive"
)

// InitFunc makes a driver whose files live under home (<root>/<name>).
type InitFunc func(home string, options []string) (Driver, error)

// Driver is what every storage driver does. Layers are named by image or
// container id; a layer's parent is given once, at Create.
type Driver interface {
	// String is the driver's name ("vfs", "overlay").
	String() string

	// Create makes layer id on top of parent ("" for a base layer).
	Create(id, parent string) error
	// Remove deletes layer id and its files.
	Remove(id string) error

	// Get returns a directory showing layer id with its parents below it,
	// mounting it first if the driver must. mountLabel is the SELinux
	// label (unused in dockerlab). Every Get is paired with a Put.
	Get(id, mountLabel string) (dir string, err error)
	// Put says the caller is done with the directory from Get.
	Put(id string)
	// Exists reports whether layer id was created.
	Exists(id string) bool

	// Status is the driver's lines for `docker info`.
	Status() [][2]string

	// Cleanup releases everything the driver holds (mounts) at shutdown.
	Cleanup() error
}

// Differ is optional: a driver that can produce and take a layer's diff
// itself (upstream's aufs and btrfs could). For the others the graph cuts
// the diff out by comparing the layer with its parent (image.TarLayer,
// image.StoreImage), which is what ch.10 §10.5 describes.
type Differ interface {
	Diff(id string) (archive.Archive, error)
	Changes(id string) ([]archive.Change, error)
	ApplyDiff(id string, diff archive.ArchiveReader) error
	DiffSize(id string) (bytes int64, err error)
}

// The errors a driver's InitFunc returns to say "try the next driver".
var (
	ErrNotSupported   = errors.New("driver not supported")
	ErrPrerequisites  = errors.New("prerequisites for driver not satisfied (wrong filesystem?)")
	ErrIncompatibleFS = errors.New("backing file system is unsupported for this graph driver")
)

// skippable reports whether New should go on to the next driver.
func skippable(err error) bool {
	return errors.Is(err, ErrNotSupported) || errors.Is(err, ErrPrerequisites) || errors.Is(err, ErrIncompatibleFS)
}
