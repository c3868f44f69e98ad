//go:build linux

// Mounts: bind, overlay and tmpfs (docs/design.md "The backend"; book ch.8 Union
// Mount and ch.10 §10.4). Docker 0.1.0 stacked image layers with AUFS;
// current kernels have no AUFS, so layers are stacked with overlayfs
// (lowerdir top first, upperdir, workdir). The Host remembers what it
// mounted so Mounts() can list it.

package linux

import (
	"path/filepath"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
	"golang.org/x/sys/unix"
)

// Mount mounts m on the machine (in dockerlab's own mount namespace).
func (h *Host) Mount(m backend.Mount) error {
	if m.Target == "" || !filepath.IsAbs(m.Target) {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "mount", m.Target, "mount target must be an absolute path, got %q", m.Target)
	}
	op := "mount -t " + string(m.Type)
	var err error
	switch m.Type {
	case backend.MountBind:
		err = unix.Mount(m.Source, m.Target, "", unix.MS_BIND|unix.MS_REC, "")
		if err == nil && m.Readonly {
			err = unix.Mount("", m.Target, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, "")
			if err != nil {
				unix.Unmount(m.Target, unix.MNT_DETACH)
			}
		}
	case backend.MountOverlay:
		if len(m.Lower) == 0 {
			return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, op, m.Target, "overlay needs at least one lower directory")
		}
		data := "lowerdir=" + strings.Join(m.Lower, ":")
		if m.Source != "" {
			data += ",upperdir=" + m.Source + ",workdir=" + m.Work
		}
		var flags uintptr
		if m.Readonly {
			flags |= unix.MS_RDONLY
		}
		err = unix.Mount("overlay", m.Target, "overlay", flags, data)
	case backend.MountTmpfs:
		var flags uintptr
		if m.Readonly {
			flags |= unix.MS_RDONLY
		}
		err = unix.Mount("tmpfs", m.Target, "tmpfs", flags, "mode=755")
	default:
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "mount", m.Target, "unknown mount type %q (want bind, overlay or tmpfs)", m.Type)
	}
	if err != nil {
		return kernelErr(op, m.Target, err)
	}
	h.mu.Lock()
	m.Lower = append([]string(nil), m.Lower...)
	h.mounts = append(h.mounts, m)
	h.mu.Unlock()
	return nil
}

// Unmount is umount2(target, 0): EINVAL when target is not a mount point,
// EBUSY while in use.
func (h *Host) Unmount(target string) error {
	if err := unix.Unmount(target, 0); err != nil {
		return kernelErr("umount", target, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.mounts) - 1; i >= 0; i-- {
		if h.mounts[i].Target == target {
			h.mounts = append(h.mounts[:i], h.mounts[i+1:]...)
			break
		}
	}
	return nil
}

// Mounts lists the mounts this Host made and has not unmounted.
func (h *Host) Mounts() ([]backend.Mount, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]backend.Mount, len(h.mounts))
	copy(out, h.mounts)
	return out, nil
}
