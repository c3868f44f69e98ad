// The files the fake kernel serves to a container: its /dev (the nodes of
// its mount namespace), /proc (status with the capability sets, a few
// sysctls, sysrq-trigger, kcore) and /sys (book ch.14 §14.3 挂载 and 其他;
// backend/fake/userland/kernelfs.go is the other half). Every decision is
// the kernel's: EPERM from the devices cgroup or a missing capability,
// ENXIO for a device number without a driver, EROFS under a read-only
// mount, EACCES where sysfs refuses to create files.
package fake

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake/userland"
)

// kernelSysctls are the global kernel.* keys the fake has (hostname and
// domainname are the UTS namespace's; net.* the network namespace's).
var kernelSysctls = map[string]string{
	"ostype": "Linux", "osrelease": "6.1.0-fake", "panic": "0",
	"cap_last_cap": strconv.Itoa(fakeLastCap), "dmesg_restrict": "1",
}

// restrictedProc are RestrictSys's read-only /proc paths.
var restrictedProc = []string{"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus"}

func under(abs, top string) bool { return abs == top || strings.HasPrefix(abs, top+"/") }

// kfsOp runs fn on the caller's record and its mount namespace.
func (s *system) kfsOp(op string, write bool, fn func(m *machine, me *procRec, mnt *mountNS) error) error {
	return s.self(op, write, func(m *machine, me *procRec) error {
		mnt := m.MountNS[me.MntNS]
		if mnt == nil {
			mnt = &mountNS{Nodes: map[string]backend.Device{}}
		}
		return fn(m, me, mnt)
	})
}

func dirStat(name string) userland.KernelStat {
	return userland.KernelStat{Name: name, Mode: fs.ModeDir | 0o555}
}

func fileStat(name string, perm fs.FileMode) userland.KernelStat {
	return userland.KernelStat{Name: name, Mode: perm}
}

func nodeStat(d backend.Device) userland.KernelStat {
	mode := fs.ModeDevice | fs.FileMode(d.FileMode&0o777)
	if d.Type == 'c' {
		mode |= fs.ModeCharDevice
	}
	return userland.KernelStat{Name: path.Base(d.Path), Mode: mode, Major: d.Major, Minor: d.Minor}
}

// procPid resolves /proc/self and /proc/<pid> (a pid of the caller's PID
// namespace) to a process record.
func procPid(m *machine, me *procRec, name string) (*procRec, bool) {
	if name == "self" {
		return me, true
	}
	n, err := strconv.Atoi(name)
	if err != nil {
		return nil, false
	}
	for _, rec := range m.Procs {
		if pid, ok := visible(me.PidNS, rec); ok && pid == n {
			return rec, true
		}
	}
	return nil, false
}

// lookup answers stat for a kernel path.
func lookup(m *machine, me *procRec, mnt *mountNS, abs string) (userland.KernelStat, error) {
	name := path.Base(abs)
	enoent := backend.ErrnoError(syscall.ENOENT, "stat", abs)
	switch {
	case abs == "/dev" || abs == "/proc" || abs == "/sys":
		return dirStat(name), nil
	case abs == "/dev/pts" || abs == "/dev/shm":
		return dirStat(name), nil
	case under(abs, "/dev"):
		if d, ok := mnt.Nodes[abs]; ok {
			return nodeStat(d), nil
		}
		for p := range mnt.Nodes {
			if strings.HasPrefix(p, abs+"/") {
				return dirStat(name), nil // /dev/net of /dev/net/tun
			}
		}
		return userland.KernelStat{}, enoent
	case under(abs, "/sys"):
		for _, d := range sysDirs {
			if abs == d {
				return dirStat(name), nil
			}
		}
		return userland.KernelStat{}, enoent
	}
	// /proc
	parts := strings.Split(strings.TrimPrefix(abs, "/proc/"), "/")
	switch parts[0] {
	case "sys":
		if key, dir, ok := sysctlKey(abs); ok {
			if dir {
				return dirStat(name), nil
			}
			if _, err := sysctlRead(m, me, key); err == nil {
				return fileStat(name, 0o644), nil
			}
		}
		return userland.KernelStat{}, enoent
	case "sysrq-trigger":
		if len(parts) == 1 {
			return fileStat(name, 0o200), nil
		}
	case "kcore":
		if len(parts) == 1 {
			return fileStat(name, 0o400), nil
		}
	case "irq", "bus":
		if len(parts) == 1 {
			return dirStat(name), nil
		}
	default:
		if _, ok := procPid(m, me, parts[0]); ok {
			switch {
			case len(parts) == 1:
				return dirStat(name), nil
			case len(parts) == 2 && parts[1] == "status":
				return fileStat(name, 0o444), nil
			}
		}
	}
	return userland.KernelStat{}, enoent
}

