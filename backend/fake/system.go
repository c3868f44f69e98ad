// The kernel as a simulated program sees it: the userland.System of one
// process (docs/design.md "The backend": the fake runs a simulated userland;
// backend/fake/userland/system.go defines the interface). Pids here are
// as seen inside the caller's PID namespace.
package fake

import (
	"context"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake/userland"
)

type system struct {
	k     *Kernel
	pid   int // host pid
	nspid int // pid inside its PID namespace
	lp    *liveProc
}

var _ userland.System = (*system)(nil)

func (s *system) Pid() int { return s.nspid }

// self runs fn on the caller's process record.
func (s *system) self(op string, write bool, fn func(m *machine, rec *procRec) error) error {
	run := s.k.view
	if write {
		run = s.k.update
	}
	return run(op, func(m *machine) error {
		rec, ok := m.Procs[s.pid]
		if !ok {
			return backend.ErrnoError(syscall.ESRCH, op, strconv.Itoa(s.pid))
		}
		return fn(m, rec)
	})
}

func (s *system) Hostname() string {
	name := ""
	_ = s.self("gethostname", false, func(m *machine, rec *procRec) error {
		name = m.Hostnames[rec.UTS]
		return nil
	})
	return name
}

func (s *system) SetHostname(name string) error {
	if name == "" || len(name) > 64 {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "sethostname", name, "hostname must be 1..64 bytes")
	}
	return s.self("sethostname", true, func(m *machine, rec *procRec) error {
		if !rec.capable("SYS_ADMIN") {
			return eperm("sethostname", name)
		}
		m.Hostnames[rec.UTS] = name
		return nil
	})
}

// visible says whether rec can be seen from the PID namespace pidns, and
// under which pid. The machine's namespace (0) sees everything.
func visible(pidns int, rec *procRec) (int, bool) {
	if pidns == 0 {
		return rec.Pid, true
	}
	return rec.NSPid, rec.PidNS == pidns
}

func (s *system) Procs() []backend.ProcInfo {
	var out []backend.ProcInfo
	_ = s.self("ps", false, func(m *machine, me *procRec) error {
		for _, rec := range m.Procs {
			if pid, ok := visible(me.PidNS, rec); ok {
				out = append(out, m.procInfo(rec, pid))
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Pid < out[j].Pid })
	return out
}

// Kill sends a signal to a pid of the caller's PID namespace.
func (s *system) Kill(pid int, sig syscall.Signal) error {
	return s.self("kill", true, func(m *machine, me *procRec) error {
		for _, rec := range m.Procs {
			if p, ok := visible(me.PidNS, rec); ok && p == pid {
				return s.k.signalRec(m, rec, sig, rec.PidNS != me.PidNS)
			}
		}
		return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "kill", strconv.Itoa(pid), "no such process")
	})
}

func (s *system) Net() backend.Net {
	key := ""
	_ = s.self("netns", false, func(m *machine, rec *procRec) error {
		key = rec.NetNS
		return nil
	})
	// Reading a namespace needs nothing; changing it (netlink,
	// netfilter, net.* sysctls) needs CAP_NET_ADMIN, checked at each
	// change (netHandle.with).
	return &netHandle{k: s.k, key: key, caller: s.pid}
}

// Spawn is fork+exec: the child shares the caller's namespaces, cgroup and
// rootfs, gets a pid of its own, and runs until it ends; Spawn returns its
// exit code. The child has its own context: killing the parent does not
// kill it (it is orphaned), ending its PID namespace does.
func (s *system) Spawn(p *userland.Process) (int, error) {
	lp := newLiveProc()
	var child *system
	err := s.self("fork", true, func(m *machine, me *procRec) error {
		pid := m.NextPid
		m.NextPid++
		rec := &procRec{Pid: pid, NSPid: pid, PidNS: me.PidNS, UTS: me.UTS, NetNS: me.NetNS,
			Parent: me.Pid, Args: append([]string{}, p.Args...), Rootfs: me.Rootfs, Volumes: copyMounts(me.Volumes),
			StartedAt: time.Now().UTC(), Owner: s.k.me, Caps: me.Caps, MntNS: me.MntNS}
		if me.PidNS != 0 {
			rec.NSPid = m.NSPidNext[me.PidNS]
			m.NSPidNext[me.PidNS]++
		}
		m.Procs[pid] = rec
		m.moveToCgroup(rec, me.Cgroup)
		lp.pid = pid
		s.k.live[pid] = lp
		s.k.syncLive(m)
		child = &system{k: s.k, pid: pid, nspid: rec.NSPid, lp: lp}
		return nil
	})
	if err != nil {
		return 0, err
	}
	cp := *p
	cp.Ctx, cp.Sys = lp.ctx, child
	volumes := s.Volumes()
	userland.RetainVolumes(volumes) // an orphan may outlive its parent
	go func() {
		code := userland.Run(&cp)
		userland.ReleaseVolumes(volumes)
		s.k.exited(lp, code)
	}()
	<-lp.done
	return lp.status.Code, nil
}

// Stopped blocks while the process is stopped or frozen.
func (s *system) Stopped(ctx context.Context) error { return s.lp.waitRunning(ctx) }

// HandleSignal is an optional System method (not in the userland.System
// interface): a program that installs or removes a handler for sig tells
// the kernel here, so that the PID-namespace init rule (signals.go) lets
// the signal through to it.
func (s *system) HandleSignal(sig syscall.Signal, handled bool) {
	s.lp.mu.Lock()
	defer s.lp.mu.Unlock()
	if handled {
		s.lp.handled[sig] = true
	} else {
		delete(s.lp.handled, sig)
	}
}

// Volumes is an optional System method (not in the userland.System
// interface): the bind mounts of the caller's mount namespace, Target a
// path inside the container and Source the host directory or file behind
// it (Docker's -v). The userland opens each Source as an *os.Root of its
// own and resolves paths under Target there.
func (s *system) Volumes() []backend.Mount {
	var out []backend.Mount
	_ = s.self("mounts", false, func(m *machine, rec *procRec) error {
		out = copyMounts(rec.Volumes)
		return nil
	})
	return out
}

// IgnoreSignal is an optional System method (not in the userland.System
// interface): signal(sig, SIG_IGN) and back. The interactive shell ignores
// SIGINT so that ^C on its terminal (tty.go) ends the command it runs and
// not the shell. SIGKILL and SIGSTOP cannot be ignored.
func (s *system) IgnoreSignal(sig syscall.Signal, ignored bool) {
	s.lp.mu.Lock()
	defer s.lp.mu.Unlock()
	if ignored {
		s.lp.ignored[sig] = true
	} else {
		delete(s.lp.ignored, sig)
	}
}

func (lp *liveProc) ignores(sig syscall.Signal) bool {
	lp.mu.Lock()
	defer lp.mu.Unlock()
	return lp.ignored[sig]
}
