//go:build linux

// The container's root filesystem (book ch.14 §14.3 挂载; reference
// docs/kernels.md §5, after runc's prepareRoot/pivotRoot
// and specconv defaults, in our own words): bind the rootfs onto itself so
// it is a mount point, mount /proc, a tmpfs /dev, /dev/pts, /dev/shm and
// /sys (read-only unless --privileged), add the volumes, pivot_root into
// it and let go of the old root, then make the device nodes and, with
// RestrictSys, libcontainer's read-only /proc paths.

package linux

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/backend"
	"golang.org/x/sys/unix"
)

// restrictedProc are the /proc paths RestrictSys makes read-only: the
// machine's sysctls, its magic SysRq key, its interrupts and buses are
// not per container.
var restrictedProc = []string{"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus"}

func setupRootfs(cfg initConfig) error {
	root := cfg.Rootfs
	if err := unix.Mount(root, root, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind rootfs %s onto itself: %w", root, err)
	}
	under := func(p string) string { return filepath.Join(root, p) }
	type mnt struct {
		source, target, fstype string
		flags                  uintptr
		data                   string
	}
	const nosuid, nodev, noexec = unix.MS_NOSUID, unix.MS_NODEV, unix.MS_NOEXEC
	for _, m := range []mnt{
		{"proc", "/proc", "proc", nosuid | nodev | noexec, ""},
		{"tmpfs", "/dev", "tmpfs", nosuid | unix.MS_STRICTATIME, "mode=755,size=65536k"},
	} {
		if err := mountIn(root, m.source, m.target, m.fstype, m.flags, m.data); err != nil {
			return err
		}
	}
	sysFlags := uintptr(nosuid | nodev | noexec | unix.MS_RDONLY)
	if cfg.Confine != nil && !cfg.Confine.RestrictSys {
		sysFlags &^= unix.MS_RDONLY // --privileged
	}
	for _, m := range []mnt{
		{"devpts", "/dev/pts", "devpts", nosuid | noexec, "newinstance,ptmxmode=0666,mode=0620"},
		{"shm", "/dev/shm", "tmpfs", nosuid | nodev | noexec, "mode=1777,size=65536k"},
		// The network namespace exists already (clone made or joined
		// it), so /sys/class/net shows the container's interfaces.
		{"sysfs", "/sys", "sysfs", sysFlags, ""},
	} {
		if err := mountIn(root, m.source, m.target, m.fstype, m.flags, m.data); err != nil {
			return err
		}
	}
	if err := os.Symlink("pts/ptmx", under("/dev/ptmx")); err != nil {
		return fmt.Errorf("symlink /dev/ptmx: %w", err)
	}
	for _, m := range cfg.Mounts {
		if err := mountVolume(root, m); err != nil {
			return err
		}
	}
	if err := pivotRoot(root); err != nil {
		return err
	}
	// The nodes are made once "/" is the container's: a path in the
	// image that is a symlink can then only lead inside it.
	nodes := backend.DefaultNodes
	if cfg.Confine != nil && cfg.Confine.DeviceNodes != nil {
		nodes = cfg.Confine.DeviceNodes
	}
	if err := makeDevices(nodes); err != nil {
		return err
	}
	if cfg.Confine != nil && cfg.Confine.RestrictSys {
		if err := restrictProc(); err != nil {
			return err
		}
	}
	if cfg.ReadonlyRootfs {
		if err := unix.Mount("", "/", "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
			return fmt.Errorf("remount / read-only: %w", err)
		}
	}
	return nil
}

// mountIn mounts a pseudo-filesystem at target inside root, making the
// directory when the image lacks it.
func mountIn(root, source, target, fstype string, flags uintptr, data string) error {
	dir := filepath.Join(root, target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("mkdir %s: %w", target, err)
	}
	if err := unix.Mount(source, dir, fstype, flags, data); err != nil {
		return fmt.Errorf("mount %s on %s: %w", fstype, target, err)
	}
	return nil
}