// sysDirs are the directories of the fake's /sys.
var sysDirs = []string{"/sys/class", "/sys/class/net", "/sys/devices", "/sys/fs", "/sys/fs/cgroup", "/sys/kernel"}

// sysctlKey maps /proc/sys/a/b/c to "a.b.c"; dir says it is a directory
// (/proc/sys, /proc/sys/kernel, /proc/sys/net, /proc/sys/net/ipv4).
func sysctlKey(abs string) (key string, dir bool, ok bool) {
	switch abs {
	case "/proc/sys", "/proc/sys/kernel", "/proc/sys/net", "/proc/sys/net/ipv4":
		return "", true, true
	}
	rest, ok := strings.CutPrefix(abs, "/proc/sys/")
	if !ok {
		return "", false, false
	}
	return strings.ReplaceAll(rest, "/", "."), false, true
}

// sysctlRead reads one key as the caller sees it.
func sysctlRead(m *machine, me *procRec, key string) (string, error) {
	switch {
	case key == "kernel.hostname":
		return m.Hostnames[me.UTS], nil
	case key == "kernel.domainname":
		return "(none)", nil
	case strings.HasPrefix(key, "kernel."):
		if v, ok := kernelSysctls[strings.TrimPrefix(key, "kernel.")]; ok {
			return v, nil
		}
	case strings.HasPrefix(key, "net."):
		if ns, ok := m.Namespaces[me.NetNS]; ok {
			if v, ok := ns.Sysctl[key]; ok {
				return v, nil
			}
		}
	}
	return "", backend.ErrnoError(syscall.ENOENT, "open", "/proc/sys/"+strings.ReplaceAll(key, ".", "/"))
}

// KernelStat is stat(2) of a kernel path.
func (s *system) KernelStat(abs string) (userland.KernelStat, error) {
	var st userland.KernelStat
	err := s.kfsOp("stat", false, func(m *machine, me *procRec, mnt *mountNS) error {
		var err error
		st, err = lookup(m, me, mnt, abs)
		return err
	})
	return st, err
}

