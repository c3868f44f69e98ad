//go:build linux

// Tests of the chapter 14 exercises in the linux backend, on the real
// kernel only (as root; elsewhere they skip, saying why): ch14.pivot-root
// (pivotRoot: the container's rootfs becomes "/" and the machine's root
// is let go), `sudo dockerlab lab check --backend linux ch14.pivot-root`
// or as root `go test ./backend/linux -run TestCh14PivotRoot`, each test
// a busybox container in namespaces of its own (linuxtest); and
// ch14.memory-limit (below).

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

// lab14InContainer runs a shell script in a busybox container whose rootfs
// holds /etc/lab-ch14, and returns what it printed.
func lab14InContainer(t *testing.T, script string) string {
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
	out := lab14InContainer(t, "cat /etc/lab-ch14; if [ -e "+hostFile+" ]; then echo host-visible; else echo host-hidden; fi; pwd")
	assert.Equal(t, "inside the rootfs\nhost-hidden\n/\n", out,
		"/ is the container's rootfs, and no path leads back to the machine's files")
}

// The old root is unmounted: the container's mount table holds only its
// own mounts, one "/" and the pseudo-filesystems under it.
func TestCh14PivotRoot_LinuxOldRootDetached(t *testing.T) {
	out := lab14InContainer(t, "cat /proc/self/mountinfo")
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

// Tests of the exercise ch14.memory-limit (the memory part of Set, for
// cgroup v1 and v2): `sudo dockerlab lab check --backend linux
// ch14.memory-limit`, or as root `go test ./backend/linux -run
// TestCh14MemoryLimit`. Each test makes a cgroup under linuxtest's own
// parent; the machine's mode (v1, hybrid or v2) decides which Set runs.

// lab14MemGroup is a fresh cgroup on the real kernel, with the directory
// that holds its memory control files.
func lab14MemGroup(t *testing.T) (backend.Cgroups, string, string) {
	t.Helper()
	h := linuxtest.NewLinuxHost(t) // skips, saying why, unless root on Linux
	cg := h.Cgroups()
	name := linuxtest.Unique("lab14-")
	require.NoError(t, cg.Create(name))
	dir := filepath.Join(cg.Root(), h.Options().CgroupParent, name)
	if cg.Mode() != backend.CgroupV2 {
		dir = filepath.Join(cg.Root(), "memory", h.Options().CgroupParent, name)
	}
	require.DirExists(t, dir, "the cgroup's memory directory")
	return cg, name, dir
}

// lab14Control reads one control file as the kernel shows it.
func lab14Control(t *testing.T, dir, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, file))
	require.NoError(t, err)
	return strings.TrimSpace(string(data))
}

// -m 64m: the kernel's memory limit of the group (v1
// memory.limit_in_bytes, v2 memory.max) is 64 MiB.
func TestCh14MemoryLimit_Linux(t *testing.T) {
	cg, name, dir := lab14MemGroup(t)
	require.NoError(t, cg.Set(name, backend.Resources{Memory: 64 << 20}))
	st, err := cg.Stats(name)
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit, "the group's hard memory limit is what -m asked for")
	file := "memory.max"
	if cg.Mode() != backend.CgroupV2 {
		file = "memory.limit_in_bytes"
	}
	assert.Equal(t, "67108864", lab14Control(t, dir, file), "written in bytes, in %s (the hard limit, not a soft one)", file)
}

// The kernel keeps whole pages: a limit that is not a multiple of the
// page size reads back rounded down. Only the real kernel shows this.
func TestCh14MemoryLimit_LinuxWholePages(t *testing.T) {
	cg, name, _ := lab14MemGroup(t)
	page := int64(os.Getpagesize())
	require.NoError(t, cg.Set(name, backend.Resources{Memory: 64<<20 + 100}))
	st, err := cg.Stats(name)
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit, "64 MiB + 100 bytes becomes 64 MiB: the kernel counts pages of %d bytes", page)
}

// A zero in Resources means "leave it as it is": setting the cpu shares
// later must not lift (or zero) the memory limit.
func TestCh14MemoryLimit_LinuxZeroLeavesItAlone(t *testing.T) {
	cg, name, _ := lab14MemGroup(t)
	require.NoError(t, cg.Set(name, backend.Resources{Memory: 64 << 20}))
	require.NoError(t, cg.Set(name, backend.Resources{CPUShares: 512}))
	st, err := cg.Stats(name)
	require.NoError(t, err)
	assert.Equal(t, int64(64<<20), st.MemoryLimit, "Memory 0 writes nothing")
}

// --memory-swap is memory plus swap in Docker (and in v1's
// memory.memsw.limit_in_bytes); v2's memory.swap.max is the swap alone.
// -1 lifts the swap limit.
func TestCh14MemoryLimit_LinuxSwap(t *testing.T) {
	cg, name, dir := lab14MemGroup(t)
	file := "memory.swap.max"
	if cg.Mode() != backend.CgroupV2 {
		file = "memory.memsw.limit_in_bytes"
	}
	if _, err := os.Stat(filepath.Join(dir, file)); err != nil {
		t.Skipf("skipping: this kernel has no swap accounting (%s is missing)", file)
	}
	require.NoError(t, cg.Set(name, backend.Resources{Memory: 64 << 20, MemorySwap: 128 << 20}),
		"on v1 the memory limit goes first: memory+swap may never be below it")
	want := "67108864" // v2: 128 MiB of memory+swap is 64 MiB of swap
	if cg.Mode() != backend.CgroupV2 {
		want = "134217728"
	}
	assert.Equal(t, want, lab14Control(t, dir, file))
	require.NoError(t, cg.Set(name, backend.Resources{MemorySwap: -1}))
	if cg.Mode() == backend.CgroupV2 {
		assert.Equal(t, "max", lab14Control(t, dir, file), "-1: no swap limit")
	} else {
		assert.NotEqual(t, want, lab14Control(t, dir, file), "-1: no swap limit")
	}
}