// makeDevices creates the device nodes (after pivot_root, so paths are
// the container's). A node that exists already (from the image) is kept.
func makeDevices(nodes []backend.Device) error {
	old := unix.Umask(0)
	defer unix.Umask(old)
	for _, d := range nodes {
		mode := d.FileMode & 0o7777
		switch d.Type {
		case 'c':
			mode |= unix.S_IFCHR
		case 'b':
			mode |= unix.S_IFBLK
		default:
			return fmt.Errorf("device %s: type %q is not c or b", d.Path, d.Type)
		}
		if err := os.MkdirAll(filepath.Dir(d.Path), 0o755); err != nil {
			return fmt.Errorf("mkdir for %s: %w", d.Path, err)
		}
		dev := int(unix.Mkdev(uint32(d.Major), uint32(d.Minor)))
		if err := unix.Mknod(d.Path, mode, dev); err != nil && !errors.Is(err, unix.EEXIST) {
			return fmt.Errorf("mknod %s: %w", d.Path, err)
		}
	}
	return nil
}

// restrictProc is libcontainer's Restrict: each restricted /proc path is
// bound onto itself and remounted read-only, and /proc/kcore (the
// machine's memory as a core file) is covered with /dev/null. A path this
// kernel lacks is skipped. It runs while the init still has CAP_SYS_ADMIN;
// the container's program never gets it back (caps_linux.go), so it
// cannot undo this.
func restrictProc() error {
	const flags = unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC
	for _, p := range restrictedProc {
		if err := unix.Mount(p, p, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			if errors.Is(err, unix.ENOENT) {
				continue
			}
			return fmt.Errorf("bind %s onto itself: %w", p, err)
		}
		if err := unix.Mount(p, p, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_REC|flags, ""); err != nil {
			return fmt.Errorf("remount %s read-only: %w", p, err)
		}
	}
	if _, err := os.Stat("/proc/kcore"); err != nil {
		return nil // a kernel built without CONFIG_PROC_KCORE
	}
	if err := unix.Mount("/dev/null", "/proc/kcore", "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("mask /proc/kcore with /dev/null: %w", err)
	}
	return nil
}

// mountVolume bind-mounts a host path into the rootfs (docker run -v),
// read-only through a second remount when asked.
func mountVolume(root string, m backend.Mount) error {
	if m.Type != backend.MountBind && m.Type != "" {
		return fmt.Errorf("volume %s: only bind mounts are supported inside a container, got %q", m.Target, m.Type)
	}
	target := filepath.Join(root, m.Target)
	st, err := os.Stat(m.Source)
	if err != nil {
		return fmt.Errorf("volume source %s: %w", m.Source, err)
	}
	if st.IsDir() {
		err = os.MkdirAll(target, 0o755)
	} else if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
		var f *os.File
		if f, err = os.OpenFile(target, os.O_CREATE, 0o644); err == nil {
			f.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("volume target %s: %w", m.Target, err)
	}
	if err := unix.Mount(m.Source, target, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("bind %s on %s: %w", m.Source, m.Target, err)
	}
	if m.Readonly {
		if err := unix.Mount("", target, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY, ""); err != nil {
			return fmt.Errorf("remount %s read-only: %w", m.Target, err)
		}
	}
	return nil
}

// pivotRoot makes root the new "/" with the pivot_root(".", ".") trick:
// the old root ends up stacked on top of the new one at "/", where it is
// made a slave (so its unmount cannot propagate back to the host) and
// lazily unmounted, leaving the new root.
//
//lab:exercise ch14.pivot-root
func pivotRoot(root string) error {
	oldRoot, err := unix.Open("/", unix.O_DIRECTORY|unix.O_RDONLY, 0)
	if err != nil {
		return fmt.Errorf("open /: %w", err)
	}
	defer unix.Close(oldRoot)
	newRoot, err := unix.Open(root, unix.O_DIRECTORY|unix.O_RDONLY, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", root, err)
	}
	defer unix.Close(newRoot)
	if err := unix.Fchdir(newRoot); err != nil {
		return fmt.Errorf("fchdir rootfs: %w", err)
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root %s: %w", root, err)
	}
	if err := unix.Fchdir(oldRoot); err != nil {
		return fmt.Errorf("fchdir old root: %w", err)
	}
	if err := unix.Mount("", ".", "", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("make old root rslave: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("unmount old root: %w", err)
	}
	if err := unix.Chdir("/"); err != nil {
		return fmt.Errorf("chdir /: %w", err)
	}
	return nil
}
