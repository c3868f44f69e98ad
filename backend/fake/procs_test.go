package fake

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// testRootfs makes a tiny rootfs: a placeholder /bin/busybox (the fake
// never executes it) and applet symlinks, as `busybox --install -s` does.
func testRootfs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "bin"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bin", "busybox"), []byte("\x7fELF placeholder"), 0o755))
	for _, a := range []string{"sh", "sleep", "echo", "hostname", "true", "cat"} {
		require.NoError(t, os.Symlink("/bin/busybox", filepath.Join(dir, "bin", a)))
	}
	return dir
}

func start(t *testing.T, k *Kernel, spec backend.ProcSpec) backend.Process {
	t.Helper()
	p, err := k.Start(spec)
	require.NoError(t, err)
	return p
}

func procState(t *testing.T, k *Kernel, pid int) string {
	t.Helper()
	ps, err := k.Procs()
	require.NoError(t, err)
	for _, p := range ps {
		if p.Pid == pid {
			return p.State
		}
	}
	return "gone"
}

func TestStartErrors(t *testing.T) {
	k := New()
	_, err := k.Start(backend.ProcSpec{Args: []string{"sh"}})
	isErr(t, err, backend.ErrInvalid, 0)
	_, err = k.Start(backend.ProcSpec{Rootfs: testRootfs(t)})
	isErr(t, err, backend.ErrInvalid, 0)
	_, err = k.Start(backend.ProcSpec{Args: []string{"nope"}, Rootfs: testRootfs(t)})
	isErr(t, err, backend.ErrProgNotFound, 0)
	_, err = k.Start(backend.ProcSpec{Args: []string{"sh"}, Rootfs: testRootfs(t), Cgroup: "nope"})
	isErr(t, err, backend.ErrNotFound, 0)
	_, err = k.Start(backend.ProcSpec{Args: []string{"sh"}, Rootfs: testRootfs(t), Hostname: "x"})
	isErr(t, err, backend.ErrInvalid, 0)
	_, err = k.Start(backend.ProcSpec{Args: []string{"sh"}, Rootfs: testRootfs(t), NetNS: backend.NSPid(4242)})
	isErr(t, err, backend.ErrNotFound, syscall.ESRCH)
	ps, _ := k.Procs()
	assert.Empty(t, ps)
}

func TestExitStatusAndOutput(t *testing.T) {
	k := New()
	var out bytes.Buffer
	p := start(t, k, backend.ProcSpec{Args: []string{"sh", "-c", "echo hi; exit 3"}, Rootfs: testRootfs(t), Stdout: &out})
	assert.GreaterOrEqual(t, p.Pid(), firstPid)
	st, err := p.Wait()
	require.NoError(t, err)
	assert.Equal(t, backend.ExitStatus{Code: 3}, st)
	st2, _ := p.Wait()
	assert.Equal(t, st, st2, "Wait can be called again")
	assert.Equal(t, "hi\n", out.String())
	isErr(t, p.Signal(syscall.SIGKILL), backend.ErrNotFound, syscall.ESRCH)
	assert.Equal(t, "gone", procState(t, k, p.Pid()))
}

