// Layer names and the errors drivers share.
//
// Upstream: daemon/graphdriver/driver.go at v1.2.0 (the shared errors);
// the drivers' own path.Base(id).
// Book: ch.10 §10.3 (an id names a directory).
//
// Upstream's drivers used path.Base(id) to keep an id from climbing out of
// the driver's home; dockerlab refuses such an id with a message instead.
package graphdriver

import (
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// CheckID refuses a layer id that is not one plain path element.
func CheckID(op, id string) error {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, `/\`) {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, id, "layer id must be a single path element, got %q", id)
	}
	return nil
}

// NoSuchLayer is the error for a layer that was never created (or was
// removed): errors.Is matches backend.ErrNotFound and ENOENT.
func NoSuchLayer(op, id string) error {
	return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, op, id, "No such layer %s", id)
}

// LayerExists is the error for creating a layer twice.
func LayerExists(op, id string) error {
	return backend.Errorf(backend.ErrExists, syscall.EEXIST, op, id, "layer %s already exists", id)
}
