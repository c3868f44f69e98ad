// The container's view of its files: paths resolved the way the kernel
// resolves them after chroot/pivot_root (book ch.14 §14.3, pivot_root; note
// 003 mount namespaces), every access confined to Process.Root.
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
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"syscall"
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

// rootRel turns a clean absolute container path into the name os.Root
// wants: relative, "." for the top.
func rootRel(abs string) string {
	rel := strings.TrimPrefix(path.Clean("/"+abs), "/")
	if rel == "" {
		return "."
	}
	return rel
}

// resolve returns the symlink-free os.Root name of the container path name
// (relative to cwd dir). With follow false the last component is left as
// it is, as lstat, unlink and readlink want. Components that do not exist
// are kept as they are, so that the caller's operation fails (or creates
// them) with the right errno.
func resolve(root *os.Root, dir, name string, follow bool) (string, error) {
	if name == "" {
		return "", &fs.PathError{Op: "lookup", Path: name, Err: syscall.ENOENT}
	}
	todo := splitPath(absPath(dir, name))
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
		rel := rootRel(strings.Join(cand, "/"))
		info, err := root.Lstat(rel)
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
		target, err := root.Readlink(rel)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) {
			done = nil
		}
		todo = append(splitPath(target), todo...)
	}
	return rootRel(strings.Join(done, "/")), nil
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

// fsys is a process's file system view: the rootfs and a cwd inside it.
// Every applet and the shell go through it, never through package os
// functions that take host paths.
type fsys struct {
	root *os.Root
	dir  string // the cwd, an absolute container path
}

func newFsys(p *Process) fsys { return fsys{root: p.Root, dir: absPath("/", p.Dir)} }

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

func (f fsys) at(name string, follow bool) (string, error) {
	return resolve(f.root, f.dir, name, follow)
}

func (f fsys) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	rel, err := f.at(name, true)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	file, err := f.root.OpenFile(rel, flag, perm)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return file, nil
}

func (f fsys) Open(name string) (*os.File, error) { return f.OpenFile(name, os.O_RDONLY, 0) }

func (f fsys) Stat(name string) (fs.FileInfo, error) {
	rel, err := f.at(name, true)
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	info, err := f.root.Stat(rel)
	if err != nil {
		return nil, pathErr("stat", name, err)
	}
	return info, nil
}

func (f fsys) Lstat(name string) (fs.FileInfo, error) {
	rel, err := f.at(name, false)
	if err != nil {
		return nil, pathErr("lstat", name, err)
	}
	info, err := f.root.Lstat(rel)
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
	rel, err := f.at(name, true)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	b, err := f.root.ReadFile(rel)
	if err != nil {
		return nil, pathErr("open", name, err)
	}
	return b, nil
}

func (f fsys) Readlink(name string) (string, error) {
	rel, err := f.at(name, false)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	t, err := f.root.Readlink(rel)
	if err != nil {
		return "", pathErr("readlink", name, err)
	}
	return t, nil
}

func (f fsys) Mkdir(name string, perm fs.FileMode) error {
	rel, err := f.at(name, false)
	if err == nil {
		err = f.root.Mkdir(rel, perm)
	}
	if err != nil {
		return pathErr("mkdir", name, err)
	}
	return nil
}

func (f fsys) Remove(name string) error {
	rel, err := f.at(name, false)
	if err == nil {
		if rel == "." {
			err = syscall.EBUSY
		} else {
			err = f.root.Remove(rel)
		}
	}
	if err != nil {
		return pathErr("remove", name, err)
	}
	return nil
}

func (f fsys) Symlink(target, name string) error {
	rel, err := f.at(name, false)
	if err == nil {
		err = f.root.Symlink(target, rel)
	}
	if err != nil {
		return pathErr("symlink", name, err)
	}
	return nil
}

func (f fsys) Link(oldname, newname string) error {
	oldRel, err := f.at(oldname, true)
	if err != nil {
		return pathErr("link", oldname, err)
	}
	newRel, err := f.at(newname, false)
	if err == nil {
		err = f.root.Link(oldRel, newRel)
	}
	if err != nil {
		return pathErr("link", newname, err)
	}
	return nil
}

func (f fsys) Rename(oldname, newname string) error {
	oldRel, err := f.at(oldname, false)
	if err != nil {
		return pathErr("rename", oldname, err)
	}
	newRel, err := f.at(newname, false)
	if err == nil {
		err = f.root.Rename(oldRel, newRel)
	}
	if err != nil {
		return pathErr("rename", newname, err)
	}
	return nil
}

func (f fsys) Chmod(name string, mode fs.FileMode) error {
	rel, err := f.at(name, true)
	if err == nil {
		err = f.root.Chmod(rel, mode)
	}
	if err != nil {
		return pathErr("chmod", name, err)
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
