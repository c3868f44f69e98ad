// Applets that change the rootfs: touch, mkdir, rm, cp, mv, ln, chmod
// (docs/design.md "The backend": simulated busybox applets). Every path goes
// through fsys (rootfs.go), so these can only ever change the container's
// files. Messages follow busybox: "mkdir: can't create directory 'x':
// File exists".
package userland

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func init() {
	register(touchMain, "touch")
	register(mkdirMain, "mkdir")
	register(rmMain, "rm")
	register(cpMain, "cp")
	register(mvMain, "mv")
	register(lnMain, "ln")
	register(chmodMain, "chmod")
}

// flagsAndArgs splits "-abc" style flags (as a set) from operands.
func flagsAndArgs(args []string) (map[rune]bool, []string) {
	flags := map[rune]bool{}
	var rest []string
	for i, a := range args {
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			for _, c := range a[1:] {
				flags[c] = true
			}
			continue
		}
		rest = append(rest, a)
	}
	return flags, rest
}

func touchMain(p *Process) int {
	flags, names := flagsAndArgs(p.Args[1:])
	f := newFsys(p)
	code := 0
	now := time.Now()
	for _, n := range names {
		if _, err := f.Stat(n); errors.Is(err, fs.ErrNotExist) {
			if flags['c'] {
				continue
			}
			file, err := f.OpenFile(n, os.O_CREATE|os.O_WRONLY, 0o666)
			if err != nil {
				fmt.Fprintf(p.Stderr, "touch: %s: %s\n", n, errText(err))
				code = 1
				continue
			}
			file.Close()
			continue
		}
		if err := f.Chtimes(n, now, now); err != nil {
			fmt.Fprintf(p.Stderr, "touch: %s: %s\n", n, errText(err))
			code = 1
		}
	}
	return code
}

func mkdirMain(p *Process) int {
	args := p.Args[1:]
	mode := fs.FileMode(0o777)
	parents := false
	var names []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-p":
			parents = true
		case a == "-m" && i+1 < len(args):
			m, err := strconv.ParseUint(args[i+1], 8, 32)
			if err != nil {
				fmt.Fprintf(p.Stderr, "mkdir: invalid mode '%s'\n", args[i+1])
				return 1
			}
			mode = fs.FileMode(m)
			i++
		default:
			names = append(names, a)
		}
	}
	if len(names) == 0 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: mkdir [-m MODE] [-p] DIRECTORY...")
		return 1
	}
	f := newFsys(p)
	code := 0
	for _, n := range names {
		var err error
		if parents {
			err = mkdirAll(f, n, mode)
		} else {
			err = f.Mkdir(n, mode)
		}
		if err != nil {
			fmt.Fprintf(p.Stderr, "mkdir: can't create directory '%s': %s\n", n, errText(err))
			code = 1
		}
	}
	return code
}

// mkdirAll makes each missing directory of n, following symlinks of the
// existing part inside the rootfs.
func mkdirAll(f fsys, n string, mode fs.FileMode) error {
	abs := absPath(f.dir, n)
	cur := "/"
	for _, c := range splitPath(abs) {
		cur = path.Join(cur, c)
		info, err := f.Stat(cur)
		if err == nil {
			if !info.IsDir() {
				return &fs.PathError{Op: "mkdir", Path: cur, Err: errNotDir}
			}
			continue
		}
		if err := f.Mkdir(cur, mode); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
}

func rmMain(p *Process) int {
	flags, names := flagsAndArgs(p.Args[1:])
	recursive, force := flags['r'] || flags['R'], flags['f']
	if len(names) == 0 && !force {
		fmt.Fprintln(p.Stderr, "BusyBox usage: rm [-irf] FILE...")
		return 1
	}
	f := newFsys(p)
	code := 0
	for _, n := range names {
		info, err := f.Lstat(n)
		if err != nil {
			if !force {
				fmt.Fprintf(p.Stderr, "rm: can't remove '%s': %s\n", n, errText(err))
				code = 1
			}
			continue
		}
		if info.IsDir() {
			if !recursive {
				fmt.Fprintf(p.Stderr, "rm: '%s' is a directory\n", n)
				code = 1
				continue
			}
			if absPath(f.dir, n) == "/" {
				fmt.Fprintln(p.Stderr, "rm: can't remove '/'")
				code = 1
				continue
			}
			if err := f.RemoveAll(n); err != nil {
				fmt.Fprintf(p.Stderr, "rm: can't remove '%s': %s\n", n, errText(err))
				code = 1
			}
			continue
		}
		if err := f.Remove(n); err != nil {
			fmt.Fprintf(p.Stderr, "rm: can't remove '%s': %s\n", n, errText(err))
			code = 1
		}
	}
	return code
}

// destination is where SRC goes for cp/mv/ln: into DST when DST is a
// directory (or when there are several sources), else DST itself.
func destination(f fsys, src, dst string, many bool) string {
	if info, err := f.Stat(dst); (err == nil && info.IsDir()) || many {
		return path.Join(dst, path.Base(src))
	}
	return dst
}

func needTwo(p *Process, names []string, usage string) bool {
	if len(names) < 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: "+usage)
		return false
	}
	return true
}

