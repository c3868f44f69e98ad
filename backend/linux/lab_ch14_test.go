//go:build linux

// Tests of the exercise ch14.pivot-root (pivotRoot: the container's
// rootfs becomes "/" and the machine's root is let go), on the real
// kernel only: `sudo dockerlab lab check --backend linux ch14.pivot-root`,
// or as root `go test ./backend/linux -run TestCh14PivotRoot`. Each test
// starts a busybox container in namespaces of its own (linuxtest).

package linux_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labInContainer runs a shell script in a busybox container whose rootfs
// holds /etc/lab-ch14, and returns what it printed.
func labInContainer(t *testing.T, script string) string {
	t.Helper()
	h := linuxtest.NewHost(t) // skips, saying why, unless root on Linux
	rootfs := linuxtest.BusyboxRootfs(t)
	require.NoError(t, os.WriteFile(filepath.Join(rootfs, "etc", "lab-ch14"), []byte("inside the rootfs\n"), 0o644))
	var out bytes.Buffer
	p, err := h.Start(backend.ProcSpec{
		Args: []string{"sh", "-c", script}, Rootfs: rootfs, Namespaces: backend.AllNamespaces(),
		Stdout: &out, Stderr: &out,
	})
	require.NoError(t, err, "the container's init sets up its root filesystem (setupRootfs, then pivotRoot)")
	st, err := p.Wait()
	require.NoError(t, err)
	require.Equal(t, 0, st.Code, "the script failed: %s", out.String())
	return out.String()
}

// After pivot_root the rootfs is "/": its files are there, the machine's
// are not, and the process starts in "/".
func TestCh14PivotRoot_LinuxRootIsTheRootfs(t *testing.T) {
	hostFile := filepath.Join(t.TempDir(), "on-the-host")
	require.NoError(t, os.WriteFile(hostFile, []byte("host\n"), 0o644))
	out := labInContainer(t, "cat /etc/lab-ch14; if [ -e "+hostFile+" ]; then echo host-visible; else echo host-hidden; fi; pwd")
	assert.Equal(t, "inside the rootfs\nhost-hidden\n/\n", out,
		"/ is the container's rootfs, and no path leads back to the machine's files")
}

// The old root is unmounted: the container's mount table holds only its
// own mounts, one "/" and the pseudo-filesystems under it.
func TestCh14PivotRoot_LinuxOldRootDetached(t *testing.T) {
	out := labInContainer(t, "cat /proc/self/mountinfo")
	own := map[string]bool{"/": true, "/proc": true, "/dev": true, "/dev/pts": true, "/dev/shm": true, "/sys": true}
	roots := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		require.GreaterOrEqual(t, len(f), 5, "a mountinfo line: %q", line)
		if f[4] == "/" {
			roots++
		}
		assert.True(t, own[f[4]], "%s is mounted in the container: the machine's old root (or one of its mounts) is still attached\n%s", f[4], out)
	}
	assert.Equal(t, 1, roots, "exactly one mount at /: the old root, stacked on the new one by pivot_root(\".\", \".\"), must be unmounted\n%s", out)
}
