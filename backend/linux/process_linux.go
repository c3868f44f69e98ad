//go:build linux

// Starting a process in new namespaces: the parent's half of the
// dockerinit dance (book ch.13 "dockerinit启动"; ch.14 §14.3 namespace;
// reference docs/kernels.md §5). Docker 1.2.0's native
// driver cloned its own binary with CLONE_NEWNS|NEWUTS|NEWIPC|NEWPID|NEWNET,
// moved the veth into the child's namespace and joined it to its cgroups
// while the child waited on a pipe, then let it go. So do we.

package linux

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/internal/reexec"
)

// ioWaitDelay is how long Wait lets the stdio copies run on after the
// process has ended (see Start).
const ioWaitDelay = 2 * time.Second

// process is one started process.
type process struct {
	h       *Host
	cmd     *exec.Cmd
	pid     int
	spec    backend.ProcSpec
	netns   backend.NSRef
	ownNet  bool
	started time.Time

	ttyOut <-chan struct{} // with a tty: closed when the output copy ends
	master *os.File        // with a tty: the pty master

	initArgv []string    // the init's argv when ProcSpec.InitName was set
	execed   atomic.Bool // the init has exec'd the program
	stdin    *os.File    // the writing end of the child's stdin, when we copy it

	done    chan struct{} // closed once reaped
	mu      sync.Mutex
	status  backend.ExitStatus
	waitErr error
}

var _ backend.Process = (*process)(nil)

func (p *process) Pid() int             { return p.pid }
func (p *process) NetNS() backend.NSRef { return p.netns }

// Wait returns the exit status; every caller gets the same one.
func (p *process) Wait() (backend.ExitStatus, error) {
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status, p.waitErr
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Signal sends sig (through a pidfd on current kernels, so never to a
// recycled pid). An ended process is ErrNotFound (ESRCH).
func (p *process) Signal(sig syscall.Signal) error {
	if p.exited() {
		return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "kill", fmt.Sprint(p.pid), "process has exited")
	}
	err := p.cmd.Process.Signal(sig)
	if errors.Is(err, os.ErrProcessDone) {
		return backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "kill", fmt.Sprint(p.pid), "process has exited")
	}
	return kernelErr("kill -"+fmt.Sprint(int(sig)), fmt.Sprint(p.pid), err)
}

// reap waits for the child and records how it ended.
func (p *process) reap() {
	err := p.cmd.Wait()
	if p.stdin != nil {
		// Nobody reads it any more: the stdin copy ends at its next write
		// instead of keeping this descriptor.
		p.stdin.Close()
	}
	if p.master != nil {
		<-p.ttyOut // the last output, then EIO
		p.master.Close()
	}
	var st backend.ExitStatus
	if ps := p.cmd.ProcessState; ps != nil {
		ws := ps.Sys().(syscall.WaitStatus)
		switch {
		case ws.Signaled():
			st = backend.ExitStatus{Code: 128 + int(ws.Signal()), Signal: ws.Signal()}
		default:
			st = backend.ExitStatus{Code: ws.ExitStatus()}
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) || errors.Is(err, exec.ErrWaitDelay) {
			err = nil // a non-zero status, or a stdin nobody closed, is not an error of Wait
		}
	}
	p.mu.Lock()
	p.status, p.waitErr = st, err
	p.mu.Unlock()
	p.h.forgetPid(p.pid)
	close(p.done)
}

