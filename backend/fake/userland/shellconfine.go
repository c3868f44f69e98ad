// Keeping the shell inside the container (docs/design.md "The backend": a fake
// container never touches the host's files, processes or sockets).
//
// mvdan.cc/sh's interpreter is written for the host: by default it opens,
// stats and lists host paths, checks access(2) on them, looks commands up
// in the host's PATH and execs host binaries. Each of those is a handler we
// replace here, mapping every path through the rootfs (rootfs.go) and every
// external command onto the fake kernel's Spawn. The builtins that still
// reach the host on their own (type, command -v, source, pwd -P, exec,
// kill, trap for signals) are rerouted by the call handler in
// shellbuiltins.go.
package userland

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// fsAt is the rootfs as seen from the interpreter's current directory
// (which `cd` changes; the handler context carries it).
//
// The interpreter builds paths with path/filepath, which on Windows turns
// "/etc" into "\\etc"; container paths always use "/", hence slash.
func (sh *shell) fsAt(ctx context.Context) fsys {
	return sh.fs.withDir(slash(interp.HandlerCtx(ctx).Dir))
}

func slash(p string) string { return filepath.ToSlash(p) }

// open serves redirections: < > >> <> and `source`. Errors are
// *fs.PathError so the interpreter prints them and sets status 1.
func (sh *shell) open(ctx context.Context, name string, flag int, perm os.FileMode) (io.ReadWriteCloser, error) {
	name = slash(name)
	if name == "/dev/null" && sh.fs.kfs == nil {
		return devNull{}, nil
	}
	f, err := sh.fsAt(ctx).OpenFile(name, flag, perm)
	if err != nil {
		// The interpreter prints "OP PATH: ERR"; ash says
		// "sh: can't create /x: nonexistent directory".
		op, why := "sh: can't open", "no such file"
		if flag&os.O_CREATE != 0 {
			op, why = "sh: can't create", "nonexistent directory"
		}
		if !errors.Is(err, fs.ErrNotExist) {
			why = errText(err) // strerror, as ash prints it: "Read-only file system"
		}
		return nil, &fs.PathError{Op: op, Path: name, Err: errors.New(why)}
	}
	return f, nil
}

func (sh *shell) stat(ctx context.Context, name string, follow bool) (fs.FileInfo, error) {
	f, name := sh.fsAt(ctx), slash(name)
	if follow {
		return f.Stat(name)
	}
	return f.Lstat(name)
}

// access answers test -r/-w/-x and cd's check from the mode bits and the
// process's uid, as access(2) would for a container without capabilities
// tricks: root may read and write anything and execute what has an x bit.
func (sh *shell) access(ctx context.Context, name string, mode interp.AccessMode) error {
	info, err := sh.fsAt(ctx).Stat(slash(name))
	if err != nil {
		return err
	}
	perm := info.Mode().Perm()
	if sh.p.Uid == 0 {
		if mode&interp.AccessExec != 0 && !info.IsDir() && perm&0o111 == 0 {
			return &fs.PathError{Op: "access", Path: name, Err: syscall.EACCES}
		}
		return nil
	}
	var shift uint
	if uid, gid, ok := fileOwner(info); ok {
		switch {
		case uid == sh.p.Uid:
			shift = 6
		case gid == sh.p.Gid:
			shift = 3
		}
	}
	want := fs.FileMode(mode) << shift
	if perm&want != want {
		return &fs.PathError{Op: "access", Path: name, Err: syscall.EACCES}
	}
	return nil
}

func (sh *shell) readDir(ctx context.Context, name string) ([]fs.DirEntry, error) {
	return sh.fsAt(ctx).ReadDir(slash(name))
}

// execMiddleware runs every command that is neither a function nor an
// interpreter builtin: our rerouted builtins in-process, anything else as
// a child process of the fake kernel. It never calls next, which would
// exec host binaries.
func (sh *shell) execMiddleware(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
	return func(ctx context.Context, args []string) error {
		if b, ok := shellBuiltins[args[0]]; ok {
			return b(sh, ctx, args)
		}
		return sh.spawn(ctx, args)
	}
}

// spawn is fork+exec: find the program in the rootfs (ash reports "not
// found" itself), then ask the kernel for a child with its own pid and
// wait for it.
func (sh *shell) spawn(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	env := exportedEnv(hc.Env)
	_, err := findProgramIn(sh.fs.withDir(slash(hc.Dir)), args[0], env)
	if errors.Is(err, syscall.ENOEXEC) {
		// No "#!" and not a binary: ash runs such a file as a script
		// with a fresh copy of itself.
		args = append([]string{"/bin/sh"}, args...)
		err = nil
	}
	if err != nil {
		return interp.ExitStatus(reportExecError(&Process{Stderr: hc.Stderr}, args[0], err))
	}
	child := &Process{
		Args: args, Env: env, Dir: absPath("/", slash(hc.Dir)), Root: sh.p.Root,
		Stdin: hc.Stdin, Stdout: hc.Stdout, Stderr: hc.Stderr,
		Uid: sh.p.Uid, Gid: sh.p.Gid,
		Ctx: ctx, Sys: sh.p.Sys, // the kernel gives the child its own
	}
	if sh.term != nil && (child.Stdin == nil || sh.isTermIn(child.Stdin)) {
		child.Stdin = sh.term // not redirected: the shell's terminal
	}
	if child.Stdin == nil {
		child.Stdin = emptyReader{}
	}
	type result struct {
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		code, err := sh.p.Sys.Spawn(child)
		done <- result{code, err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			fmt.Fprintf(hc.Stderr, "sh: can't fork: %v\n", res.err)
			return interp.ExitStatus(2)
		}
		if res.code == 0 {
			return nil
		}
		return interp.ExitStatus(uint8(res.code))
	case <-ctx.Done():
		// The shell was killed; its child lives on (orphaned, as on a
		// real kernel, until its PID namespace goes away).
		return ctx.Err()
	}
}

