// Contract: processes — a command started the way Docker 1.2's native
// driver started a container (new namespaces, hostname, pivot_root into a
// rootfs, env, stdio, a Setup hook where the veth moves in), its exit
// status and signals (reference docs/kernels.md §5; book
// ch.13 dockerinit启动 and ch.14 §14.3; note 003 namespaces).
package backendtest

import (
	"bytes"
	"errors"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// syncBuffer is a bytes.Buffer a process may write while the test reads.
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

// container is the spec of a Docker container: every namespace, a
// hostname, the rootfs, and stdout/stderr captured.
func container(rootfs string, args ...string) (backend.ProcSpec, *syncBuffer, *syncBuffer) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	return backend.ProcSpec{
		Args:       args,
		Namespaces: backend.AllNamespaces(),
		Hostname:   "box",
		Rootfs:     rootfs,
		Stdout:     out,
		Stderr:     errOut,
	}, out, errOut
}

// start starts spec and makes sure the process is gone when t ends.
func start(t *testing.T, h backend.Host, spec backend.ProcSpec) backend.Process {
	t.Helper()
	p, err := h.Start(spec)
	require.NoError(t, err, "start %v", spec.Args)
	t.Cleanup(func() {
		_ = p.Signal(syscall.SIGKILL)
		waitStatus(t, p)
	})
	return p
}

// waitStatus waits for p, failing t rather than hanging forever.
func waitStatus(t *testing.T, p backend.Process) backend.ExitStatus {
	t.Helper()
	type result struct {
		st  backend.ExitStatus
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := p.Wait()
		done <- result{st, err}
	}()
	select {
	case r := <-done:
		require.NoError(t, r.err, "wait for pid %d", p.Pid())
		return r.st
	case <-time.After(patience):
		t.Fatalf("pid %d did not end", p.Pid())
	}
	return backend.ExitStatus{}
}

// runToEnd starts spec, waits for it and returns what it printed.
func runToEnd(t *testing.T, h backend.Host, spec backend.ProcSpec, out, errOut *syncBuffer) (string, backend.ExitStatus) {
	t.Helper()
	p := start(t, h, spec)
	st := waitStatus(t, p)
	if st.Code != 0 {
		t.Logf("%v exited %d; stderr: %s", spec.Args, st.Code, errOut.String())
	}
	return out.String(), st
}

var ipLinkName = regexp.MustCompile(`(?m)^\d+: ([^:@\s]+)`)

// ipLinkNames reads the interface names out of `ip -o link` output.
func ipLinkNames(out string) []string {
	var names []string
	for _, m := range ipLinkName.FindAllStringSubmatch(out, -1) {
		names = append(names, m[1])
	}
	return names
}

var errSetup = errors.New("setup refused on purpose")