func cpMain(p *Process) int {
	flags, names := flagsAndArgs(p.Args[1:])
	if !needTwo(p, names, "cp [-arRfp] SOURCE... DEST") {
		return 1
	}
	recursive := flags['r'] || flags['R'] || flags['a']
	f := newFsys(p)
	srcs, dst := names[:len(names)-1], names[len(names)-1]
	code := 0
	for _, s := range srcs {
		target := destination(f, s, dst, len(srcs) > 1)
		if err := copyTree(p, f, s, target, recursive); err != nil {
			fmt.Fprintf(p.Stderr, "cp: %v\n", err)
			code = 1
		}
	}
	return code
}

func copyTree(p *Process, f fsys, src, dst string, recursive bool) error {
	var info fs.FileInfo
	var err error
	if recursive {
		info, err = f.Lstat(src)
	} else {
		info, err = f.Stat(src)
	}
	if err != nil {
		return fmt.Errorf("can't stat '%s': %s", src, errText(err))
	}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		t, err := f.Readlink(src)
		if err == nil {
			err = f.Symlink(t, dst)
		}
		if err != nil {
			return fmt.Errorf("can't create symlink '%s': %s", dst, errText(err))
		}
	case info.IsDir():
		if !recursive {
			return fmt.Errorf("omitting directory '%s'", src)
		}
		if err := f.Mkdir(dst, info.Mode().Perm()); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("can't create directory '%s': %s", dst, errText(err))
		}
		ents, err := f.ReadDir(src)
		if err != nil {
			return fmt.Errorf("can't open '%s': %s", src, errText(err))
		}
		for _, e := range ents {
			if err := copyTree(p, f, path.Join(src, e.Name()), path.Join(dst, e.Name()), true); err != nil {
				return err
			}
		}
	default:
		in, err := f.Open(src)
		if err != nil {
			return fmt.Errorf("can't open '%s': %s", src, errText(err))
		}
		defer in.Close()
		out, err := f.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return fmt.Errorf("can't create '%s': %s", dst, errText(err))
		}
		defer out.Close()
		if err := copyChecked(p, out, in); err != nil {
			return fmt.Errorf("error writing '%s': %s", dst, errText(err))
		}
	}
	return nil
}

func mvMain(p *Process) int {
	_, names := flagsAndArgs(p.Args[1:])
	if !needTwo(p, names, "mv [-fin] SOURCE... DEST") {
		return 1
	}
	f := newFsys(p)
	srcs, dst := names[:len(names)-1], names[len(names)-1]
	code := 0
	for _, s := range srcs {
		target := destination(f, s, dst, len(srcs) > 1)
		err := f.Rename(s, target)
		if errors.Is(err, syscall.EXDEV) {
			// Across file systems (rootfs and a volume): copy, then
			// remove, as mv does.
			if err = copyTree(p, f, s, target, true); err == nil {
				err = f.RemoveAll(s)
			}
		}
		if err != nil {
			fmt.Fprintf(p.Stderr, "mv: can't rename '%s': %s\n", s, errText(err))
			code = 1
		}
	}
	return code
}