// validate refuses specs the kernel could not honour, with a clear message.
func validate(spec *backend.ProcSpec) error {
	bad := func(format string, args ...any) error {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "start", strings.Join(spec.Args, " "), format, args...)
	}
	switch {
	case len(spec.Args) == 0 || spec.Args[0] == "":
		return bad("no program given")
	case spec.Namespaces.NET && (spec.NetNS != backend.NSRef{}):
		return bad("a process cannot both get a new network namespace and join %s", spec.NetNS)
	case spec.Rootfs != "" && !spec.Namespaces.Mount:
		return bad("a rootfs needs a mount namespace (Namespaces.Mount)")
	case spec.Hostname != "" && !spec.Namespaces.UTS:
		return bad("a hostname needs a UTS namespace (Namespaces.UTS)")
	case spec.InitName != "" && spec.InitName != initName && spec.InitName != nativeInitName:
		return bad("unknown init %q (want %q or %q)", spec.InitName, initName, nativeInitName)
	}
	if c := spec.Confine; c != nil {
		if _, err := backend.CapMask(c.Capabilities); err != nil {
			return err
		}
		for _, d := range c.DeviceNodes {
			if err := backend.ValidNode(d); err != nil {
				return err
			}
		}
		if len(c.DeviceNodes) > 0 && spec.Rootfs == "" {
			return bad("device nodes need a rootfs")
		}
	}
	if spec.Rootfs != "" {
		abs, err := filepath.Abs(spec.Rootfs)
		if err != nil {
			return bad("rootfs %q: %v", spec.Rootfs, err)
		}
		if st, err := os.Stat(abs); err != nil || !st.IsDir() {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "start", spec.Args[0], "rootfs %s is not a directory", abs)
		}
		spec.Rootfs = abs
	}
	return nil
}

// cloneFlags turns the spec's namespaces into clone(2) flags.
func cloneFlags(ns backend.Namespaces) uintptr {
	var f uintptr
	for _, x := range []struct {
		on   bool
		flag uintptr
	}{
		{ns.UTS, syscall.CLONE_NEWUTS}, {ns.IPC, syscall.CLONE_NEWIPC}, {ns.PID, syscall.CLONE_NEWPID},
		{ns.NET, syscall.CLONE_NEWNET}, {ns.Mount, syscall.CLONE_NEWNS},
	} {
		if x.on {
			f |= x.flag
		}
	}
	return f
}