func TestNamespacesHostnameCgroup(t *testing.T) {
	k := New()
	cg := k.Cgroups()
	require.NoError(t, cg.Create("c1"))
	var out bytes.Buffer
	p := start(t, k, backend.ProcSpec{Args: []string{"hostname"}, Rootfs: testRootfs(t),
		Namespaces: backend.AllNamespaces(), Hostname: "box", Stdout: &out, Cgroup: "c1"})
	st, _ := p.Wait()
	assert.Equal(t, 0, st.Code)
	assert.Equal(t, "box\n", out.String())

	p = start(t, k, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: testRootfs(t),
		Namespaces: backend.AllNamespaces(), Cgroup: "c1"})
	assert.Equal(t, backend.NSPid(p.Pid()), p.NetNS())
	ps, _ := k.Procs()
	require.Len(t, ps, 1)
	assert.Equal(t, "dockerlab-fake", ps[0].Hostname, "a new UTS namespace starts as a copy")
	assert.True(t, ps[0].OwnNetNS)
	assert.Equal(t, "c1", ps[0].Cgroup)
	pids, _ := cg.Procs("c1")
	assert.Equal(t, []int{p.Pid()}, pids)

	// the container's namespace: only lo, down; a veth moved in
	ns, err := k.NetNS(backend.NSPid(p.Pid()))
	require.NoError(t, err)
	links, _ := ns.LinkList()
	require.Len(t, links, 1)
	require.NoError(t, k.Root().AddVeth("veth0", "eth1", 0))
	require.NoError(t, k.Root().LinkSetNs("eth1", p.NetNS()))

	// busy cgroup, then exit: out of the cgroup, namespace destroyed,
	// the veth's host end gone with it
	isErr(t, cg.Delete("c1"), backend.ErrBusy, syscall.EBUSY)
	require.NoError(t, p.Signal(syscall.SIGKILL))
	st, _ = p.Wait()
	assert.Equal(t, backend.ExitStatus{Code: 137, Signal: syscall.SIGKILL}, st)
	require.NoError(t, cg.Delete("c1"))
	_, err = k.NetNS(backend.NSPid(p.Pid()))
	isErr(t, err, backend.ErrNotFound, 0)
	_, err = k.Root().LinkByName("veth0")
	isErr(t, err, backend.ErrNotFound, 0)
	_, err = ns.LinkList()
	isErr(t, err, backend.ErrNotFound, 0)
}

// The PID-namespace init ignores SIGTERM (no handler): only the SIGKILL
// that docker stop sends after its grace period ends it.
func TestPidNamespaceInitIgnoresTerm(t *testing.T) {
	k := New()
	rootfs := testRootfs(t)
	p := start(t, k, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: rootfs, Namespaces: backend.AllNamespaces()})
	require.NoError(t, p.Signal(syscall.SIGTERM))
	require.NoError(t, p.Signal(syscall.SIGINT))
	assert.Equal(t, "running", procState(t, k, p.Pid()))
	require.NoError(t, p.Signal(syscall.SIGKILL))
	st, _ := p.Wait()
	assert.Equal(t, backend.ExitStatus{Code: 137, Signal: syscall.SIGKILL}, st)

	// not an init: SIGTERM terminates
	p = start(t, k, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: rootfs})
	require.NoError(t, p.Signal(syscall.SIGTERM))
	st, _ = p.Wait()
	assert.Equal(t, backend.ExitStatus{Code: 143, Signal: syscall.SIGTERM}, st)
}

func TestStopContFreeze(t *testing.T) {
	k := New()
	require.NoError(t, k.Cgroups().Create("c"))
	p := start(t, k, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: testRootfs(t), Cgroup: "c"})
	require.NoError(t, p.Signal(sigSTOP))
	assert.Equal(t, "stopped", procState(t, k, p.Pid()))
	require.NoError(t, p.Signal(sigCONT))
	assert.Equal(t, "running", procState(t, k, p.Pid()))
	require.NoError(t, k.Cgroups().Freeze("c"))
	assert.Equal(t, "frozen", procState(t, k, p.Pid()))
	require.NoError(t, k.Cgroups().Thaw("c"))
	assert.Equal(t, "running", procState(t, k, p.Pid()))
	// a stopped process can still be killed
	require.NoError(t, p.Signal(sigSTOP))
	require.NoError(t, p.Signal(syscall.SIGKILL))
	st, _ := p.Wait()
	assert.Equal(t, 137, st.Code)
}

