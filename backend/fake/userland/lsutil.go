// ls: listing the rootfs (docs/design.md "The backend": simulated busybox
// applets). Output is busybox's when stdout is not a terminal: one name a
// line, or with -l
//
//	-rw-r--r--    1 root     root           123 Nov 22 21:53 file
//	lrwxrwxrwx    1 root     root             7 Nov 22 21:53 sh -> busybox
//
// Owners are named from the rootfs's /etc/passwd and /etc/group.
package userland

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

func init() { register(lsMain, "ls") }

type lsOptions struct {
	long, all, almostAll, dirSelf, classify, recursive, inode bool
}

func lsMain(p *Process) int {
	var o lsOptions
	var names []string
	for _, a := range p.Args[1:] {
		if len(a) < 2 || a[0] != '-' {
			names = append(names, a)
			continue
		}
		for _, c := range a[1:] {
			switch c {
			case 'l':
				o.long = true
			case 'a':
				o.all = true
			case 'A':
				o.almostAll = true
			case 'd':
				o.dirSelf = true
			case 'F':
				o.classify = true
			case 'R':
				o.recursive = true
			case '1', 'h', 'n':
			default:
				fmt.Fprintf(p.Stderr, "ls: invalid option -- '%c'\n", c)
				return 1
			}
		}
	}
	if len(names) == 0 {
		names = []string{"."}
	}
	l := &lister{p: p, f: newFsys(p), o: o,
		users: readAccounts(p, "/etc/passwd"), groups: readAccounts(p, "/etc/group")}
	// Files named on the command line first, then directories, as ls does.
	var dirs []string
	for _, n := range names {
		info, err := l.f.Lstat(n)
		if err == nil && info.Mode()&fs.ModeSymlink != 0 && !o.long {
			if t, terr := l.f.Stat(n); terr == nil {
				info = t
			}
		}
		if err != nil {
			fmt.Fprintf(p.Stderr, "ls: %s: %s\n", n, errText(err))
			l.failed = true
			continue
		}
		if info.IsDir() && !o.dirSelf {
			dirs = append(dirs, n)
			continue
		}
		l.entry(n, n, info)
	}
	for i, d := range dirs {
		if len(names) > 1 || o.recursive {
			if i > 0 || len(dirs) < len(names) {
				fmt.Fprintln(p.Stdout)
			}
			fmt.Fprintf(p.Stdout, "%s:\n", d)
		}
		l.dir(d)
	}
	return boolExit(!l.failed)
}

type lister struct {
	p             *Process
	f             fsys
	o             lsOptions
	users, groups []account
	failed        bool
}

func (l *lister) dir(d string) {
	ents, err := l.f.ReadDir(d)
	if err != nil {
		fmt.Fprintf(l.p.Stderr, "ls: can't open '%s': %s\n", d, errText(err))
		l.failed = true
		return
	}
	type item struct {
		name, full string
		info       fs.FileInfo
	}
	var items []item
	if l.o.all {
		for _, dot := range []string{".", ".."} {
			if info, err := l.f.Stat(path.Join(d, dot)); err == nil {
				items = append(items, item{dot, path.Join(d, dot), info})
			}
		}
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") && !l.o.all && !l.o.almostAll {
			continue
		}
		full := path.Join(d, e.Name())
		if info, err := l.f.Lstat(full); err == nil {
			items = append(items, item{e.Name(), full, info})
		}
	}
	if l.o.long {
		var kb int64
		for _, it := range items {
			kb += fileKB(it.info)
		}
		fmt.Fprintf(l.p.Stdout, "total %d\n", kb)
	}
	var subdirs []string
	for _, it := range items {
		l.entry(it.name, it.full, it.info)
		if it.info.IsDir() && l.o.recursive && it.name != "." && it.name != ".." {
			subdirs = append(subdirs, it.full)
		}
	}
	for _, s := range subdirs {
		fmt.Fprintf(l.p.Stdout, "\n%s:\n", s)
		l.dir(s)
	}
}

func (l *lister) entry(name, full string, info fs.FileInfo) {
	suffix := ""
	if l.o.classify {
		suffix = classifyMark(info)
	}
	if !l.o.long {
		fmt.Fprintln(l.p.Stdout, name+suffix)
		return
	}
	uid, gid, _ := fileOwner(info)
	user, ok := lookupName(l.users, uid)
	if !ok {
		user = strconv.Itoa(uid)
	}
	group, ok := lookupName(l.groups, gid)
	if !ok {
		group = strconv.Itoa(gid)
	}
	line := fmt.Sprintf("%s %4d %-8.8s %-8.8s %9d %s %s", modeString(info.Mode()), fileLinks(info),
		user, group, info.Size(), lsTime(info.ModTime()), name)
	if info.Mode()&fs.ModeSymlink != 0 {
		if t, err := l.f.Readlink(full); err == nil {
			line += " -> " + t
		}
	}
	fmt.Fprintln(l.p.Stdout, line+suffix)
}

// lsTime is "Nov 22 21:53", or "Nov 22  2025" for a time more than six
// months away.
func lsTime(t time.Time) string {
	if d := time.Since(t); d > 182*24*time.Hour || d < -182*24*time.Hour {
		return t.Format("Jan _2  2006")
	}
	return t.Format("Jan _2 15:04")
}

func classifyMark(info fs.FileInfo) string {
	m := info.Mode()
	switch {
	case m.IsDir():
		return "/"
	case m&fs.ModeSymlink != 0:
		return "@"
	case m&fs.ModeNamedPipe != 0:
		return "|"
	case m&fs.ModeSocket != 0:
		return "="
	case m.Perm()&0o111 != 0:
		return "*"
	}
	return ""
}

// modeString is ls's ten-character mode, e.g. "drwxr-xr-x",
// "lrwxrwxrwx", "-rwsr-xr-x".
func modeString(m fs.FileMode) string {
	b := []byte("----------")
	switch {
	case m.IsDir():
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	}
	const rwx = "rwxrwxrwx"
	for i := 0; i < 9; i++ {
		if m.Perm()&(1<<uint(8-i)) != 0 {
			b[i+1] = rwx[i]
		}
	}
	special := func(i int, set bool, upper, lower byte) {
		if !set {
			return
		}
		if b[i] == '-' {
			b[i] = upper
		} else {
			b[i] = lower
		}
	}
	special(3, m&fs.ModeSetuid != 0, 'S', 's')
	special(6, m&fs.ModeSetgid != 0, 'S', 's')
	special(9, m&fs.ModeSticky != 0, 'T', 't')
	return string(b)
}
