package backend_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

// rootfs makes a minimal rootfs (a busybox placeholder and sleep) at dir.
func rootfs(t *testing.T, dir string) string {
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "bin"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bin", "busybox"), []byte("\x7fELF placeholder"), 0o755))
	require.NoError(t, os.Symlink("/bin/busybox", filepath.Join(dir, "bin", "sleep")))
	return dir
}

// KillUnder ends the processes whose rootfs is under the directory, and
// only those (and not those keep accepts).
func TestKillUnder(t *testing.T) {
	h := fake.New()
	mine, other := t.TempDir(), t.TempDir()
	start := func(dir string) backend.Process {
		p, err := h.Start(backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: rootfs(t, dir)})
		require.NoError(t, err)
		return p
	}
	a, b, kept := start(filepath.Join(mine, "a", "rootfs")), start(filepath.Join(mine, "b", "rootfs")), start(filepath.Join(mine, "c", "rootfs"))
	outside := start(filepath.Join(other, "rootfs"))
	killed, left, err := backend.KillUnder(h, mine, func(p backend.ProcInfo) bool { return p.Pid == kept.Pid() }, 10*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 2, killed)
	assert.Empty(t, left)
	for _, p := range []backend.Process{a, b} {
		st, err := p.Wait()
		require.NoError(t, err)
		assert.Equal(t, 137, st.Code)
	}
	for _, p := range []backend.Process{kept, outside} {
		assert.NoError(t, p.Signal(0), "still running")
		p.Signal(9)
		p.Wait()
	}
	killed, _, err = backend.KillUnder(h, mine, nil, time.Second)
	require.NoError(t, err)
	assert.Equal(t, 0, killed, "nothing left to end")
}