// Start re-executes this binary as dockerlab-init in the new namespaces,
// joins it to its cgroup, runs spec.Setup, then lets it exec the program.
func (h *Host) Start(spec backend.ProcSpec) (backend.Process, error) {
	if err := validate(&spec); err != nil {
		return nil, err
	}
	if !reexec.Initialized() {
		// The child would run this binary's main (or its tests) again.
		return nil, backend.Errorf(backend.ErrUnsupported, 0, "start", spec.Args[0],
			"this program never called reexec.Init() at the top of main (or TestMain), so it cannot serve as dockerlab-init")
	}
	op := "start " + spec.Args[0]
	var joined *Net
	if !spec.Namespaces.NET {
		// Sharing "the host's network" means sharing the root namespace
		// of this Host, which is the sandbox.
		var err error
		if joined, err = h.netNS(spec.NetNS); err != nil {
			return nil, err
		}
	}

	var pipes [6]*os.File // config r/w, sync r/w, error r/w
	for i := 0; i < 6; i += 2 {
		r, w, err := os.Pipe()
		if err != nil {
			closeAll(pipes[:])
			return nil, kernelErr(op, "pipe", err)
		}
		pipes[i], pipes[i+1] = r, w
	}
	cfgR, cfgW, syncR, syncW, errR, errW := pipes[0], pipes[1], pipes[2], pipes[3], pipes[4], pipes[5]
	defer closeAll(pipes[:])

	initArgv := append([]string{initName}, spec.InitArgs...)
	if spec.InitName != "" {
		initArgv[0] = spec.InitName
	}
	cmd := reexec.Command(initArgv...)
	cmd.Env = []string{} // the init needs none; the program gets spec.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = spec.Stdin, spec.Stdout, spec.Stderr
	// Once the process has ended, Wait gives the copies of stdout and
	// stderr this long (a grandchild may hold them), then closes them.
	cmd.WaitDelay = ioWaitDelay
	// A stdin that is not a file is copied by a goroutine of our own,
	// not exec's: exec's Wait waits for its stdin copy, which waits for
	// the next read of a stdin that may never end (an attached client),
	// so a process that had ended — or a start that failed and killed
	// its child — blocked Wait for ever (issue #12 item 7).
	var stdinR, stdinW *os.File
	if _, isFile := spec.Stdin.(*os.File); spec.Stdin != nil && !isFile && !spec.Tty {
		var err error
		if stdinR, stdinW, err = os.Pipe(); err != nil {
			closeAll(pipes[:])
			return nil, kernelErr(op, "stdin pipe", err)
		}
		cmd.Stdin = stdinR
		defer stdinR.Close() // the child has its copy
	}
	cmd.ExtraFiles = []*os.File{cfgR, syncR, errW}
	// No Pdeathsig: it would fire when the forking thread exits, and we
	// fork from a throwaway thread when joining a namespace.
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: cloneFlags(spec.Namespaces)}
	var master, slave *os.File
	if spec.Tty {
		var err error
		if master, slave, err = openPty(); err != nil {
			return nil, kernelErr(op, "/dev/ptmx", err)
		}
		defer slave.Close()
		cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
		ttyAttach(cmd.SysProcAttr)
	}

	var err error
	if joined != nil {
		// The child is born in the namespace of the thread that forks it.
		err = inNetNSDiscard(joined.ns, cmd.Start)
	} else {
		err = cmd.Start()
	}
	if err != nil {
		if master != nil {
			master.Close()
		}
		if stdinW != nil {
			stdinW.Close()
		}
		return nil, kernelErr(op, "", err)
	}
	cfgR.Close()
	syncR.Close()
	errW.Close()

	p := &process{h: h, cmd: cmd, pid: cmd.Process.Pid, spec: spec, started: time.Now(), done: make(chan struct{}), stdin: stdinW}
	if stdinW != nil {
		go func() {
			io.Copy(stdinW, spec.Stdin)
			stdinW.Close() // the end of our stdin is the child's EOF
		}()
	}
	if spec.InitName != "" {
		p.initArgv = initArgv
	}
	if spec.Namespaces.NET {
		p.netns, p.ownNet = backend.NSPid(p.pid), true
	} else {
		p.netns = joined.ref
	}
	if master != nil {
		slave.Close() // only the child holds the slave now
		p.master, p.ttyOut = master, ttyCopy(master, spec.Stdin, spec.Stdout)
	}
	go p.reap()
	// A start that fails leaves no trace in the process table.
	kill := func(cause error) (backend.Process, error) {
		cmd.Process.Kill()
		p.Wait()
		h.forget(p)
		return nil, cause
	}

	cfg := initConfig{
		Args: spec.Args, Env: spec.Env, Dir: spec.Dir, Hostname: spec.Hostname,
		UTS: spec.Namespaces.UTS, PID: spec.Namespaces.PID, Mount: spec.Namespaces.Mount,
		Rootfs: spec.Rootfs, Mounts: spec.Mounts, ReadonlyRootfs: spec.ReadonlyRootfs,
		Uid: spec.Uid, Gid: spec.Gid, Groups: spec.Groups, Confine: spec.Confine,
	}
	if cfg.Groups == nil {
		cfg.Groups = []int{}
	}
	if err := json.NewEncoder(cfgW).Encode(cfg); err != nil {
		return kill(kernelErr(op, "config pipe", err))
	}
	cfgW.Close()

	if spec.Cgroup != "" {
		if err := h.cg.AddProc(spec.Cgroup, p.pid); err != nil {
			return kill(err)
		}
	}
	h.remember(p)
	if spec.Setup != nil {
		if err := spec.Setup(p); err != nil {
			return kill(err)
		}
	}
	if _, err := syncW.Write([]byte{'g'}); err != nil {
		return kill(kernelErr(op, "sync pipe", err))
	}
	syncW.Close()

	// EOF without a word means the child exec'd (the pipe was close-on-exec).
	msg, _ := io.ReadAll(errR)
	if len(msg) > 0 {
		p.Wait()
		h.forget(p)
		text := string(msg)
		if rest, ok := strings.CutPrefix(text, errProgNotFound); ok {
			return nil, backend.Errorf(backend.ErrProgNotFound, syscall.ENOENT, "exec", spec.Args[0], "%s", rest)
		}
		return nil, backend.Errorf(backend.ErrInvalid, 0, op, "", "%s", text)
	}
	p.execed.Store(true)
	if p.initArgv != nil {
		writePidFile(h.opts.RunDir, h.info(p, "")) // the program's argv from now on
	}
	return p, nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			f.Close()
		}
	}
}

