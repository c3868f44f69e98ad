//go:build linux

package linux_test

import (
	"errors"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// A second Host on the same RunDir (a restarted daemon) may kill what the
// first started; a process dockerlab did not start is out of reach.
func TestKillByPidAcrossHosts(t *testing.T) {
	first := linuxtest.NewLinuxHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	p, err := first.Start(backend.ProcSpec{
		Args: []string{"/bin/sleep", "60"}, Rootfs: rootfs,
		Namespaces: backend.Namespaces{Mount: true, PID: true},
	})
	require.NoError(t, err)

	second, err := linux.New(first.Options())
	require.NoError(t, err)
	defer second.Close()

	require.NoError(t, second.Kill(p.Pid(), syscall.SIGKILL))
	st, err := p.Wait()
	require.NoError(t, err)
	assert.Equal(t, syscall.SIGKILL, st.Signal)

	// Our own test process was not started by dockerlab: refused.
	err = second.Kill(os.Getpid(), 0)
	assert.True(t, errors.Is(err, backend.ErrNotFound), "got %v", err)
	// Nor is the ended container any more.
	err = second.Kill(p.Pid(), syscall.SIGKILL)
	assert.True(t, errors.Is(err, backend.ErrNotFound), "got %v", err)
}
