//go:build linux

// The machine's device nodes, for `docker run --device` and --privileged
// (book ch.14 §14.3 其他 "设备"; libcontainer's devices.GetDevice and
// GetHostDeviceNodes read the host's /dev the same way: lstat, the type
// from the mode, the numbers from st_rdev).

package linux

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
	"golang.org/x/sys/unix"
)

var _ backend.DeviceHost = (*Host)(nil)

// DeviceNode describes the device node at path on this machine.
func (h *Host) DeviceNode(path string) (backend.Device, error) {
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		return backend.Device{}, kernelErr("stat", path, err)
	}
	d := backend.Device{Path: path, Major: int64(unix.Major(st.Rdev)), Minor: int64(unix.Minor(st.Rdev)),
		Permissions: "rwm", FileMode: st.Mode & 0o7777}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFCHR:
		d.Type = 'c'
	case unix.S_IFBLK:
		d.Type = 'b'
	default:
		return backend.Device{}, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "device", path, "%s is not a device node", path)
	}
	return d, nil
}

// DeviceNodes lists the device nodes under /dev (not in pts, shm or fd).
func (h *Host) DeviceNodes() ([]backend.Device, error) {
	var out []backend.Device
	err := filepath.WalkDir("/dev", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // a node that went away while we walked
		}
		if e.IsDir() {
			switch p {
			case "/dev/pts", "/dev/shm", "/dev/fd", "/dev/mqueue":
				return filepath.SkipDir
			}
			return nil
		}
		if e.Type()&fs.ModeDevice == 0 {
			return nil
		}
		d, err := h.DeviceNode(p)
		if errors.Is(err, backend.ErrInvalid) || errors.Is(err, backend.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, kernelErr("list devices", "/dev", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