// remember records a started process in memory and in the pid registry.
func (h *Host) remember(p *process) {
	h.mu.Lock()
	h.procs = append(h.procs, p)
	h.mu.Unlock()
	writePidFile(h.opts.RunDir, h.info(p, ""))
	if p.ownNet {
		h.netNS(p.netns) // open and cache the handle while the pid is ours
	}
}

// forget removes a process whose start failed from the table.
func (h *Host) forget(p *process) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, q := range h.procs {
		if q == p {
			h.procs = append(h.procs[:i], h.procs[i+1:]...)
			return
		}
	}
}

// forgetPid drops what refers to an ended process by pid.
func (h *Host) forgetPid(pid int) {
	removePidFile(h.opts.RunDir, pid)
	h.mu.Lock()
	n, ok := h.byPid[pid]
	delete(h.byPid, pid)
	h.mu.Unlock()
	if ok {
		n.close() // outside h.mu: an operation on n may be waiting for h.mu
	}
}

// Procs lists the processes this Host started, exited ones included, and
// after them the live processes other dockerlab commands started with the
// same RunDir (from the pid registry).
func (h *Host) Procs() ([]backend.ProcInfo, error) {
	h.mu.Lock()
	procs := append([]*process(nil), h.procs...)
	h.mu.Unlock()
	out := make([]backend.ProcInfo, 0, len(procs))
	mine := map[int]bool{}
	for _, p := range procs {
		out = append(out, h.info(p, h.state(p)))
		mine[p.pid] = true
	}
	for _, rec := range readRegistry(h.opts.RunDir) {
		if !mine[rec.Info.Pid] {
			rec.Info.State = h.stateOf(rec.Info.Pid, rec.Info.Cgroup)
			out = append(out, rec.Info)
		}
	}
	return out, nil
}

// info is a process's row in the process table.
func (h *Host) info(p *process, state string) backend.ProcInfo {
	info := backend.ProcInfo{
		Pid: p.pid, Args: p.args(),
		NetNS: p.netns, OwnNetNS: p.ownNet, Cgroup: p.spec.Cgroup, Rootfs: p.spec.Rootfs,
		StartedAt: p.started, State: state,
	}
	if p.spec.Namespaces.UTS {
		info.Hostname = p.spec.Hostname
	} else {
		info.Hostname, _ = os.Hostname()
	}
	return info
}

// args is the process's argv: the init's while it sets up (when the spec
// named one), the program's once it runs.
func (p *process) args() []string {
	if p.initArgv != nil && !p.execed.Load() {
		return append([]string(nil), p.initArgv...)
	}
	return append([]string(nil), p.spec.Args...)
}

// state reads the process's state: exited, frozen (its cgroup), stopped
// (SIGSTOP: "T" in /proc/PID/stat) or running.
func (h *Host) state(p *process) string {
	if p.exited() {
		return "exited"
	}
	return h.stateOf(p.pid, p.spec.Cgroup)
}

func (h *Host) stateOf(pid int, cgroup string) string {
	if cgroup != "" {
		if st, err := h.cg.Stats(cgroup); err == nil && st.Frozen {
			return "frozen"
		}
	}
	switch procState(pid) {
	case "T", "t":
		return "stopped"
	case "", "Z", "X":
		return "exited"
	}
	return "running"
}

// procState is the one-letter state field of /proc/PID/stat.
func procState(pid int) string {
	f := statFields(pid)
	if len(f) < 1 {
		return ""
	}
	return f[0]
}
