// A stand-in for the fake kernel, for this package's tests: a process
// table with pids, hostname, kill, spawn (a goroutine running Run) and an
// optional backend.Net. The real kernel is backend/fake.
package userland

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

type stubKernel struct {
	mu       sync.Mutex
	nextPid  int
	hostname string
	procs    map[int]*stubProc
	net      backend.Net
	volumes  []backend.Mount
}

type stubProc struct {
	info    backend.ProcInfo
	cancel  context.CancelCauseFunc
	handled map[syscall.Signal]bool
}

// stubSys is one process's view of the stub kernel.
type stubSys struct {
	k   *stubKernel
	pid int
}

func newStubKernel() *stubKernel {
	return &stubKernel{nextPid: 1, hostname: "box", procs: map[int]*stubProc{}}
}

// signalCause carries the signal in a context's cause, as the fake kernel
// may do (shelltrap.go).
type signalCause syscall.Signal

func (s signalCause) Error() string          { return "killed by " + syscall.Signal(s).String() }
func (s signalCause) Signal() syscall.Signal { return syscall.Signal(s) }

// register adds a process and returns its system view and context.
func (k *stubKernel) add(parent context.Context, args []string) (*stubSys, context.Context, func()) {
	k.mu.Lock()
	defer k.mu.Unlock()
	pid := k.nextPid
	k.nextPid++
	ctx, cancel := context.WithCancelCause(parent)
	k.procs[pid] = &stubProc{info: backend.ProcInfo{Pid: pid, Args: args, State: "running", StartedAt: time.Now()},
		cancel: cancel, handled: map[syscall.Signal]bool{}}
	done := func() {
		k.mu.Lock()
		delete(k.procs, pid)
		k.mu.Unlock()
		cancel(nil)
	}
	return &stubSys{k: k, pid: pid}, ctx, done
}

func (s *stubSys) Pid() int { return s.pid }
func (s *stubSys) Hostname() string {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	return s.k.hostname
}
func (s *stubSys) SetHostname(name string) error {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	s.k.hostname = name
	return nil
}
func (s *stubSys) Procs() []backend.ProcInfo {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	var out []backend.ProcInfo
	for pid := 1; pid < s.k.nextPid; pid++ {
		if p, ok := s.k.procs[pid]; ok {
			out = append(out, p.info)
		}
	}
	return out
}
func (s *stubSys) Kill(pid int, sig syscall.Signal) error {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	p, ok := s.k.procs[pid]
	if !ok {
		return backend.ErrnoError(syscall.ESRCH, "kill", "")
	}
	if sig != 0 {
		p.cancel(signalCause(sig))
	}
	return nil
}

// HandleSignal is the optional method the fake kernel offers.
func (s *stubSys) HandleSignal(sig syscall.Signal, handled bool) {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	if p, ok := s.k.procs[s.pid]; ok {
		p.handled[sig] = handled
	}
}

func (k *stubKernel) handles(pid int, sig syscall.Signal) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	p, ok := k.procs[pid]
	return ok && p.handled[sig]
}

// Volumes is the optional method the fake kernel offers.
func (s *stubSys) Volumes() []backend.Mount { return s.k.volumes }

func (s *stubSys) Net() backend.Net { return s.k.net }
func (s *stubSys) Spawn(p *Process) (int, error) {
	sys, ctx, done := s.k.add(p.Ctx, p.Args)
	defer done()
	q := *p
	q.Sys, q.Ctx = sys, ctx
	return Run(&q), nil
}
func (s *stubSys) Stopped(ctx context.Context) error { return ctx.Err() }

// testRootfs makes a rootfs: bin/busybox (a placeholder), applet symlinks
// (some relative, some absolute as `busybox --install -s` makes them),
// etc/passwd and etc/group.
func testRootfs(t *testing.T) (string, *os.Root) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"bin", "etc", "tmp", "root", "usr/bin"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bin/busybox"), []byte("\x7fELF placeholder"), 0o755))
	for i, a := range Applets() {
		target := "busybox"
		if i%2 == 1 {
			target = "/bin/busybox"
		}
		require.NoError(t, os.Symlink(target, filepath.Join(dir, "bin", a)))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc/passwd"),
		[]byte("root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc/group"),
		[]byte("root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nnogroup:x:65534:\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc/hostname"), []byte("container\n"), 0o644))
	root, err := os.OpenRoot(dir)
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	return dir, root
}

// result is what a run printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// run runs args as the first process of a fresh stub kernel.
func run(t *testing.T, root *os.Root, stdin string, args ...string) result {
	t.Helper()
	return runIn(t, newStubKernel(), root, context.Background(), stdin, args...)
}

func runIn(t *testing.T, k *stubKernel, root *os.Root, ctx context.Context, stdin string, args ...string) result {
	t.Helper()
	sys, pctx, done := k.add(ctx, args)
	defer done()
	var out, errb syncBuffer
	code := Run(&Process{
		Args: args, Env: []string{"PATH=" + DefaultPath, "HOME=/root"}, Dir: "/", Root: root,
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Ctx: pctx, Sys: sys,
	})
	return result{code, out.String(), errb.String()}
}

// syncBuffer is a bytes.Buffer safe for the interpreter's concurrent
// writers (pipelines, background jobs).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sh runs a command string with sh -c.
func sh(t *testing.T, root *os.Root, cmd string) result {
	t.Helper()
	return run(t, root, "", "sh", "-c", cmd)
}

func errProgNotFound() error { return backend.ErrProgNotFound }
func errUnsupported() error  { return backend.ErrUnsupported }
func errENOENT() error       { return syscall.ENOENT }
func errEACCES() error       { return syscall.EACCES }
