// Processes of the simulated machine: Start with namespaces, hostname,
// rootfs and cgroup; wait; signal; the process table (docs/design.md "The
// backend": processes, and "the fake runs a simulated userland"; book ch.13
// dockerinit and ch.14 §14.3 namespaces/cgroups; note 003).
//
// The fake never executes a host binary. The program named by Args[0] is
// looked up inside the rootfs and run by the simulated userland
// (backend/fake/userland) as goroutines, with the rootfs opened as an
// *os.Root so it can reach no file outside it. Pids come from a machine-wide
// counter from 1000 up; in a new PID namespace the process is pid 1 inside.
package fake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake/userland"
)

// defaultPath is the PATH a process gets when its environment has none.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// proc is a started process, as its starter sees it.
type proc struct {
	k     *Kernel
	lp    *liveProc
	pid   int
	netNS backend.NSRef
	tty   *tty // with ProcSpec.Tty: its terminal (tty.go)
}

func (p *proc) Pid() int             { return p.pid }
func (p *proc) NetNS() backend.NSRef { return p.netNS }
func (p *proc) Wait() (backend.ExitStatus, error) {
	<-p.lp.done
	return p.lp.status, nil
}

// Signal sends sig from the starter, which sits in the parent PID
// namespace (so SIGKILL and SIGSTOP reach a namespace init).
func (p *proc) Signal(sig syscall.Signal) error {
	select {
	case <-p.lp.done:
		return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "kill", strconv.Itoa(p.pid), "process has exited")
	default:
	}
	return p.k.update("Signal", func(m *machine) error {
		rec, ok := m.Procs[p.pid]
		if !ok {
			return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "kill", strconv.Itoa(p.pid), "no such process")
		}
		return p.k.signalRec(m, rec, sig, true)
	})
}

func withPath(env []string) []string {
	for _, e := range env {
		if strings.HasPrefix(e, "PATH=") {
			return append([]string{}, env...)
		}
	}
	return append(append([]string{}, env...), defaultPath)
}

func startErr(kind error, errno syscall.Errno, spec backend.ProcSpec, format string, args ...any) error {
	name := ""
	if len(spec.Args) > 0 {
		name = spec.Args[0]
	}
	return backend.Errorf(kind, errno, "start", name, format, args...)
}

