//go:build linux

// Processes in new namespaces, in a busybox rootfs (docs/kernels.md §5;
// book ch.13 dockerinit; docs/backend-contract.md): own hostname, pid 1,
// only lo, host files invisible, exit codes, signals, 127 for a missing
// program.

package linux_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// run starts args in a container and returns its output and status.
func run(t *testing.T, h backend.Host, spec backend.ProcSpec) (string, backend.ExitStatus) {
	t.Helper()
	var out bytes.Buffer
	spec.Stdout, spec.Stderr = &out, &out
	p, err := h.Start(spec)
	require.NoError(t, err)
	st, err := p.Wait()
	require.NoError(t, err)
	return out.String(), st
}

func container(rootfs string, args ...string) backend.ProcSpec {
	return backend.ProcSpec{Args: args, Namespaces: backend.AllNamespaces(), Rootfs: rootfs, Hostname: "box"}
}

func TestProcessSeesItsOwnWorld(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	require.NoError(t, os.WriteFile(filepath.Join(rootfs, "etc", "marker"), []byte("inside\n"), 0o644))

	out, st := run(t, h, container(rootfs, "sh", "-c", "echo $$; hostname; ip -o link | cut -d: -f2; cat /etc/marker; ls /"))
	assert.Equal(t, 0, st.Code, out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.GreaterOrEqual(t, len(lines), 4, out)
	assert.Equal(t, "1", lines[0], "pid 1 in its pid namespace")
	assert.Equal(t, "box", lines[1])
	assert.Equal(t, "lo", strings.TrimSpace(lines[2]), "only lo in a new network namespace")
	assert.Equal(t, "inside", lines[3])
	assert.NotContains(t, out, "home", "the host's files are invisible")

	out, _ = run(t, h, container(rootfs, "ps"))
	assert.Equal(t, 2, strings.Count(strings.TrimSpace(out), "\n")+1, "ps sees only itself: %s", out)
	out, _ = run(t, h, container(rootfs, "ls", "/dev"))
	for _, d := range []string{"null", "zero", "full", "random", "urandom", "tty", "pts", "shm", "ptmx"} {
		assert.Contains(t, out, d)
	}
}

func TestProcessExitCodesAndMissingProgram(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	_, st := run(t, h, container(rootfs, "sh", "-c", "exit 3"))
	assert.Equal(t, backend.ExitStatus{Code: 3}, st)
	_, st = run(t, h, container(rootfs, "false"))
	assert.Equal(t, 1, st.Code)

	var out bytes.Buffer
	spec := container(rootfs, "nosuchprog")
	spec.Stderr = &out
	_, err := h.Start(spec)
	assert.ErrorIs(t, err, backend.ErrProgNotFound)
	assert.ErrorIs(t, err, syscall.ENOENT)
	assert.Contains(t, err.Error(), `exec: "nosuchprog": executable file not found in $PATH`)
	assert.Contains(t, out.String(), "executable file not found", "Docker's message on stderr too")
	procs, err := h.Procs()
	require.NoError(t, err)
	assert.Len(t, procs, 2, "the failed start is not in the table")

	spec = container(rootfs, "true")
	spec.Setup = func(backend.Process) error { return backend.ErrBusy }
	_, err = h.Start(spec)
	assert.ErrorIs(t, err, backend.ErrBusy, "Setup's error is Start's")
	procs, _ = h.Procs()
	assert.Len(t, procs, 2)
}

func TestProcessSignals(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)

	p, err := h.Start(container(rootfs, "sleep", "100"))
	require.NoError(t, err)
	require.NoError(t, p.Signal(syscall.SIGKILL))
	st, err := p.Wait()
	require.NoError(t, err)
	assert.Equal(t, backend.ExitStatus{Code: 137, Signal: syscall.SIGKILL}, st)
	st2, _ := p.Wait()
	assert.Equal(t, st, st2, "Wait is repeatable")
	assert.ErrorIs(t, p.Signal(syscall.SIGTERM), backend.ErrNotFound)

	// Without a pid namespace, SIGTERM's default action applies.
	spec := container(rootfs, "sleep", "100")
	spec.Namespaces.PID = false
	p, err = h.Start(spec)
	require.NoError(t, err)
	require.NoError(t, p.Signal(syscall.SIGTERM))
	st, _ = p.Wait()
	assert.Equal(t, backend.ExitStatus{Code: 143, Signal: syscall.SIGTERM}, st)

	// As pid 1 a shell must trap SIGTERM itself (the kernel ignores
	// default-action signals to a namespace's init: why `docker stop`
	// falls back to SIGKILL).
	spec = container(rootfs, "sh", "-c", "trap 'exit 42' TERM; echo ready; while true; do sleep 0.05; done")
	ready, w, err := os.Pipe()
	require.NoError(t, err)
	defer ready.Close()
	spec.Stdout = w
	p, err = h.Start(spec)
	w.Close()
	require.NoError(t, err)
	line := make([]byte, 6)
	_, err = io.ReadFull(ready, line) // the trap is installed once it says so
	require.NoError(t, err)
	require.Equal(t, "ready\n", string(line))
	require.NoError(t, p.Signal(syscall.SIGTERM))
	st, _ = p.Wait()
	assert.Equal(t, 42, st.Code)
}

