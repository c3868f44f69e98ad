// The container's view of its files: paths resolved the way the kernel
// resolves them after chroot/pivot_root (book ch.14 §14.3 挂载, pivot_root;
// note 003 §挂载点), every access confined to Process.Root.
//
// os.Root alone refuses absolute symlinks ("symbolic links must not be
// absolute"), but a real rootfs is full of them: `busybox --install -s`
// makes /bin/ls -> /bin/busybox. Inside a container an absolute symlink
// means "from the container's /", so we walk each path ourselves, one
// component at a time, restarting at the rootfs top on an absolute target
// and clamping ".." at "/". The result is a symlink-free path that we hand
// to os.Root, which still refuses anything that escapes (a symlink swapped
// in between our walk and its use included).
package userland

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"syscall"
	"time"
)

// maxSymlinks is the kernel's limit on symlinks followed in one lookup
// (MAXSYMLINKS, 40); more gives ELOOP.
const maxSymlinks = 40

// absPath makes name absolute against the cwd dir and cleans it, as the
// container sees it ("/.." is "/").
func absPath(dir, name string) string {
	if !path.IsAbs(name) {
		if dir == "" {
			dir = "/"
		}
		name = path.Join(dir, name)
	}
	return path.Clean("/" + name)
}

// resolve returns the symlink-free absolute container path of name
// (relative to cwd dir). With follow false the last component is left as
// it is, as lstat, unlink and readlink want. Components that do not exist
// are kept as they are, so that the caller's operation fails (or creates
// them) with the right errno. Symlinks inside volumes are followed the
// same way: the walk is in container paths, each step located on the
// rootfs or on the volume mounted there (volumes.go).
func (f fsys) resolve(name string, follow bool) (string, error) {
	if name == "" {
		return "", &fs.PathError{Op: "lookup", Path: name, Err: syscall.ENOENT}
	}
	todo := splitPath(absPath(f.dir, name))
	var done []string
	links := 0
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		if c == ".." {
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		if c == "." {
			continue
		}
		cand := append(append([]string(nil), done...), c)
		if len(todo) == 0 && !follow {
			done = cand
			break
		}
		if f.kfs != nil && isKernelPath("/"+strings.Join(cand, "/")) {
			done = cand // the kernel's files have no symlinks here
			continue
		}
		l := f.locate("/" + strings.Join(cand, "/"))
		info, err := l.root.Lstat(l.rel)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			// A missing component or a plain file/dir: keep it, and let
			// the real operation report ENOENT/ENOTDIR.
			done = cand
			continue
		}
		links++
		if links > maxSymlinks {
			return "", &fs.PathError{Op: "lookup", Path: name, Err: syscall.ELOOP}
		}
		target, err := l.root.Readlink(l.rel)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) {
			done = nil
		}
		todo = append(splitPath(target), todo...)
	}
	return "/" + strings.Join(done, "/"), nil
}

func splitPath(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// fsys is a process's file system view: the rootfs, the volumes mounted
// on it, and a cwd. Every applet and the shell go through it, never
// through package os functions that take host paths.
type fsys struct {
	root   *os.Root
	mounts []mountPoint // longest target first
	dir    string       // the cwd, an absolute container path
	kfs    kernelFS     // serves /dev, /proc, /sys (kernelfs.go); nil: the rootfs does
	uid    int
}

func newFsys(p *Process) fsys {
	return fsys{root: p.Root, mounts: volumesOf(p.Sys), dir: absPath("/", p.Dir), kfs: kernelFSOf(p.Sys), uid: p.Uid}
}

// kernel says whether the resolved path abs is the kernel's to serve.
func (f fsys) kernel(abs string) bool { return f.kfs != nil && isKernelPath(abs) }

var errIsDir = syscall.EISDIR

// kernelPath is what at returns for a change under a kernel path: the
// operation goes to the kernel (kernelOp) instead of the rootfs.
type kernelPath struct{ abs string }

func (k *kernelPath) Error() string { return k.abs + " is the kernel's" }

// kernelResult is a kernel operation's answer as fsys returns it.
func kernelResult(op, name string, err error) error {
	if err != nil {
		return pathErr(op, name, err)
	}
	return nil
}

// kernelOp hands a change at a kernel path to the kernel: handled is true
// when err was a kernelPath, and then err is the kernel's answer.
func (f fsys) kernelOp(err error, op string) (handled bool, kerr error) {
	var kp *kernelPath
	if !errors.As(err, &kp) {
		return false, nil
	}
	return true, f.kfs.KernelChange(op, kp.abs)
}

// withDir is the same view from another cwd.
func (f fsys) withDir(dir string) fsys {
	f.dir = absPath("/", dir)
	return f
}

// pathErr rewrites an error to name the container path the user typed
// instead of the os.Root-relative one.
func pathErr(op, name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: op, Path: name, Err: pe.Err}
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return &fs.PathError{Op: op, Path: name, Err: le.Err}
	}
	return &fs.PathError{Op: op, Path: name, Err: err}
}