var procChecks = []check{
	{"sh is pid 1 in a new pid namespace", func(t *testing.T, h backend.Host) {
		spec, out, errOut := container(Rootfs(t, h), "sh", "-c", "echo $$")
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Equal(t, backend.ExitStatus{}, st)
		assert.Equal(t, "1\n", got)
	}},
	{"the hostname of the spec is the container's", func(t *testing.T, h backend.Host) {
		spec, out, errOut := container(Rootfs(t, h), "hostname")
		spec.Hostname = "box1"
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		assert.Equal(t, "box1\n", got)
	}},
	{"a new network namespace has only lo", func(t *testing.T, h backend.Host) {
		require.NoError(t, h.Root().AddBridge("br0", 0), "a link the container must not see")
		spec, out, errOut := container(Rootfs(t, h), "ip", "-o", "link")
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		assert.Equal(t, []string{"lo"}, ipLinkNames(got), "ip -o link printed:\n%s", got)
	}},
	{"/ is the rootfs: the host's files are invisible", func(t *testing.T, h backend.Host) {
		rootfs := Rootfs(t, h)
		spec, out, errOut := container(rootfs, "ls", "/")
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		entries := strings.Fields(got)
		sort.Strings(entries)
		assert.Equal(t, RootfsDirs, entries)
	}},
	{"exit status", func(t *testing.T, h backend.Host) {
		spec, out, errOut := container(Rootfs(t, h), "sh", "-c", "exit 3")
		_, st := runToEnd(t, h, spec, out, errOut)
		assert.Equal(t, backend.ExitStatus{Code: 3}, st)
	}},
	{"SIGKILL ends a process; signalling it afterwards is not found", func(t *testing.T, h backend.Host) {
		spec, _, _ := container(Rootfs(t, h), "sleep", "100")
		p := start(t, h, spec)
		require.NoError(t, p.Signal(syscall.SIGKILL))
		st := waitStatus(t, p)
		assert.Equal(t, backend.ExitStatus{Code: 137, Signal: syscall.SIGKILL}, st)
		assert.Equal(t, st, waitStatus(t, p), "Wait again gives the same status")
		requireErr(t, p.Signal(syscall.SIGTERM), backend.ErrNotFound, 0, "signal an ended process")
	}},
	{"a missing program: Start fails with ErrProgNotFound", func(t *testing.T, h backend.Host) {
		// Both backends find out before the program would run: the fake
		// looks the name up in the rootfs; the linux backend's init reports
		// the failed exec through its error pipe instead of exiting 127 as
		// Docker 1.2's dockerinit did, so the caller gets a clear error.
		spec, _, _ := container(Rootfs(t, h), "nosuchprog")
		p, err := h.Start(spec)
		requireErr(t, err, backend.ErrProgNotFound, 0, "start a missing program")
		assert.Nil(t, p)
		assert.Contains(t, err.Error(), "nosuchprog")
	}},
	{"environment, working directory and stdin", func(t *testing.T, h backend.Host) {
		spec, out, errOut := container(Rootfs(t, h), "sh", "-c", "echo $FOO; pwd; cat")
		spec.Env = []string{"FOO=bar"} // no PATH: the default applies
		spec.Dir = "/etc"
		spec.Stdin = strings.NewReader("from stdin\n")
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		assert.Equal(t, "bar\n/etc\nfrom stdin\n", got)
	}},
	{"uid and gid", func(t *testing.T, h backend.Host) {
		spec, out, errOut := container(Rootfs(t, h), "sh", "-c", "id -u; id -g")
		spec.Uid, spec.Gid = 1000, 1000
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		assert.Equal(t, "1000\n1000\n", got)
	}},
	{"Setup runs before the program: a veth moved in is there", func(t *testing.T, h backend.Host) {
		root := h.Root()
		require.NoError(t, root.AddVeth("sv0", "sv0p", 0))
		spec, out, errOut := container(Rootfs(t, h), "ip", "-o", "link")
		var setupPid int
		spec.Setup = func(p backend.Process) error {
			setupPid = p.Pid()
			if p.NetNS() != backend.NSPid(p.Pid()) {
				return errors.New("NetNS of a process with its own namespace should be NSPid(pid), got " + p.NetNS().String())
			}
			return root.LinkSetNs("sv0p", backend.NSPid(p.Pid()))
		}
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		assert.NotZero(t, setupPid)
		assert.ElementsMatch(t, []string{"lo", "sv0p"}, ipLinkNames(got), "ip -o link printed:\n%s", got)
	}},
	{"a Setup error stops the process and is returned", func(t *testing.T, h backend.Host) {
		spec, _, _ := container(Rootfs(t, h), "sleep", "100")
		spec.Setup = func(backend.Process) error { return errSetup }
		p, err := h.Start(spec)
		require.Error(t, err)
		assert.ErrorIs(t, err, errSetup)
		assert.Nil(t, p)
		eventually(t, func() bool { return countRunning(t, h) == 0 }, "nothing may keep running after a failed Setup")
	}},
	{"joining a named network namespace", func(t *testing.T, h backend.Host) {
		ns, err := h.NewNetNS("pj")
		require.NoError(t, err)
		require.NoError(t, ns.AddBridge("pjbr", 0))
		spec, out, errOut := container(Rootfs(t, h), "ip", "-o", "link")
		spec.Namespaces.NET = false
		spec.NetNS = backend.NSName("pj")
		p := start(t, h, spec)
		assert.Equal(t, backend.NSName("pj"), p.NetNS())
		st := waitStatus(t, p)
		assert.Zero(t, st.Code, "stderr: %s", errOut.String())
		assert.Equal(t, []string{"lo", "pjbr"}, ipLinkNames(out.String()))
	}},
	{"the process table lists a running container", func(t *testing.T, h backend.Host) {
		rootfs := Rootfs(t, h)
		spec, _, _ := container(rootfs, "sleep", "100")
		spec.Hostname = "box7"
		p := start(t, h, spec)
		info := findProc(t, h, p.Pid())
		require.NotNil(t, info, "pid %d not in Procs", p.Pid())
		assert.Equal(t, []string{"sleep", "100"}, info.Args)
		assert.Equal(t, "box7", info.Hostname)
		assert.Equal(t, "running", info.State)
		assert.True(t, info.OwnNetNS)
		assert.Equal(t, backend.NSPid(p.Pid()), info.NetNS)
		dump, err := backend.DumpProcs(h)
		require.NoError(t, err)
		assert.Contains(t, dump, "sleep 100")

		require.NoError(t, p.Signal(syscall.SIGKILL))
		waitStatus(t, p)
		if info := findProc(t, h, p.Pid()); info != nil {
			assert.Equal(t, "exited", info.State)
		}
	}},
	{"a container's namespace dies with it, and the veth moved into it", func(t *testing.T, h backend.Host) {
		root := h.Root()
		require.NoError(t, root.AddVeth("sv1", "sv1p", 0))
		spec, _, _ := container(Rootfs(t, h), "sleep", "100")
		spec.Setup = func(p backend.Process) error { return root.LinkSetNs("sv1p", backend.NSPid(p.Pid())) }
		p := start(t, h, spec)
		n, err := h.NetNS(p.NetNS())
		require.NoError(t, err)
		link(t, n, "sv1p")
		require.NoError(t, p.Signal(syscall.SIGKILL))
		waitStatus(t, p)
		eventually(t, func() bool {
			_, err := root.LinkByName("sv1")
			return errors.Is(err, backend.ErrNotFound)
		}, "sv1 should vanish when the container's namespace is destroyed")
	}},
}

func findProc(t *testing.T, h backend.Host, pid int) *backend.ProcInfo {
	t.Helper()
	procs, err := h.Procs()
	require.NoError(t, err)
	for i := range procs {
		if procs[i].Pid == pid {
			return &procs[i]
		}
	}
	return nil
}

func countRunning(t *testing.T, h backend.Host) int {
	procs, err := h.Procs()
	require.NoError(t, err)
	n := 0
	for _, p := range procs {
		if p.State == "running" {
			n++
		}
	}
	return n
}