func TestProcessSetupAndSharedNetwork(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	root := h.Root()
	require.NoError(t, root.AddVeth("vhost", "vcont", 0))

	// Setup moves the veth into the child's namespace while it waits.
	spec := container(rootfs, "sh", "-c", "ip -o link | cut -d: -f2 | cut -d@ -f1")
	spec.Setup = func(p backend.Process) error {
		assert.Equal(t, backend.NSPid(p.Pid()), p.NetNS())
		return root.LinkSetNs("vcont", p.NetNS())
	}
	out, st := run(t, h, spec)
	assert.Equal(t, 0, st.Code)
	assert.Equal(t, "lo\nvcont", strings.Join(strings.Fields(out), "\n"))

	// NET false: the process shares the root (sandbox) namespace.
	require.NoError(t, root.AddBridge("br-shared", 0))
	spec = container(rootfs, "ip", "-o", "link")
	spec.Namespaces.NET = false
	out, _ = run(t, h, spec)
	assert.Contains(t, out, "br-shared")

	// Joining a named namespace.
	c, err := h.NewNetNS("joined")
	require.NoError(t, err)
	require.NoError(t, c.AddBridge("br-joined", 0))
	spec.NetNS = backend.NSName("joined")
	out, _ = run(t, h, spec)
	assert.Contains(t, out, "br-joined")
	assert.NotContains(t, out, "br-shared")
}

func TestProcessCgroupAndProcs(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	require.NoError(t, h.Cgroups().Create("box1"))
	spec := container(rootfs, "sleep", "100")
	spec.Cgroup = "box1"
	p, err := h.Start(spec)
	require.NoError(t, err)
	pids, err := h.Cgroups().Procs("box1")
	require.NoError(t, err)
	assert.Equal(t, []int{p.Pid()}, pids)

	procs, err := h.Procs()
	require.NoError(t, err)
	require.Len(t, procs, 1)
	assert.Equal(t, p.Pid(), procs[0].Pid)
	assert.Equal(t, "box", procs[0].Hostname)
	assert.Equal(t, "box1", procs[0].Cgroup)
	assert.True(t, procs[0].OwnNetNS)
	assert.Equal(t, "running", procs[0].State)

	if h.Cgroups().Mode() != backend.CgroupV2 {
		require.NoError(t, h.Cgroups().Freeze("box1"))
		procs, _ = h.Procs()
		assert.Equal(t, "frozen", procs[0].State)
		require.NoError(t, h.Cgroups().Thaw("box1"))
	}
	require.NoError(t, p.Signal(syscall.SIGSTOP))
	require.Eventually(t, func() bool { procs, _ = h.Procs(); return procs[0].State == "stopped" }, 5e9, 1e7)
	require.NoError(t, p.Signal(syscall.SIGKILL))
	p.Wait()
	procs, _ = h.Procs()
	assert.Equal(t, "exited", procs[0].State)
}

func TestProcessUserDirVolumeReadonly(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	vol := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(vol, "data"), []byte("from-host\n"), 0o644))
	spec := container(rootfs, "sh", "-c", "id -u; id -g; pwd; cat /vol/data; touch /vol/x 2>/dev/null || echo vol-ro; touch /y 2>/dev/null || echo root-ro")
	// World-writable, so only the read-only mounts can stop nobody.
	require.NoError(t, os.Chmod(vol, 0o777))
	require.NoError(t, os.Chmod(rootfs, 0o777))
	spec.Uid, spec.Gid, spec.Dir = 65534, 65534, "/tmp"
	spec.Mounts = []backend.Mount{{Type: backend.MountBind, Source: vol, Target: "/vol", Readonly: true}}
	spec.ReadonlyRootfs = true
	out, st := run(t, h, spec)
	assert.Equal(t, 0, st.Code, out)
	assert.Equal(t, "65534\n65534\n/tmp\nfrom-host\nvol-ro\nroot-ro\n", out)
}

