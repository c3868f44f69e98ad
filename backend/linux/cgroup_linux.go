//go:build linux

// Cgroups: detecting how they are mounted, and what the v1 and v2 managers
// share (reference docs/kernels.md §4; book ch.14 §14.3
// cgroup; note 003 cgroups). Docker 1.2.0 drove v1 with libcontainer's
// cgroups/fs; v2 is what today's distributions run. The hierarchy's root is
// a parameter, so tests point it at a temporary directory, where writing a
// control file simply creates it (the idea of runc's TestMode).

package linux

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
	"golang.org/x/sys/unix"
)

// DetectCgroupMode reads the filesystem magic of root and root/unified,
// as runc and containerd do.
func DetectCgroupMode(root string) (backend.CgroupMode, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(root, &st); err != nil {
		return "", kernelErr("statfs", root, err)
	}
	if st.Type == unix.CGROUP2_SUPER_MAGIC {
		return backend.CgroupV2, nil
	}
	if err := unix.Statfs(filepath.Join(root, "unified"), &st); err == nil && st.Type == unix.CGROUP2_SUPER_MAGIC {
		return backend.CgroupHybrid, nil
	}
	return backend.CgroupV1, nil
}

// NewCgroups returns the manager for root. mode "" detects it; parent is
// the cgroup every path lives under (default "dockerlab").
func NewCgroups(root string, mode backend.CgroupMode, parent string) (backend.Cgroups, error) {
	if root == "" {
		root = DefaultCgroupRoot
	}
	if parent == "" {
		parent = DefaultCgroupParent
	}
	if _, err := cleanCgroupPath(parent); err != nil || parent == "" {
		return nil, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "cgroups", parent, "bad cgroup parent %q", parent)
	}
	if mode == "" {
		var err error
		if mode, err = DetectCgroupMode(root); err != nil {
			return nil, err
		}
	}
	switch mode {
	case backend.CgroupV1, backend.CgroupHybrid:
		return newCgroupV1(root, mode, parent), nil
	case backend.CgroupV2:
		return newCgroupV2(root, parent), nil
	}
	return nil, backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "cgroups", string(mode), "unknown cgroup mode %q (want v1, hybrid or v2)", mode)
}

// cleanCgroupPath refuses absolute paths and "..": a path is relative to
// the parent cgroup.
func cleanCgroupPath(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	if strings.HasPrefix(p, "/") || strings.ContainsRune(p, 0) {
		return "", backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "cgroup", p, "cgroup path %q must be relative", p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." || part == "." || part == "" {
			return "", backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "cgroup", p, "cgroup path %q must be plain names separated by /", p)
		}
	}
	return path.Clean(p), nil
}

// isCgroupFS says whether dir is on a real cgroup filesystem.
func isCgroupFS(dir string) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false
	}
	return st.Type == unix.CGROUP_SUPER_MAGIC || st.Type == unix.CGROUP2_SUPER_MAGIC
}

// cgFiles reads and writes control files. In test mode (a plain directory
// standing in for cgroupfs) a write creates the file.
type cgFiles struct{ testMode bool }

func (f cgFiles) write(op, dir, file, value string) error {
	flags := os.O_WRONLY | os.O_TRUNC
	if f.testMode {
		flags |= os.O_CREATE
	}
	fd, err := os.OpenFile(filepath.Join(dir, file), flags, 0o644)
	if err != nil {
		return cgErr(op, dir, file, err)
	}
	defer fd.Close()
	if _, err := fd.WriteString(value); err != nil {
		return cgErr(op, dir, file+"="+value, err)
	}
	return nil
}

func (f cgFiles) read(dir, file string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return "", cgErr("cgroup read", dir, file, err)
	}
	return strings.TrimSpace(string(data)), nil
}

// readInt reads a number; "max" and the v1 "unlimited" value read as 0.
func (f cgFiles) readInt(dir, file string) int64 {
	s, err := f.read(dir, file)
	if err != nil || s == "max" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n >= 1<<62 {
		return 0
	}
	return n
}

// procs reads cgroup.procs.
func (f cgFiles) procs(dir string) ([]int, error) {
	s, err := f.read(dir, "cgroup.procs")
	if err != nil {
		if errors.Is(err, backend.ErrNotFound) && f.testMode && isDir(dir) {
			return []int{}, nil
		}
		return nil, err
	}
	pids := []int{}
	for _, line := range strings.Fields(s) {
		if pid, err := strconv.Atoi(line); err == nil {
			pids = append(pids, pid)
		}
	}
	sort.Ints(pids)
	return pids, nil
}

// mkdir creates one cgroup directory; existing is ErrExists.
func (f cgFiles) mkdir(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return cgErr("cgroup create", dir, "", err)
	}
	return nil
}

// rmdir removes one cgroup directory. cgroupfs lets rmdir remove a
// directory full of control files; a test directory needs them removed
// first, and refuses like the kernel while it lists processes or children.
func (f cgFiles) rmdir(dir string) error {
	if f.testMode {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return cgErr("cgroup delete", dir, "", err)
		}
		pids, _ := f.procs(dir)
		for _, e := range entries {
			if e.IsDir() {
				return backend.Errorf(backend.ErrBusy, syscall.EBUSY, "cgroup delete", dir, "it has child cgroups")
			}
		}
		if len(pids) > 0 {
			return backend.Errorf(backend.ErrBusy, syscall.EBUSY, "cgroup delete", dir, "it holds processes")
		}
		return cgErr("cgroup delete", dir, "", os.RemoveAll(dir))
	}
	return cgErr("cgroup delete", dir, "", unix.Rmdir(dir))
}

// list lists child cgroups of dir as paths relative to the parent cgroup.
func (f cgFiles) list(dir, rel string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, cgErr("cgroup list", dir, "", err)
	}
	out := []string{}
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, path.Join(rel, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// cgErr maps a cgroupfs error: ENOSPC is a v1 cpuset without cpus/mems,
// EBUSY a group that still holds processes, ESRCH a pid that is gone.
func cgErr(op, dir, file string, err error) error {
	if err == nil {
		return nil
	}
	object := dir
	if file != "" {
		object = filepath.Join(dir, file)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return backend.ErrnoError(errno, op, object)
	}
	return backend.Errorf(backend.ErrInvalid, 0, op, object, "%s", err.Error())
}