// exportedEnv is the environment a child gets: the exported variables,
// as KEY=VALUE.
func exportedEnv(env expand.Environ) []string {
	var out []string
	env.Each(func(name string, vr expand.Variable) bool {
		if vr.Exported && vr.IsSet() && vr.Kind == expand.String {
			out = append(out, name+"="+vr.String())
		}
		return true
	})
	return out
}

// shellEnviron is the environment the interpreter starts with: the
// process's variables (exported), plus the shell variables the interpreter
// would otherwise fill from the host process (HOME, UID, EUID, GID).
type shellEnviron struct {
	list  expand.Environ
	extra map[string]expand.Variable
}

func newShellEnviron(p *Process, arg0 string) shellEnviron {
	e := shellEnviron{list: expand.ListEnviron(p.Env...), extra: map[string]expand.Variable{}}
	ro := func(v int) expand.Variable {
		return expand.Variable{Set: true, ReadOnly: true, Kind: expand.String, Str: strconv.Itoa(v)}
	}
	e.extra["UID"] = ro(p.Uid)
	e.extra["EUID"] = ro(p.Uid)
	e.extra["GID"] = ro(p.Gid)
	// $$ is the pid in the caller's PID namespace. The fake keeps no
	// parent pids: $PPID is 0 for a namespace's init (as the kernel
	// reports), else 1, the init that every process descends from.
	pid := p.Sys.Pid()
	e.extra[pidVar] = ro(pid)
	e.extra[ppidVar] = ro(min(pid-1, 1))
	e.extra[arg0Var] = expand.Variable{Set: true, ReadOnly: true, Kind: expand.String, Str: arg0}
	if _, ok := getenv(p.Env, "HOME"); !ok {
		e.extra["HOME"] = expand.Variable{Set: true, Kind: expand.String, Str: "/"}
	}
	return e
}

func (e shellEnviron) Get(name string) expand.Variable {
	if vr := e.list.Get(name); vr.IsSet() {
		return vr
	}
	return e.extra[name]
}

func (e shellEnviron) Each(fn func(string, expand.Variable) bool) {
	stop := false
	e.list.Each(func(n string, vr expand.Variable) bool {
		if !fn(n, vr) {
			stop = true
			return false
		}
		return true
	})
	if stop {
		return
	}
	for n, vr := range e.extra {
		if e.list.Get(n).IsSet() {
			continue
		}
		if !fn(n, vr) {
			return
		}
	}
}

// Private names for the shell parameters the interpreter would take from
// the host process: $$ and $PPID (host pids) and $0 (which it sets only
// when running a whole file). prepare renames them in the syntax tree to
// these variables, which shellEnviron defines from the fake kernel.
const (
	pidVar  = "__dockerlab_pid"
	ppidVar = "__dockerlab_ppid"
	arg0Var = "__dockerlab_arg0"
)

// prepare readies parsed code for the interpreter: it renames $$, $PPID
// and $0 (see above), and rejects what the fake cannot confine: a process
// substitution <(...) makes a FIFO on the host (ash has none anyway).
func prepare(node syntax.Node) error {
	var err error
	syntax.Walk(node, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.ProcSubst:
			if err == nil {
				err = fmt.Errorf("line %d: syntax error: unexpected \"(\"", n.Pos().Line())
			}
		case *syntax.ParamExp:
			if n.Param != nil {
				switch n.Param.Value {
				case "$":
					n.Param.Value, n.Short = pidVar, false
				case "PPID":
					n.Param.Value, n.Short = ppidVar, false
				case "0":
					n.Param.Value, n.Short = arg0Var, false
				}
			}
		}
		return err == nil
	})
	return err
}

// devNull is /dev/null, which the fake rootfs may lack (the real backend
// mounts a /dev; the fake has no device files).
type devNull struct{}

func (devNull) Read([]byte) (int, error)          { return 0, io.EOF }
func (devNull) Write(b []byte) (int, error)       { return len(b), nil }
func (devNull) Close() error                      { return nil }
func (devNull) Seek(int64, int) (int64, error)    { return 0, nil }
func (devNull) ReadAt([]byte, int64) (int, error) { return 0, io.EOF }