func TestStartRefusesBadSpecs(t *testing.T) {
	h := linuxtest.NewHost(t)
	_, err := h.Start(backend.ProcSpec{})
	assert.ErrorIs(t, err, backend.ErrInvalid)
	_, err = h.Start(backend.ProcSpec{Args: []string{"sh"}, Rootfs: "/"})
	assert.ErrorIs(t, err, backend.ErrInvalid, "a rootfs without a mount namespace")
	_, err = h.Start(backend.ProcSpec{Args: []string{"sh"}, Namespaces: backend.Namespaces{NET: true}, NetNS: backend.NSName("x")})
	assert.ErrorIs(t, err, backend.ErrInvalid)
	_, err = h.Start(backend.ProcSpec{Args: []string{"sh"}, NetNS: backend.NSName("nope")})
	assert.ErrorIs(t, err, backend.ErrNotFound)
}

func TestProcessTty(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	spec := container(rootfs, "sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo is-a-tty; ls -l /proc/self/fd/0 | grep -o 'pts/[0-9]*' | cut -c1-4")
	spec.Tty = true
	var out bytes.Buffer
	spec.Stdout = &out
	p, err := h.Start(spec)
	require.NoError(t, err)
	st, err := p.Wait()
	require.NoError(t, err)
	assert.Equal(t, 0, st.Code)
	assert.Equal(t, "is-a-tty\r\npts/\r\n", out.String(), "a tty turns \\n into \\r\\n")
}

// A second Host on the same RunDir (another dockerlab command) lists the
// processes the first one started, from the pid registry.
func TestProcsFromRegistry(t *testing.T) {
	h := linuxtest.NewLinuxHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	p, err := h.Start(container(rootfs, "sleep", "100"))
	require.NoError(t, err)

	opts := h.Options()
	opts.CgroupParent = linuxtest.Unique("dockerlab-test-")
	other, err := linux.New(opts)
	require.NoError(t, err)
	defer other.Close()
	procs, err := other.Procs()
	require.NoError(t, err)
	require.Len(t, procs, 1)
	assert.Equal(t, p.Pid(), procs[0].Pid)
	assert.Equal(t, []string{"sleep", "100"}, procs[0].Args)
	assert.Equal(t, "box", procs[0].Hostname)
	assert.Equal(t, "running", procs[0].State)

	require.NoError(t, p.Signal(syscall.SIGKILL))
	p.Wait()
	procs, err = other.Procs()
	require.NoError(t, err)
	assert.Empty(t, procs, "the registry forgets processes that ended")
}

// Docker 1.2's --net container:NAME: a second process joins the first's
// network namespace by pid.
func TestProcessJoinsAnotherProcessNetwork(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	first, err := h.Start(container(rootfs, "sleep", "100"))
	require.NoError(t, err)
	n, err := h.NetNS(first.NetNS())
	require.NoError(t, err)
	require.NoError(t, n.AddBridge("br-first", 0))

	spec := container(rootfs, "ip", "-o", "link")
	spec.Namespaces.NET = false
	spec.NetNS = backend.NSPid(first.Pid())
	var out bytes.Buffer
	spec.Stdout = &out
	second, err := h.Start(spec)
	require.NoError(t, err)
	assert.Equal(t, backend.NSPid(first.Pid()), second.NetNS())
	second.Wait()
	assert.Contains(t, out.String(), "br-first")
}

// A start whose cgroup join fails — a cpuset cgroup emptied behind the
// manager's back — comes back at once with an error that names the file
// and how to fill it, even when the container's stdin is a pipe that
// never ends (issue #12 item 7: it used to hang in Wait, copying stdin).
func TestStartFailsFastWhenTheCgroupJoinFails(t *testing.T) {
	h := linuxtest.NewLinuxHost(t)
	cg := h.Cgroups()
	if cg.Mode() == backend.CgroupV2 {
		t.Skip("skipping: an empty cpuset refuses tasks only on cgroup v1")
	}
	rootfs := linuxtest.BusyboxRootfs(t)
	require.NoError(t, cg.Create("emptied"))
	dir := filepath.Join(cg.Root(), "cpuset", h.Options().CgroupParent, "emptied")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cpuset.mems"), []byte("\n"), 0))

	stdin, keepOpen := io.Pipe() // never written, never closed until the end
	defer keepOpen.Close()
	spec := container(rootfs, "cat")
	spec.Cgroup, spec.Stdin = "emptied", stdin
	var out bytes.Buffer
	spec.Stdout, spec.Stderr = &out, &out
	type result struct {
		p   backend.Process
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := h.Start(spec)
		done <- result{p, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(60 * time.Second): // a bound, not a measurement
		t.Fatal("Start did not come back: a failed cgroup join must not hang")
	}
	require.Error(t, r.err)
	assert.ErrorIs(t, r.err, backend.ErrNoSpace)
	assert.Contains(t, r.err.Error(), filepath.Join(dir, "cpuset.mems"))
	assert.Contains(t, r.err.Error(), "is empty")
	assert.Contains(t, r.err.Error(), "cat ")
	procs, err := h.Procs()
	require.NoError(t, err)
	assert.Empty(t, procs, "a failed start leaves no process")
}