// Start starts a simulated process.
func (k *Kernel) Start(spec backend.ProcSpec) (backend.Process, error) {
	switch {
	case len(spec.Args) == 0 || spec.Args[0] == "":
		return nil, startErr(backend.ErrInvalid, syscall.EINVAL, spec, "no program given")
	case spec.Rootfs == "":
		return nil, startErr(backend.ErrInvalid, syscall.EINVAL, spec, "the fake backend runs programs only inside a rootfs (ProcSpec.Rootfs is empty)")
	case spec.Namespaces.NET && spec.NetNS != (backend.NSRef{}):
		return nil, startErr(backend.ErrInvalid, syscall.EINVAL, spec, "both a new network namespace and NetNS %s requested", spec.NetNS)
	case spec.Hostname != "" && !spec.Namespaces.UTS:
		return nil, startErr(backend.ErrInvalid, syscall.EINVAL, spec, "a hostname needs a UTS namespace")
	case len(spec.Hostname) > 64:
		return nil, startErr(backend.ErrInvalid, syscall.EINVAL, spec, "hostname longer than 64 bytes")
	case spec.InitName != "" && spec.InitName != "dockerlab-init" && spec.InitName != "native":
		return nil, startErr(backend.ErrInvalid, syscall.EINVAL, spec, "unknown init %q (want \"dockerlab-init\" or \"native\")", spec.InitName)
	}
	if err := k.checkVolumes(spec); err != nil {
		return nil, err
	}
	if err := validConfine(spec); err != nil {
		return nil, err
	}
	caps, err := startCaps(spec)
	if err != nil {
		return nil, err
	}
	cgroup, err := cleanCgroup("start", spec.Cgroup)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(spec.Rootfs)
	if err != nil {
		return nil, startErr(backend.ErrNotFound, syscall.ENOENT, spec, "rootfs %s: %v", spec.Rootfs, err)
	}
	env := withPath(spec.Env)
	if _, err := userland.Lookup(root, spec.Args[0], env); err != nil {
		root.Close()
		return nil, err
	}
	lp := newLiveProc()
	var rec *procRec
	err = k.update("Start", func(m *machine) error {
		netKey := ""
		if !spec.Namespaces.NET {
			var err error
			if netKey, err = m.refKey(spec.NetNS); err != nil {
				return err
			}
		}
		if _, ok := m.Cgroups[cgroup]; !ok {
			return startErr(backend.ErrNotFound, syscall.ENOENT, spec, "cgroup %q does not exist", cgroup)
		}
		pid := m.NextPid
		m.NextPid++
		rec = &procRec{Pid: pid, NSPid: pid, NetNS: netKey, Args: startArgs(spec),
			Rootfs: spec.Rootfs, StartedAt: time.Now().UTC(), Owner: k.me, Volumes: copyMounts(spec.Mounts),
			Caps: caps, MntNS: pid}
		if m.MountNS == nil {
			m.MountNS = map[int]*mountNS{}
		}
		m.MountNS[pid] = newMountNS(spec)
		if spec.Namespaces.PID {
			rec.PidNS, rec.NSPid = pid, 1
			m.NSPidNext[pid] = 2
		}
		if spec.Namespaces.NET {
			rec.NetNS, rec.OwnNetNS = "pid:"+strconv.Itoa(pid), true
			m.newNamespace(rec.NetNS, pid)
		}
		if spec.Namespaces.UTS {
			rec.UTS = pid
			m.Hostnames[pid] = m.Hostnames[0] // a new UTS namespace starts as a copy
			if spec.Hostname != "" {
				m.Hostnames[pid] = spec.Hostname
			}
		}
		m.Procs[pid] = rec
		m.moveToCgroup(rec, cgroup)
		lp.pid = pid
		k.live[pid] = lp
		k.syncLive(m)
		k.ensurePoller()
		return nil
	})
	if err != nil {
		lp.cancel(nil)
		root.Close()
		return nil, err
	}
	p := &proc{k: k, lp: lp, pid: rec.Pid, netNS: keyRef(rec.NetNS)}
	if spec.Setup != nil {
		if err := spec.Setup(p); err != nil {
			lp.kill(syscall.SIGKILL)
			root.Close()
			k.exited(lp, 0)
			return nil, err
		}
	}
	if spec.InitName != "" {
		// The init has done its work: from now on the table shows the
		// program, as after dockerinit's exec.
		k.update("exec", func(m *machine) error {
			if r, ok := m.Procs[p.pid]; ok {
				r.Args = append([]string{}, spec.Args...)
			}
			return nil
		})
	}
	stdin, stdout, stderr := spec.Stdin, spec.Stdout, spec.Stderr
	if spec.Tty { // fd 0, 1 and 2 are the terminal's slave end (tty.go)
		p.tty = newTTY(k, spec.Stdin, spec.Stdout)
		p.tty.setLeader(p.pid)
		stdin, stdout, stderr = ttySlave{p.tty}, ttySlave{p.tty}, ttySlave{p.tty}
	}
	up := &userland.Process{
		Args: append([]string{}, spec.Args...), Env: env, Dir: spec.Dir, Root: root,
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Uid: spec.Uid, Gid: spec.Gid, Ctx: lp.ctx,
		Sys: &system{k: k, pid: rec.Pid, nspid: rec.NSPid, lp: lp},
	}
	if up.Dir == "" {
		up.Dir = "/"
	}
	userland.RetainVolumes(spec.Mounts)
	go func() {
		code := userland.Run(up)
		if p.tty != nil {
			p.tty.close()
		}
		root.Close()
		userland.ReleaseVolumes(spec.Mounts)
		k.exited(lp, code)
	}()
	return p, nil
}

// startArgs is what the process table shows while the process sets up:
// the init's argv when the spec names one (ProcSpec.InitName), else the
// program's.
func startArgs(spec backend.ProcSpec) []string {
	if spec.InitName == "" {
		return append([]string{}, spec.Args...)
	}
	return append([]string{spec.InitName}, spec.InitArgs...)
}

// exited records a process's end: its status, then the kernel's cleanup.
func (k *Kernel) exited(lp *liveProc, code int) {
	lp.mu.Lock()
	st := backend.ExitStatus{Code: code}
	if lp.killSig != 0 {
		st = backend.ExitStatus{Code: 128 + int(lp.killSig), Signal: lp.killSig}
	}
	lp.mu.Unlock()
	err := k.update("exit", func(m *machine) error {
		if k.live[lp.pid] == lp {
			delete(k.live, lp.pid)
			k.reap(m, lp.pid)
		}
		return nil
	})
	if err != nil { // the state file failed us: still forget the process here
		k.mu.Lock()
		if k.live[lp.pid] == lp {
			delete(k.live, lp.pid)
		}
		k.mu.Unlock()
	}
	k.closeSockets(lp.pid) // exit(2) closes the process's sockets (sockets.go)
	lp.status = st
	lp.cancel(nil)
	close(lp.done)
}

// reap takes a process out of the table with everything the kernel drops
// at exit: its cgroup membership, its network namespace once no process
// uses it, its UTS namespace, and — when it was the init of a PID
// namespace — every other process of that namespace (SIGKILL).
func (k *Kernel) reap(m *machine, pid int) {
	rec, ok := m.Procs[pid]
	if !ok {
		return
	}
	delete(m.Procs, pid)
	if g, ok := m.Cgroups[rec.Cgroup]; ok {
		g.Procs = removeInt(g.Procs, pid)
	}
	users := func(match func(*procRec) bool) bool {
		for _, o := range m.Procs {
			if match(o) {
				return true
			}
		}
		return false
	}
	if strings.HasPrefix(rec.NetNS, "pid:") && !users(func(o *procRec) bool { return o.NetNS == rec.NetNS }) {
		m.destroyNamespace(rec.NetNS)
	}
	if rec.UTS != 0 && !users(func(o *procRec) bool { return o.UTS == rec.UTS }) {
		delete(m.Hostnames, rec.UTS)
	}
	if rec.MntNS != 0 && !users(func(o *procRec) bool { return o.MntNS == rec.MntNS }) {
		delete(m.MountNS, rec.MntNS)
	}
	if rec.PidNS == pid {
		delete(m.NSPidNext, pid)
		for _, o := range m.Procs {
			if o.PidNS == pid {
				_ = k.signalRec(m, o, syscall.SIGKILL, true)
			}
		}
	}
}