// at resolves name and says where it lives. write asks for a location
// that may be changed: a read-only volume gives EROFS.
func (f fsys) at(name string, follow, write bool) (loc, error) {
	abs, err := f.resolve(name, follow)
	if err != nil {
		return loc{}, err
	}
	if f.kernel(abs) {
		// Opens, stats and reads of the kernel's files took their own
		// way (kernelfs.go); readlink finds no symlink, and a change is
		// the kernel's to do or refuse (kernelOp).
		if !write {
			return loc{}, syscall.EINVAL
		}
		return loc{}, &kernelPath{abs: abs}
	}
	l := f.locate(abs)
	if write && l.readonly {
		return loc{}, syscall.EROFS
	}
	return l, nil
}

const writeFlags = os.O_WRONLY | os.O_RDWR | os.O_CREATE | os.O_TRUNC | os.O_APPEND

func (f fsys) OpenFile(name string, flag int, perm fs.FileMode) (vfile, error) {
	if abs, err := f.resolve(name, true); err == nil && f.kernel(abs) {
		file, err := f.kernelOpen(abs, flag)
		if err != nil {
			return nil, pathErr("open", name, err)
		}
		return file, nil
	}
	l, err := f.at(name, true, flag&writeFlags != 0)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	file, err := l.root.OpenFile(l.rel, flag, perm)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return file, nil
}

func (f fsys) Open(name string) (vfile, error) { return f.OpenFile(name, os.O_RDONLY, 0) }

// kernelStat is Stat and Lstat of a kernel path.
func (f fsys) kernelStat(op, name, abs string) (fs.FileInfo, error) {
	st, err := f.kfs.KernelStat(abs)
	if err != nil {
		return nil, pathErr(op, name, err)
	}
	return kernelInfo{st}, nil
}

func (f fsys) Stat(name string) (fs.FileInfo, error) {
	if abs, err := f.resolve(name, true); err == nil && f.kernel(abs) {
		return f.kernelStat("stat", name, abs)
	}
	l, err := f.at(name, true, false)
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	info, err := l.root.Stat(l.rel)
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	return info, nil
}

func (f fsys) Lstat(name string) (fs.FileInfo, error) {
	if abs, err := f.resolve(name, false); err == nil && f.kernel(abs) {
		return f.kernelStat("lstat", name, abs)
	}
	l, err := f.at(name, false, false)
	if err != nil {
		return nil, pathErr("lstat", name, err)
	}
	info, err := l.root.Lstat(l.rel)
	if err != nil {
		return nil, pathErr("lstat", name, err)
	}
	return info, nil
}

func (f fsys) ReadDir(name string) ([]fs.DirEntry, error) {
	d, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	ents, err := d.ReadDir(-1)
	if err != nil {
		return nil, pathErr("readdir", name, err)
	}
	sortEntries(ents)
	return ents, nil
}

func (f fsys) ReadFile(name string) ([]byte, error) {
	if abs, err := f.resolve(name, true); err == nil && f.kernel(abs) {
		file, err := f.kernelOpen(abs, os.O_RDONLY)
		if err != nil {
			return nil, pathErr("open", name, err)
		}
		defer file.Close()
		b, err := io.ReadAll(file)
		if err != nil {
			return nil, pathErr("read", name, err)
		}
		return b, nil
	}
	l, err := f.at(name, true, false)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	b, err := l.root.ReadFile(l.rel)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return b, nil
}

func (f fsys) Readlink(name string) (string, error) {
	l, err := f.at(name, false, false)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	t, err := l.root.Readlink(l.rel)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	return t, nil
}