func TestSetupHook(t *testing.T) {
	k := New()
	var seen backend.NSRef
	p := start(t, k, backend.ProcSpec{Args: []string{"true"}, Rootfs: testRootfs(t), Namespaces: backend.AllNamespaces(),
		Setup: func(p backend.Process) error {
			seen = p.NetNS()
			_, err := k.NetNS(p.NetNS())
			return err
		}})
	st, _ := p.Wait()
	assert.Equal(t, 0, st.Code)
	assert.Equal(t, backend.NSPid(p.Pid()), seen)

	_, err := k.Start(backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: testRootfs(t), Namespaces: backend.AllNamespaces(),
		Setup: func(p backend.Process) error { return backend.ErrPermission }})
	assert.ErrorIs(t, err, backend.ErrPermission)
	ps, _ := k.Procs()
	assert.Empty(t, ps)
	names, _ := k.ListNetNS()
	assert.Empty(t, names)
}

// When the init of a PID namespace ends, the kernel kills the rest of it.
func TestInitExitKillsNamespace(t *testing.T) {
	k := New()
	rootfs := testRootfs(t)
	p := start(t, k, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: rootfs, Namespaces: backend.AllNamespaces()})
	k.mu.Lock()
	sys := &system{k: k, pid: p.Pid(), nspid: 1, lp: k.live[p.Pid()]}
	k.mu.Unlock()
	child := &userlandProcess{args: []string{"sleep", "1000"}, rootfs: rootfs}
	codes := make(chan int, 1)
	go func() { codes <- child.spawn(t, sys) }()
	// wait until the child is in the table, seen from inside as pid 2
	for len(sys.Procs()) < 2 {
		runtimeGosched()
	}
	in := sys.Procs()
	assert.Equal(t, []int{1, 2}, []int{in[0].Pid, in[1].Pid})
	assert.Equal(t, "box", func() string { _ = sys.SetHostname("box"); return sys.Hostname() }())
	isErr(t, sys.Kill(99, syscall.SIGTERM), backend.ErrNotFound, syscall.ESRCH)
	require.NoError(t, sys.Kill(1, syscall.SIGKILL), "ignored: the init cannot be killed from inside")
	require.NoError(t, p.Signal(syscall.SIGKILL))
	assert.Equal(t, 137, <-codes)
	ps, _ := k.Procs()
	assert.Empty(t, ps)
}

func TestVolumesRecorded(t *testing.T) {
	k := New()
	vol := t.TempDir()
	spec := backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: testRootfs(t),
		Mounts: []backend.Mount{{Type: backend.MountBind, Source: vol, Target: "/data"}}}
	p := start(t, k, spec)
	k.mu.Lock()
	sys := &system{k: k, pid: p.Pid(), lp: k.live[p.Pid()]}
	k.mu.Unlock()
	assert.Equal(t, spec.Mounts, sys.Volumes())
	require.NoError(t, p.Signal(syscall.SIGKILL))
	_, _ = p.Wait()

	spec.Mounts[0].Source = filepath.Join(vol, "nope")
	_, err := k.Start(spec)
	isErr(t, err, backend.ErrNotFound, 0)
	spec.Mounts[0] = backend.Mount{Type: backend.MountOverlay, Target: "/x"}
	_, err = k.Start(spec)
	isErr(t, err, backend.ErrUnsupported, 0)
}

