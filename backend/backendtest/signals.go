// Contract: signals and the PID namespace's init (book ch.14 §14.3 PID
// namespace; note 003 namespaces; pid_namespaces(7)). A container's first
// process is the init of its PID namespace: the kernel does not deliver it
// a signal whose action is the default unless it installed a handler —
// except SIGKILL and SIGSTOP from an ancestor namespace. That is why
// `docker stop` of a plain `sleep` waits out its timeout and then kills.
// When that init exits, the kernel kills everything else in the namespace.
package backendtest

import (
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

var signalChecks = []check{
	{"SIGTERM ends a process that is not a namespace init", func(t *testing.T, h backend.Host) {
		spec, _, _ := container(Rootfs(t, h), "sleep", "100")
		spec.Namespaces.PID = false
		p := start(t, h, spec)
		require.NoError(t, p.Signal(syscall.SIGTERM))
		assert.Equal(t, backend.ExitStatus{Code: 143, Signal: syscall.SIGTERM}, waitStatus(t, p))
	}},
	{"the init of a pid namespace ignores SIGTERM without a handler; SIGKILL still works", func(t *testing.T, h backend.Host) {
		spec, _, _ := container(Rootfs(t, h), "sleep", "100")
		p := start(t, h, spec)
		require.NoError(t, p.Signal(syscall.SIGTERM))
		require.NoError(t, p.Signal(syscall.SIGKILL))
		assert.Equal(t, backend.ExitStatus{Code: 137, Signal: syscall.SIGKILL}, waitStatus(t, p), "SIGTERM must not have ended it")
	}},
	{"SIGSTOP and SIGCONT show in the process table", func(t *testing.T, h backend.Host) {
		spec, _, _ := container(Rootfs(t, h), "sleep", "100")
		p := start(t, h, spec)
		require.NoError(t, p.Signal(sigSTOP))
		eventually(t, func() bool { i := findProc(t, h, p.Pid()); return i != nil && i.State == "stopped" }, "state stopped after SIGSTOP")
		require.NoError(t, p.Signal(sigCONT))
		eventually(t, func() bool { i := findProc(t, h, p.Pid()); return i != nil && i.State == "running" }, "state running after SIGCONT")
	}},
	{"when the init exits, the rest of its pid namespace dies", func(t *testing.T, h backend.Host) {
		spec, out, errOut := container(Rootfs(t, h), "sh", "-c", "sleep 100 & echo started")
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		assert.Equal(t, "started\n", got)
		eventually(t, func() bool { return countRunning(t, h) == 0 }, "the background sleep should be killed with its namespace")
	}},
	{"ps in a container sees only the container", func(t *testing.T, h backend.Host) {
		rootfs := Rootfs(t, h)
		other, _, _ := container(rootfs, "sleep", "100")
		start(t, h, other)
		spec, out, errOut := container(rootfs, "ps")
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		lines := strings.Split(strings.TrimSpace(got), "\n")
		require.Len(t, lines, 2, "a header and ps itself:\n%s", got)
		fields := strings.Fields(lines[1])
		require.NotEmpty(t, fields)
		assert.Equal(t, "1", fields[0], "ps is pid 1 of its namespace:\n%s", got)
		assert.Contains(t, lines[1], "ps")
	}},
}