func lnMain(p *Process) int {
	flags, names := flagsAndArgs(p.Args[1:])
	if len(names) == 1 {
		names = append(names, path.Base(names[0]))
	}
	if !needTwo(p, names, "ln [-sfn] TARGET... LINK|DIR") {
		return 1
	}
	f := newFsys(p)
	targets, dst := names[:len(names)-1], names[len(names)-1]
	code := 0
	for _, t := range targets {
		link := dst
		if info, err := f.Stat(dst); (err == nil && info.IsDir() && !flags['n']) || len(targets) > 1 {
			link = path.Join(dst, path.Base(t))
		}
		if flags['f'] {
			f.Remove(link)
		}
		var err error
		if flags['s'] {
			err = f.Symlink(t, link)
		} else {
			err = f.Link(t, link)
		}
		if err != nil {
			fmt.Fprintf(p.Stderr, "ln: %s: %s\n", link, errText(err))
			code = 1
		}
	}
	return code
}

// chmodMain takes an octal mode or symbolic clauses like u+x,go-w,a=r.
func chmodMain(p *Process) int {
	args := p.Args[1:]
	recursive := false
	if len(args) > 0 && args[0] == "-R" {
		recursive, args = true, args[1:]
	}
	if len(args) < 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: chmod [-R] MODE[,MODE]... FILE...")
		return 1
	}
	spec := args[0]
	f := newFsys(p)
	code := 0
	var apply func(n string)
	apply = func(n string) {
		info, err := f.Stat(n)
		if err != nil {
			fmt.Fprintf(p.Stderr, "chmod: %s: %s\n", n, errText(err))
			code = 1
			return
		}
		mode, ok := applyMode(info.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky), spec)
		if !ok {
			fmt.Fprintf(p.Stderr, "chmod: invalid mode '%s'\n", spec)
			code = 1
			return
		}
		if err := f.Chmod(n, mode); err != nil {
			fmt.Fprintf(p.Stderr, "chmod: %s: %s\n", n, errText(err))
			code = 1
		}
		if recursive && info.IsDir() {
			ents, _ := f.ReadDir(n)
			for _, e := range ents {
				apply(path.Join(n, e.Name()))
			}
		}
	}
	for _, n := range args[1:] {
		apply(n)
	}
	return code
}

func applyMode(cur fs.FileMode, spec string) (fs.FileMode, bool) {
	if v, err := strconv.ParseUint(spec, 8, 32); err == nil {
		m := fs.FileMode(v & 0o777)
		if v&0o4000 != 0 {
			m |= fs.ModeSetuid
		}
		if v&0o2000 != 0 {
			m |= fs.ModeSetgid
		}
		if v&0o1000 != 0 {
			m |= fs.ModeSticky
		}
		return m, true
	}
	for _, clause := range strings.Split(spec, ",") {
		i := strings.IndexAny(clause, "+-=")
		if i < 0 {
			return cur, false
		}
		who, op, perms := clause[:i], clause[i], clause[i+1:]
		if who == "" || who == "a" {
			who = "ugo"
		}
		var bits fs.FileMode
		for _, c := range perms {
			var b fs.FileMode
			switch c {
			case 'r':
				b = 4
			case 'w':
				b = 2
			case 'x':
				b = 1
			default:
				return cur, false
			}
			for _, w := range who {
				switch w {
				case 'u':
					bits |= b << 6
				case 'g':
					bits |= b << 3
				case 'o':
					bits |= b
				default:
					return cur, false
				}
			}
		}
		switch op {
		case '+':
			cur |= bits
		case '-':
			cur &^= bits
		case '=':
			var mask fs.FileMode
			for _, w := range who {
				mask |= map[rune]fs.FileMode{'u': 0o700, 'g': 0o070, 'o': 0o007}[w]
			}
			cur = cur&^mask | bits
		}
	}
	return cur, true
}

var errNotDir = syscall.ENOTDIR