// -v is the fake's one door to host files; two kinds of source stay
// shut: the host's "/" (also through a symlink) and whatever holds the
// fake's own state file. A daemon root next to the state file is fine.
func TestVolumesRefuseRootAndState(t *testing.T) {
	stateDir := filepath.Join(t.TempDir(), "fake")
	state := filepath.Join(stateDir, "kernel.json")
	k, err := Open(state)
	require.NoError(t, err)
	link := filepath.Join(t.TempDir(), "to-root")
	require.NoError(t, os.Symlink("/", link))
	for _, src := range []string{"/", link, stateDir, state, filepath.Dir(stateDir)} {
		_, err := k.Start(backend.ProcSpec{Args: []string{"true"}, Rootfs: testRootfs(t),
			Mounts: []backend.Mount{{Type: backend.MountBind, Source: src, Target: "/host"}}})
		isErr(t, err, backend.ErrPermission, syscall.EACCES)
		assert.ErrorContains(t, err, "bind a directory of your own", src)
	}
	sibling := filepath.Join(stateDir, "daemon-root", "resolv.conf")
	require.NoError(t, os.MkdirAll(filepath.Dir(sibling), 0o755))
	require.NoError(t, os.WriteFile(sibling, nil, 0o644))
	for _, src := range []string{t.TempDir(), sibling} {
		p := start(t, k, backend.ProcSpec{Args: []string{"true"}, Rootfs: testRootfs(t),
			Mounts: []backend.Mount{{Type: backend.MountBind, Source: src, Target: "/data"}}})
		_, _ = p.Wait()
	}
}

// The volume roots a container's processes used are closed when the last
// of them ends: a daemon that runs and removes containers must not keep
// one descriptor per container it ever ran (each has a resolv.conf bind).
func TestVolumeRootsClosedAfterExit(t *testing.T) {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("counting descriptors needs /proc/self/fd")
	}
	k := New()
	rootfs := testRootfs(t)
	run := func() {
		dir := t.TempDir()
		file := filepath.Join(dir, "resolv.conf")
		require.NoError(t, os.WriteFile(file, []byte("nameserver 10.0.2.3\n"), 0o644))
		p := start(t, k, backend.ProcSpec{Args: []string{"sh", "-c", "cat /etc/resolv.conf; cat /etc/resolv.conf"}, Rootfs: rootfs,
			Mounts: []backend.Mount{{Type: backend.MountBind, Source: file, Target: "/etc/resolv.conf"}}})
		st, err := p.Wait()
		require.NoError(t, err)
		require.Equal(t, 0, st.Code)
		require.NoError(t, os.RemoveAll(dir))
	}
	run() // the first run opens what stays open for good (poller, pipes)
	before := countFDs(t)
	for i := 0; i < 50; i++ {
		run()
	}
	// The shell interpreter (mvdan.cc/sh) leaves the read end of its
	// stdin pipe to the garbage collector's finalizer: collect, then
	// count; a root left open per container would never go.
	assert.Eventually(t, func() bool { runtime.GC(); return countFDs(t) <= before }, 20*time.Second, 10*time.Millisecond,
		"descriptors left open by 50 containers that have exited: %d before, %d now", before, countFDs(t))
}

func countFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	require.NoError(t, err)
	return len(ents)
}

// A pid-1 shell that traps TERM gets it: `docker stop` then ends it at once.
func TestPidNamespaceInitWithTrap(t *testing.T) {
	k := New()
	p := start(t, k, backend.ProcSpec{Args: []string{"sh", "-c", `trap "exit 7" TERM; sleep 1000`},
		Rootfs: testRootfs(t), Namespaces: backend.AllNamespaces()})
	handled := func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		lp, ok := k.live[p.Pid()]
		return ok && lp.handles(syscall.SIGTERM)
	}
	for !handled() {
		runtimeGosched()
	}
	require.NoError(t, p.Signal(syscall.SIGTERM))
	st, _ := p.Wait()
	assert.Equal(t, 7, st.Code)
}

func TestResetKillsProcesses(t *testing.T) {
	k := New()
	p := start(t, k, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: testRootfs(t)})
	require.NoError(t, k.Reset())
	st, _ := p.Wait()
	assert.Equal(t, 137, st.Code)
	q := start(t, k, backend.ProcSpec{Args: []string{"true"}, Rootfs: testRootfs(t)})
	assert.Greater(t, q.Pid(), p.Pid(), "pids stay unique across a reset")
	_, _ = q.Wait()
	ps, _ := k.Procs()
	assert.Empty(t, ps)
}