func (f fsys) Mkdir(name string, perm fs.FileMode) error {
	l, err := f.at(name, false, true)
	if done, kerr := f.kernelOp(err, "mkdir"); done {
		return kernelResult("mkdir", name, kerr)
	}
	if err == nil {
		err = l.root.Mkdir(l.rel, perm)
	}
	if err != nil {
		return pathErr("mkdir", name, err)
	}
	return nil
}

// Remove is unlink/rmdir. The top of the rootfs or of a volume is busy.
func (f fsys) Remove(name string) error {
	l, err := f.at(name, false, true)
	if done, kerr := f.kernelOp(err, "remove"); done {
		return kernelResult("remove", name, kerr)
	}
	if err == nil {
		if l.rel == "." {
			err = syscall.EBUSY
		} else {
			err = l.root.Remove(l.rel)
		}
	}
	if err != nil {
		return pathErr("remove", name, err)
	}
	return nil
}

// RemoveAll is rm -r on one name (not followed if it is a symlink).
func (f fsys) RemoveAll(name string) error {
	l, err := f.at(name, false, true)
	if done, kerr := f.kernelOp(err, "remove"); done {
		return kernelResult("remove", name, kerr)
	}
	if err == nil {
		if l.rel == "." {
			err = syscall.EBUSY
		} else {
			err = l.root.RemoveAll(l.rel)
		}
	}
	if err != nil {
		return pathErr("remove", name, err)
	}
	return nil
}

func (f fsys) Symlink(target, name string) error {
	l, err := f.at(name, false, true)
	if done, kerr := f.kernelOp(err, "symlink"); done {
		return kernelResult("symlink", name, kerr)
	}
	if err == nil {
		err = l.root.Symlink(target, l.rel)
	}
	if err != nil {
		return pathErr("symlink", name, err)
	}
	return nil
}

// twoPlaces resolves the two names of link and rename, which must be on
// the same file system (rootfs or one volume), else EXDEV.
func (f fsys) twoPlaces(oldname, newname string, followOld bool) (loc, loc, error) {
	o, err := f.at(oldname, followOld, true)
	if err != nil {
		return loc{}, loc{}, err
	}
	n, err := f.at(newname, false, true)
	if err != nil {
		return loc{}, loc{}, err
	}
	if o.root != n.root {
		return loc{}, loc{}, syscall.EXDEV
	}
	return o, n, nil
}

func (f fsys) Link(oldname, newname string) error {
	o, n, err := f.twoPlaces(oldname, newname, true)
	if done, kerr := f.kernelOp(err, "link"); done {
		return kernelResult("link", newname, kerr)
	}
	if err == nil {
		err = o.root.Link(o.rel, n.rel)
	}
	if err != nil {
		return pathErr("link", newname, err)
	}
	return nil
}

func (f fsys) Rename(oldname, newname string) error {
	o, n, err := f.twoPlaces(oldname, newname, false)
	if done, kerr := f.kernelOp(err, "rename"); done {
		return kernelResult("rename", newname, kerr)
	}
	if err == nil {
		err = o.root.Rename(o.rel, n.rel)
	}
	if err != nil {
		return pathErr("rename", newname, err)
	}
	return nil
}

func (f fsys) Chmod(name string, mode fs.FileMode) error {
	l, err := f.at(name, true, true)
	if done, kerr := f.kernelOp(err, "chmod"); done {
		return kernelResult("chmod", name, kerr)
	}
	if err == nil {
		err = l.root.Chmod(l.rel, mode)
	}
	if err != nil {
		return pathErr("chmod", name, err)
	}
	return nil
}

func (f fsys) Chtimes(name string, atime, mtime time.Time) error {
	l, err := f.at(name, true, true)
	if done, kerr := f.kernelOp(err, "touch"); done {
		return kernelResult("touch", name, kerr)
	}
	if err == nil {
		err = l.root.Chtimes(l.rel, atime, mtime)
	}
	if err != nil {
		return pathErr("touch", name, err)
	}
	return nil
}

// errText is the C library's strerror text for err, as busybox prints it
// ("No such file or directory").
func errText(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// sortEntries orders a directory listing by name, as ls and globbing do
// (File.ReadDir returns directory order).
func sortEntries(ents []fs.DirEntry) {
	sort.Slice(ents, func(i, j int) bool { return ents[i].Name() < ents[j].Name() })
}
