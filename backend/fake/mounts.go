// Mounts of the simulated machine (docs/design.md "The backend": mounts; book
// ch.8 Union Mount and ch.10 §10.4; note 003 union FS).
//
// The fake's mount table is bookkeeping only: a bind or overlay mount is
// recorded and listed, but no files are merged or made visible anywhere.
// That is why the vfs graph driver (which copies layers) is what works on
// the fake; the overlay driver needs the linux backend.
package fake

import (
	"os"
	"path/filepath"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// Mount records a mount after checking what mount(2) would check.
func (k *Kernel) Mount(mt backend.Mount) error {
	const op = "mount"
	if mt.Target == "" || !filepath.IsAbs(mt.Target) {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, mt.Target, "mount target must be an absolute path")
	}
	st, err := os.Stat(mt.Target)
	if err != nil {
		return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, op, mt.Target, "mount point does not exist")
	}
	switch mt.Type {
	case backend.MountBind:
		if _, err := os.Stat(mt.Source); err != nil {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, op, mt.Source, "bind source does not exist")
		}
		if !st.IsDir() {
			return backend.Errorf(backend.ErrInvalid, syscall.ENOTDIR, op, mt.Target, "the fake binds directories only")
		}
	case backend.MountOverlay:
		if len(mt.Lower) == 0 {
			return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, mt.Target, "overlay needs at least one lower directory")
		}
		for _, d := range append(append([]string{}, mt.Lower...), mt.Source, mt.Work) {
			if d == "" {
				continue
			}
			if _, err := os.Stat(d); err != nil {
				return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, op, d, "overlay directory does not exist")
			}
		}
	case backend.MountTmpfs:
	default:
		return backend.Errorf(backend.ErrUnsupported, 0, op, mt.Target, "unknown filesystem type %q", mt.Type)
	}
	mt.Lower = append([]string{}, mt.Lower...)
	return k.update("Mount", func(m *machine) error {
		m.Mounts = append(m.Mounts, mt)
		return nil
	})
}

// Unmount removes the most recent mount on target; a target that is not a
// mount point is EINVAL, as umount(2) says.
func (k *Kernel) Unmount(target string) error {
	return k.update("Unmount", func(m *machine) error {
		for i := len(m.Mounts) - 1; i >= 0; i-- {
			if m.Mounts[i].Target == target {
				m.Mounts = append(m.Mounts[:i], m.Mounts[i+1:]...)
				return nil
			}
		}
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "umount", target, "not mounted")
	})
}

// Mounts lists the mounts made through this machine, oldest first.
func (k *Kernel) Mounts() ([]backend.Mount, error) {
	var out []backend.Mount
	err := k.view("Mounts", func(m *machine) error {
		for _, mt := range m.Mounts {
			mt.Lower = append([]string{}, mt.Lower...)
			out = append(out, mt)
		}
		return nil
	})
	return out, err
}
