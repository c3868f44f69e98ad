//go:build linux

package linux_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// A descriptor the daemon inherited without close-on-exec (a shell's
// redirection, say) must not reach the container's program.
func TestContainerGetsOnlyStdio(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	leaky, err := unix.Dup(2) // no O_CLOEXEC: fork passes it on
	require.NoError(t, err)
	defer unix.Close(leaky)

	var out bytes.Buffer
	p, err := h.Start(backend.ProcSpec{
		Args: []string{"/bin/ls", "/proc/self/fd"}, Rootfs: rootfs,
		Namespaces: backend.Namespaces{Mount: true, PID: true},
		Stdout:     &out,
	})
	require.NoError(t, err)
	st, err := p.Wait()
	require.NoError(t, err)
	require.Equal(t, 0, st.Code)
	// 0, 1, 2, and the directory ls itself has open.
	fds := strings.Fields(out.String())
	assert.LessOrEqual(t, len(fds), 4, "fds: %v", fds)
}