// KernelReadDir lists a kernel directory.
func (s *system) KernelReadDir(abs string) ([]userland.KernelStat, error) {
	var out []userland.KernelStat
	err := s.kfsOp("readdir", false, func(m *machine, me *procRec, mnt *mountNS) error {
		st, err := lookup(m, me, mnt, abs)
		if err != nil {
			return err
		}
		if !st.Mode.IsDir() {
			return backend.ErrnoError(syscall.ENOTDIR, "readdir", abs)
		}
		seen := map[string]bool{}
		add := func(child string) {
			name := path.Base(child)
			if seen[name] {
				return
			}
			if cst, err := lookup(m, me, mnt, child); err == nil {
				seen[name] = true
				out = append(out, cst)
			}
		}
		switch {
		case abs == "/dev":
			add("/dev/pts")
			add("/dev/shm")
			for p := range mnt.Nodes {
				if rest, ok := strings.CutPrefix(p, "/dev/"); ok {
					first, _, _ := strings.Cut(rest, "/")
					add("/dev/" + first)
				}
			}
		case under(abs, "/dev"):
			for p := range mnt.Nodes {
				if rest, ok := strings.CutPrefix(p, abs+"/"); ok {
					first, _, _ := strings.Cut(rest, "/")
					add(abs + "/" + first)
				}
			}
		case abs == "/sys" || under(abs, "/sys"):
			for _, d := range sysDirs {
				if path.Dir(d) == abs {
					add(d)
				}
			}
		case abs == "/proc":
			for _, n := range []string{"bus", "irq", "kcore", "self", "sys", "sysrq-trigger"} {
				add("/proc/" + n)
			}
			for _, rec := range m.Procs {
				if pid, ok := visible(me.PidNS, rec); ok {
					add("/proc/" + strconv.Itoa(pid))
				}
			}
		case abs == "/proc/sys":
			add("/proc/sys/kernel")
			add("/proc/sys/net")
		case abs == "/proc/sys/net":
			add("/proc/sys/net/ipv4")
		case abs == "/proc/sys/net/ipv4":
			if ns, ok := m.Namespaces[me.NetNS]; ok {
				for k := range ns.Sysctl {
					if rest, ok := strings.CutPrefix(k, "net.ipv4."); ok && !strings.Contains(rest, ".") {
						add("/proc/sys/net/ipv4/" + rest)
					}
				}
			}
		case abs == "/proc/sys/kernel":
			add("/proc/sys/kernel/hostname")
			add("/proc/sys/kernel/domainname")
			for k := range kernelSysctls {
				add("/proc/sys/kernel/" + k)
			}
		default:
			if strings.Count(abs, "/") == 2 { // /proc/<pid>
				add(abs + "/status")
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// readOnly says whether a change at abs meets a read-only mount.
func readOnly(mnt *mountNS, abs string) bool {
	if under(abs, "/sys") {
		return !mnt.SysRW
	}
	if mnt.RestrictSys {
		for _, p := range restrictedProc {
			if under(abs, p) {
				return true
			}
		}
	}
	return false
}

// KernelOpen is open(2) of a kernel file.
func (s *system) KernelOpen(abs string, flag int, uid int) (userland.KernelFile, error) {
	write := flag&(os.O_WRONLY|os.O_RDWR|os.O_APPEND|os.O_TRUNC) != 0
	read := flag&os.O_WRONLY == 0
	var file userland.KernelFile
	err := s.kfsOp("open", flag&os.O_CREATE != 0, func(m *machine, me *procRec, mnt *mountNS) error {
		st, err := lookup(m, me, mnt, abs)
		if err != nil {
			if flag&os.O_CREATE == 0 {
				return err
			}
			// Creating a file: a read-only mount says so first; /sys
			// and /proc create nothing; /dev/pts and /dev/shm are
			// tmpfs the fake does not keep.
			switch {
			case readOnly(mnt, abs):
				return backend.ErrnoError(syscall.EROFS, "open", abs)
			case under(abs, "/sys"):
				return sysfsCreate(me, "open", abs)
			case under(abs, "/proc"):
				return backend.ErrnoError(syscall.ENOENT, "open", abs)
			}
			return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, "open", abs, "the fake keeps only device nodes in /dev")
		}
		if write && readOnly(mnt, abs) {
			return backend.ErrnoError(syscall.EROFS, "open", abs)
		}
		if uid != 0 && !dacAllows(st.Mode, read, write) {
			return backend.ErrnoError(syscall.EACCES, "open", abs)
		}
		if st.Mode&fs.ModeDevice != 0 {
			file, err = openDevice(m, me, mnt.Nodes[abs], read, write)
			return err
		}
		file, err = s.openProc(m, me, mnt, abs, read, write)
		return err
	})
	return file, err
}

// dacAllows is the "other" permission check for a user other than root.
func dacAllows(mode fs.FileMode, read, write bool) bool {
	if read && mode&0o004 == 0 || write && mode&0o002 == 0 {
		return false
	}
	return true
}

// openDevice opens a node: the devices cgroup first (EPERM), then a
// driver for its numbers (ENXIO), then what the driver itself demands.
func openDevice(m *machine, me *procRec, d backend.Device, read, write bool) (userland.KernelFile, error) {
	object := fmt.Sprintf("%s (%c %d:%d)", d.Path, d.Type, d.Major, d.Minor)
	if read && !m.devicesAllow(me, d.Type, d.Major, d.Minor, 'r') || write && !m.devicesAllow(me, d.Type, d.Major, d.Minor, 'w') {
		return nil, backend.Errorf(backend.ErrPermission, syscall.EPERM, "open", object, "the devices cgroup does not allow it")
	}
	if _, ok := machineDevice(d.Type, d.Major, d.Minor); !ok {
		return nil, backend.Errorf(backend.ErrNotFound, syscall.ENXIO, "open", object, "no such device or address")
	}
	switch {
	case d.Type == 'c' && d.Major == 1 && d.Minor == 1 && !me.capable("SYS_RAWIO"): // /dev/mem
		return nil, eperm("open", object)
	case d.Type == 'c' && d.Major == 1 && d.Minor == 11 && read && !me.capable("SYSLOG"): // /dev/kmsg, dmesg_restrict=1
		return nil, eperm("open", object)
	case d.Type == 'c' && d.Major == 1 && (d.Minor == 5 || d.Minor == 7): // zero, full
		return &deviceFile{zeros: true, full: d.Minor == 7}, nil
	case d.Type == 'c' && d.Major == 1 && (d.Minor == 8 || d.Minor == 9): // random, urandom
		return &deviceFile{random: true}, nil
	}
	return &deviceFile{}, nil // null, and any other device: reads end, writes vanish
}

// deviceFile is an open device of the fake machine.
type deviceFile struct{ zeros, full, random bool }

func (d *deviceFile) Read(b []byte) (int, error) {
	switch {
	case d.random:
		return rand.Read(b)
	case d.zeros:
		clear(b)
		return len(b), nil
	}
	return 0, io.EOF
}

func (d *deviceFile) Write(b []byte) (int, error) {
	if d.full {
		return 0, syscall.ENOSPC
	}
	return len(b), nil
}

func (d *deviceFile) Close() error { return nil }

// openProc opens a /proc file: its contents are made at open, as
// seq_file makes them at the first read.
func (s *system) openProc(m *machine, me *procRec, mnt *mountNS, abs string, read, write bool) (userland.KernelFile, error) {
	parts := strings.Split(strings.TrimPrefix(abs, "/proc/"), "/")
	switch {
	case parts[0] == "kcore":
		if mnt.RestrictSys {
			return &deviceFile{}, nil // /dev/null is mounted over it
		}
		if !me.capable("SYS_RAWIO") {
			return nil, eperm("open", abs)
		}
		return &deviceFile{}, nil
	case parts[0] == "sysrq-trigger":
		if read {
			return nil, backend.ErrnoError(syscall.EACCES, "open", abs)
		}
		return &deviceFile{}, nil // the fake has no SysRq to trigger
	case parts[0] == "sys":
		key, _, _ := sysctlKey(abs)
		v, err := sysctlRead(m, me, key)
		if err != nil {
			return nil, err
		}
		return &sysctlFile{s: s, key: key, r: strings.NewReader(v + "\n")}, nil
	}
	rec, ok := procPid(m, me, parts[0])
	if !ok || len(parts) != 2 || parts[1] != "status" {
		return nil, backend.ErrnoError(syscall.ENOENT, "open", abs)
	}
	if write {
		return nil, backend.ErrnoError(syscall.EACCES, "open", abs)
	}
	pid, _ := visible(me.PidNS, rec)
	ppid := 0
	if parent, ok := m.Procs[rec.Parent]; ok {
		ppid, _ = visible(me.PidNS, parent)
	}
	name := ""
	if len(rec.Args) > 0 {
		name = path.Base(rec.Args[0])
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "Name:\t%.15s\nState:\tR (running)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", name, pid, pid, ppid)
	b.WriteString(rec.Caps.StatusLines())
	return &sysctlFile{r: bytes.NewReader(b.Bytes())}, nil
}

// sysctlFile is an open /proc file: reads give its text, a write to a
// sysctl sets it.
type sysctlFile struct {
	s   *system
	key string
	r   io.Reader
}

func (f *sysctlFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *sysctlFile) Close() error               { return nil }

func (f *sysctlFile) Write(b []byte) (int, error) {
	if f.key == "" {
		return 0, syscall.EINVAL
	}
	v := strings.TrimSpace(string(b))
	err := f.s.self("sysctl", true, func(m *machine, me *procRec) error {
		switch {
		case f.key == "kernel.hostname":
			if v == "" || len(v) > 64 {
				return syscall.EINVAL
			}
			m.Hostnames[me.UTS] = v // a UTS namespace's own
		case strings.HasPrefix(f.key, "net."):
			ns, ok := m.Namespaces[me.NetNS]
			if !ok {
				return syscall.ENOENT
			}
			ns.Sysctl[f.key] = v // the network namespace's own
		default:
			// A global knob of the simulated machine: the fake has
			// nothing behind it, and it is not the host's.
			return syscall.EPERM
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(b), nil
}

// KernelMknod is mknod(2): CAP_MKNOD, then the devices cgroup's "m".
func (s *system) KernelMknod(abs string, typ rune, major, minor int64, perm fs.FileMode) error {
	return s.kfsOp("mknod", true, func(m *machine, me *procRec, mnt *mountNS) error {
		if !me.capable("MKNOD") {
			return eperm("mknod", abs)
		}
		if !m.devicesAllow(me, typ, major, minor, 'm') {
			return backend.Errorf(backend.ErrPermission, syscall.EPERM, "mknod", abs, "the devices cgroup does not allow it")
		}
		if _, err := lookup(m, me, mnt, abs); err == nil {
			return backend.ErrnoError(syscall.EEXIST, "mknod", abs)
		}
		if !under(abs, "/dev") || under(abs, "/dev/pts") || under(abs, "/dev/shm") {
			if readOnly(mnt, abs) {
				return backend.ErrnoError(syscall.EROFS, "mknod", abs)
			}
			return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, "mknod", abs, "the fake makes device nodes only in /dev")
		}
		if _, err := lookup(m, me, mnt, path.Dir(abs)); err != nil {
			return backend.ErrnoError(syscall.ENOENT, "mknod", abs)
		}
		if m.MountNS[me.MntNS] == nil {
			return backend.ErrnoError(syscall.EROFS, "mknod", abs)
		}
		mnt.Nodes[abs] = backend.Device{Path: abs, Type: typ, Major: major, Minor: minor, FileMode: uint32(perm.Perm())}
		return nil
	})
}

// KernelChange answers every other change under /dev, /proc and /sys.
func (s *system) KernelChange(op, abs string) error {
	return s.kfsOp(op, op == "remove", func(m *machine, me *procRec, mnt *mountNS) error {
		_, err := lookup(m, me, mnt, abs)
		exists := err == nil
		switch {
		case readOnly(mnt, abs):
			return backend.ErrnoError(syscall.EROFS, op, abs)
		case op == "remove" && exists && under(abs, "/dev"):
			if _, ok := mnt.Nodes[abs]; ok {
				delete(mnt.Nodes, abs)
				return nil
			}
			return backend.ErrnoError(syscall.EBUSY, op, abs)
		case !exists && op != "mkdir" && op != "symlink" && op != "link" && op != "rename":
			return backend.ErrnoError(syscall.ENOENT, op, abs)
		case under(abs, "/sys") || under(abs, "/proc"):
			if op == "mkdir" || op == "symlink" || op == "link" || op == "rename" {
				if under(abs, "/sys") {
					return sysfsCreate(me, op, abs)
				}
				return backend.ErrnoError(syscall.ENOENT, op, abs)
			}
			return backend.ErrnoError(syscall.EPERM, op, abs)
		}
		return backend.Errorf(backend.ErrUnsupported, syscall.EOPNOTSUPP, op, abs, "the fake keeps only device nodes in /dev")
	})
}

// Capable says whether the caller has cap in its effective set.
func (s *system) Capable(name string) bool {
	ok := false
	_ = s.self("capable", false, func(m *machine, me *procRec) error {
		ok = me.capable(name)
		return nil
	})
	return ok
}

// sysfsCreate is sysfs's answer to making a file: its directories are
// r-xr-xr-x, so without CAP_DAC_OVERRIDE the permission check says EACCES;
// past it, sysfs has no way to create anything: EPERM.
func sysfsCreate(me *procRec, op, abs string) error {
	if !me.capable("DAC_OVERRIDE") {
		return backend.ErrnoError(syscall.EACCES, op, abs)
	}
	return backend.ErrnoError(syscall.EPERM, op, abs)
}