// Procs lists the machine's processes in pid order.
func (k *Kernel) Procs() ([]backend.ProcInfo, error) {
	var out []backend.ProcInfo
	err := k.view("Procs", func(m *machine) error {
		for _, rec := range m.Procs {
			out = append(out, m.procInfo(rec, rec.Pid))
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Pid < out[j].Pid })
	return out, err
}

// procInfo is one row of the process table, with the pid as the viewer sees it.
func (m *machine) procInfo(rec *procRec, pid int) backend.ProcInfo {
	state := "running"
	switch {
	case rec.Stopped:
		state = "stopped"
	case m.frozen(rec.Cgroup):
		state = "frozen"
	}
	return backend.ProcInfo{Pid: pid, Args: append([]string{}, rec.Args...), Hostname: m.Hostnames[rec.UTS],
		NetNS: keyRef(rec.NetNS), OwnNetNS: rec.OwnNetNS, Cgroup: rec.Cgroup, Rootfs: rec.Rootfs,
		State: state, StartedAt: rec.StartedAt}
}

// Kill sends sig to any process of the machine by its pid, as kill(1) on
// the machine would (from the machine's own PID namespace). A process run
// by another dockerlab command gets the signal from its owner within
// about 100 ms (see owner.go).
func (k *Kernel) Kill(pid int, sig syscall.Signal) error {
	return k.update("Kill", func(m *machine) error {
		rec, ok := m.Procs[pid]
		if !ok {
			return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "kill", strconv.Itoa(pid), "no such process")
		}
		return k.signalRec(m, rec, sig, rec.PidNS != 0)
	})
}

// checkVolumes accepts the bind mounts a container may get: a host
// directory or file that exists, onto an absolute path inside the rootfs.
// The fake records them (System.Volumes); the simulated userland reaches
// them, nothing else of the host. This is the fake's one deliberate door
// to host files (docs/architecture.md "What the fake promises about host
// files"): what is bound is read and written with the uid of the process
// that runs the fake kernel. Two kinds of source are refused whatever
// the caller asks: the host's "/" (the whole machine) and whatever holds
// the fake's own state file (the machine's kernel state, which a
// container could then rewrite).
func (k *Kernel) checkVolumes(spec backend.ProcSpec) error {
	for _, v := range spec.Mounts {
		if v.Type != backend.MountBind {
			return startErr(backend.ErrUnsupported, 0, spec, "the fake gives containers bind mounts only, not %q", v.Type)
		}
		if !strings.HasPrefix(v.Target, "/") {
			return startErr(backend.ErrInvalid, syscall.EINVAL, spec, "volume target %q must be absolute inside the rootfs", v.Target)
		}
		if _, err := os.Stat(v.Source); err != nil {
			return startErr(backend.ErrNotFound, syscall.ENOENT, spec, "volume source %s: %v", v.Source, err)
		}
		if err := k.refusedSource(v.Source); err != nil {
			return startErr(backend.ErrPermission, syscall.EACCES, spec, "volume source %s: %v", v.Source, err)
		}
	}
	return nil
}

// refusedSource says why a bind source may not be given to a fake
// container, or nil. Symlinks are resolved first, so a link to "/" is
// "/". Refused: "/" itself, and any source that holds the fake's state
// file (the file, its directory or a directory above it), since through
// it a container could rewrite the machine. A sibling of the state file
// — a daemon root next to it, as in the README's tour — is fine.
func (k *Kernel) refusedSource(source string) error {
	real, err := filepath.EvalSymlinks(source)
	if err != nil {
		return err
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return err
	}
	if filepath.Dir(real) == real {
		return errors.New("the fake will not bind the host's root directory into a container (it would hand the container the whole machine); bind a directory of your own")
	}
	if k.path == "" {
		return nil
	}
	state, err := filepath.Abs(k.path)
	if err != nil {
		return nil
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(state)); err == nil {
		state = filepath.Join(dir, filepath.Base(state))
	}
	if rel, err := filepath.Rel(real, state); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("the fake will not bind %s into a container: it holds the fake's own state %s, which a container could then rewrite; bind a directory of your own (or keep the state elsewhere with --fake-state)", real, state)
	}
	return nil
}

func copyMounts(ms []backend.Mount) []backend.Mount {
	if len(ms) == 0 {
		return nil
	}
	out := make([]backend.Mount, len(ms))
	for i, m := range ms {
		m.Lower = append([]string(nil), m.Lower...)
		out[i] = m
	}
	return out
}
