// /dev, /proc and /sys: the files the kernel serves rather than the rootfs
// holds (book ch.14 §14.3 挂载 and 其他; backend/security.go). On linux a
// container gets a tmpfs /dev with device nodes, procfs and sysfs; on the
// fake the kernel answers for those paths through the optional System
// methods below, so that `cat /proc/self/status` shows the process's
// capability sets, a device node the devices cgroup does not allow fails
// to open with EPERM, and /proc/sys is read-only — the kernel's decisions,
// not the rootfs directory's. A System without them (a program run
// stand-alone) leaves those paths to the rootfs, as before.
package userland

import (
	"io"
	"io/fs"
	"path"
	"strings"
	"time"
)

// KernelStat is one kernel-served file: its name, mode (with
// fs.ModeDevice and fs.ModeCharDevice for a node) and device numbers.
type KernelStat struct {
	Name         string
	Mode         fs.FileMode
	Major, Minor int64
	Uid, Gid     int
}

// KernelFile is an open kernel-served file.
type KernelFile interface {
	io.ReadWriteCloser
}

// kernelFS is the optional System interface of a kernel that serves /dev,
// /proc and /sys. Paths are clean absolute container paths; errors wrap
// the errno the kernel returns.
type kernelFS interface {
	KernelStat(path string) (KernelStat, error)
	KernelReadDir(path string) ([]KernelStat, error)
	KernelOpen(path string, flag int, uid int) (KernelFile, error)
	// KernelMknod is mknod(2): CAP_MKNOD, the devices cgroup's "m", and
	// (on the fake) a path in /dev.
	KernelMknod(path string, typ rune, major, minor int64, perm fs.FileMode) error
	// KernelChange is the answer to any other change under a kernel
	// path (mkdir, unlink, rename, chmod, utimes): nil only for unlink
	// of a node in /dev, which it does.
	KernelChange(op, path string) error
	// Capable says whether the caller has the capability in its
	// effective set ("CHOWN", "SYS_ADMIN"), for the checks the kernel
	// makes in syscalls the fake userland performs itself.
	Capable(name string) bool
}

// kernelFSOf returns the process's kernel file server, if any.
func kernelFSOf(sys System) kernelFS {
	k, _ := sys.(kernelFS)
	return k
}

// isKernelPath says whether a clean absolute container path is served by
// the kernel: /dev, /proc and /sys and everything below them.
func isKernelPath(abs string) bool {
	for _, top := range []string{"/dev", "/proc", "/sys"} {
		if abs == top || strings.HasPrefix(abs, top+"/") {
			return true
		}
	}
	return false
}

// kernelInfo is a KernelStat as an fs.FileInfo (and fs.DirEntry).
type kernelInfo struct{ st KernelStat }

func (i kernelInfo) Name() string               { return i.st.Name }
func (i kernelInfo) Size() int64                { return 0 }
func (i kernelInfo) Mode() fs.FileMode          { return i.st.Mode }
func (i kernelInfo) ModTime() time.Time         { return bootTime }
func (i kernelInfo) IsDir() bool                { return i.st.Mode.IsDir() }
func (i kernelInfo) Sys() any                   { return i.st }
func (i kernelInfo) Type() fs.FileMode          { return i.st.Mode.Type() }
func (i kernelInfo) Info() (fs.FileInfo, error) { return i, nil }

// bootTime is the time stamp kernel files show.
var bootTime = time.Date(2014, 8, 21, 0, 0, 0, 0, time.UTC)

// kernelDir is an open kernel directory: it lists its entries.
type kernelDir struct {
	k    kernelFS
	path string
}

func (d kernelDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path, Err: errIsDir}
}
func (d kernelDir) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: d.path, Err: errIsDir}
}
func (d kernelDir) Close() error               { return nil }
func (d kernelDir) Stat() (fs.FileInfo, error) { return kernelFileInfo(d.k, d.path) }

// kernelFileInfo is fstat of an open kernel file.
func kernelFileInfo(k kernelFS, abs string) (fs.FileInfo, error) {
	st, err := k.KernelStat(abs)
	if err != nil {
		return nil, err
	}
	return kernelInfo{st}, nil
}
func (d kernelDir) ReadDir(int) ([]fs.DirEntry, error) {
	list, err := d.k.KernelReadDir(d.path)
	if err != nil {
		return nil, err
	}
	out := make([]fs.DirEntry, 0, len(list))
	for _, st := range list {
		out = append(out, kernelInfo{st})
	}
	return out, nil
}

// kernelOpenFile wraps an open kernel file as a vfile.
type kernelOpenFile struct {
	KernelFile
	k    kernelFS
	path string
}

func (f kernelOpenFile) Stat() (fs.FileInfo, error) { return kernelFileInfo(f.k, f.path) }
func (f kernelOpenFile) ReadDir(int) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "readdir", Path: f.path, Err: errNotDir}
}

// vfile is what fsys.OpenFile returns: an *os.File of the rootfs or a
// volume, or a file the kernel serves.
type vfile interface {
	io.ReadWriteCloser
	Stat() (fs.FileInfo, error)
	ReadDir(n int) ([]fs.DirEntry, error)
}

// kernelOpen opens a kernel path for fsys.OpenFile.
func (f fsys) kernelOpen(abs string, flag int) (vfile, error) {
	st, err := f.kfs.KernelStat(abs)
	if err == nil && st.Mode.IsDir() {
		if flag&writeFlags != 0 {
			return nil, f.kfs.KernelChange("open", abs)
		}
		return kernelDir{k: f.kfs, path: abs}, nil
	}
	kf, err := f.kfs.KernelOpen(abs, flag, f.uid)
	if err != nil {
		return nil, err
	}
	return kernelOpenFile{KernelFile: kf, k: f.kfs, path: abs}, nil
}

// kernelName is the last element of a kernel path (for KernelStat users).
func kernelName(abs string) string { return path.Base(abs) }
