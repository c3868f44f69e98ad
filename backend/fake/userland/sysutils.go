// Applets whose syscalls need a capability: mknod, chown, mount (book
// ch.14 §14.3 其他: what a container's root may and may not do). The
// kernel decides (the optional System methods of kernelfs.go): mknod
// needs CAP_MKNOD and the devices cgroup's "m", chown needs CAP_CHOWN,
// mount needs CAP_SYS_ADMIN. Messages are busybox's.
package userland

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"syscall"
)

func init() {
	register(mknodMain, "mknod")
	register(chownMain, "chown")
	register(mountMain, "mount")
}

// mknodMain is `mknod [-m MODE] NAME TYPE [MAJOR MINOR]`, TYPE b, c or u.
func mknodMain(p *Process) int {
	args := p.Args[1:]
	perm := fs.FileMode(0o666)
	if len(args) >= 2 && args[0] == "-m" {
		m, err := strconv.ParseUint(args[1], 8, 32)
		if err != nil {
			fmt.Fprintf(p.Stderr, "mknod: invalid mode '%s'\n", args[1])
			return 1
		}
		perm, args = fs.FileMode(m), args[2:]
	}
	if len(args) != 4 || (args[1] != "b" && args[1] != "c" && args[1] != "u") {
		fmt.Fprintln(p.Stderr, "BusyBox usage: mknod [-m MODE] NAME TYPE [MAJOR MINOR]")
		return 1
	}
	major, err1 := strconv.ParseInt(args[2], 10, 64)
	minor, err2 := strconv.ParseInt(args[3], 10, 64)
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		fmt.Fprintf(p.Stderr, "mknod: invalid number '%s'\n", args[2])
		return 1
	}
	typ := rune(args[1][0])
	if typ == 'u' {
		typ = 'c'
	}
	f := newFsys(p)
	k := f.kfs
	if k == nil {
		fmt.Fprintf(p.Stderr, "mknod: %s: Operation not permitted\n", args[0])
		return 1
	}
	abs, err := f.resolve(args[0], false)
	if err == nil {
		err = k.KernelMknod(abs, typ, major, minor, perm)
	}
	if err != nil {
		fmt.Fprintf(p.Stderr, "mknod: %s: %s\n", args[0], errText(err))
		return 1
	}
	return 0
}

// chownMain is `chown [-R] USER[:GROUP] FILE...`. With CAP_CHOWN the
// fake asks the host to change the owner; a host that will not (the fake
// runs without root) leaves it as it was: the decision is the kernel's,
// the owner shown is the host file's (docs/divergences.md).
func chownMain(p *Process) int {
	args := p.Args[1:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		args = args[1:] // -R, -h: accepted, the check is the same
	}
	if len(args) < 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: chown [-RhLHPcvf]... USER[:[GRP]] FILE...")
		return 1
	}
	user, group, _ := strings.Cut(args[0], ":")
	uid, ok := ownerID(p, "/etc/passwd", user)
	if !ok {
		fmt.Fprintf(p.Stderr, "chown: unknown user %s\n", user)
		return 1
	}
	gid, ok := ownerID(p, "/etc/group", group)
	if !ok {
		fmt.Fprintf(p.Stderr, "chown: unknown group %s\n", group)
		return 1
	}
	f := newFsys(p)
	status := 0
	for _, name := range args[1:] {
		if err := f.Chown(name, uid, gid, p.Uid); err != nil {
			fmt.Fprintf(p.Stderr, "chown: %s: %s\n", name, errText(err))
			status = 1
		}
	}
	return status
}

// Chown is chown(2): the file must exist; changing the owner needs
// CAP_CHOWN (and, for a user other than root, to own the file and keep it).
func (f fsys) Chown(name string, uid, gid, caller int) error {
	info, err := f.Stat(name)
	if err != nil {
		return err
	}
	owner, _, _ := fileOwner(info)
	allowed := f.kfs == nil || f.kfs.Capable("CHOWN")
	if !allowed && caller != 0 && caller == owner && (uid == -1 || uid == owner) {
		allowed = true // an owner may change the group to one of its own; the fake does not check which
	}
	if !allowed {
		return pathErr("chown", name, syscall.EPERM)
	}
	l, err := f.at(name, true, true)
	if done, kerr := f.kernelOp(err, "chown"); done {
		return kernelResult("chown", name, kerr)
	}
	if err != nil {
		return pathErr("chown", name, err)
	}
	if err := l.root.Lchown(l.rel, uid, gid); err != nil && !errors.Is(err, syscall.EPERM) {
		return pathErr("chown", name, err)
	}
	return nil
}

// mountMain is `mount [-t TYPE] [-o OPTS] SOURCE TARGET`. Without
// CAP_SYS_ADMIN the kernel says EPERM and busybox asks whether you are
// root. With it, the fake still mounts nothing inside a container
// (docs/divergences.md): ENOSYS.
func mountMain(p *Process) int {
	var rest []string
	args := p.Args[1:]
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-t" || a == "-o":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) == 0 {
		return 0 // busybox lists /proc/mounts; the fake's containers show none
	}
	if len(rest) != 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: mount [OPTIONS] [-o OPT] DEVICE NODE")
		return 1
	}
	k := kernelFSOf(p.Sys)
	if k == nil || !k.Capable("SYS_ADMIN") {
		fmt.Fprintln(p.Stderr, "mount: permission denied (are you root?)")
		return 1
	}
	fmt.Fprintf(p.Stderr, "mount: mounting %s on %s failed: %s\n", rest[0], rest[1], errText(syscall.ENOSYS))
	return 255
}

// ownerID reads a user or group as a number or a name of the rootfs's
// passwd or group file; "" is -1 (leave as is).
func ownerID(p *Process, file, name string) (int, bool) {
	if name == "" {
		return -1, true
	}
	if n, err := strconv.Atoi(name); err == nil {
		return n, true
	}
	for _, a := range readAccounts(p, file) {
		if a.name == name {
			return a.id, true
		}
	}
	return 0, false
}
