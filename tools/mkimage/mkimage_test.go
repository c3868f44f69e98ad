package main

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseApplets(t *testing.T) {
	got, err := parseApplets("usr/bin/awk\nbin/sh\n\nbin/sh\nbin/busybox\nsbin/ip\n", true)
	require.NoError(t, err)
	assert.Equal(t, []string{"bin/sh", "sbin/ip", "usr/bin/awk"}, got)

	got, err = parseApplets("sh\nls\n", false)
	require.NoError(t, err)
	assert.Equal(t, []string{"bin/ls", "bin/sh"}, got)

	_, err = parseApplets("../../etc/evil\n", true)
	assert.ErrorContains(t, err, "outside the rootfs")
	_, err = parseApplets("\n", true)
	assert.ErrorContains(t, err, "no applets")
}

// fakeBusybox is a stand-in file: the layout and the writers do not care
// what the binary contains.
func fakeBusybox(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "busybox")
	require.NoError(t, os.WriteFile(p, []byte("not really busybox"), 0o755))
	return p
}

func TestLayout(t *testing.T) {
	img, err := busyboxImage(fakeBusybox(t), []string{"bin/sh", "usr/bin/env", "opt/x/tool", "etc/passwd"})
	require.NoError(t, err)
	byPath := map[string]Entry{}
	for i, e := range img {
		byPath[e.Path] = e
		if i > 0 {
			assert.Less(t, img[i-1].Path, e.Path, "entries are sorted, parents first")
		}
	}
	for _, d := range []string{"bin", "dev", "etc", "proc", "sys", "tmp", "usr/bin", "var", "root", "home", "opt", "opt/x"} {
		assert.Equal(t, KindDir, byPath[d].Kind, d)
	}
	assert.Equal(t, "busybox", byPath["bin/sh"].Target)
	assert.Equal(t, "../../bin/busybox", byPath["usr/bin/env"].Target)
	assert.Equal(t, KindFile, byPath["etc/passwd"].Kind, "an applet never replaces /etc/passwd")
	assert.Contains(t, string(byPath["etc/passwd"].Data), "root:x:0:0:")
	assert.Contains(t, string(byPath["etc/passwd"].Data), "nobody:x:65534:")
	assert.Contains(t, string(byPath["etc/group"].Data), "root:x:0:")
	assert.NotZero(t, byPath["tmp"].Mode&os.ModeSticky)
}

func readTar(t *testing.T, path string) map[string]*tar.Header {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	tr := tar.NewReader(f)
	hdrs := map[string]*tar.Header{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return hdrs
		}
		require.NoError(t, err)
		hdrs[h.Name] = h
	}
}

func TestWriteTarDeterministicRootOwned(t *testing.T) {
	bb := fakeBusybox(t)
	img, err := busyboxImage(bb, []string{"bin/sh", "usr/bin/env"})
	require.NoError(t, err)

	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tar"), filepath.Join(dir, "b.tar")
	require.NoError(t, writeTar(img, a))
	require.NoError(t, writeTar(img, b))
	ab, _ := os.ReadFile(a)
	bbytes, _ := os.ReadFile(b)
	assert.True(t, bytes.Equal(ab, bbytes), "two builds give the same bytes")

	hdrs := readTar(t, a)
	for name, h := range hdrs {
		assert.Zero(t, h.Uid, name)
		assert.Zero(t, h.Gid, name)
		assert.Empty(t, h.Uname, name)
		assert.True(t, h.ModTime.Equal(imageTime), name)
	}
	require.Contains(t, hdrs, "bin/busybox")
	assert.EqualValues(t, len("not really busybox"), hdrs["bin/busybox"].Size)
	assert.EqualValues(t, 0o755, hdrs["bin/busybox"].Mode)
	assert.Equal(t, "../../bin/busybox", hdrs["usr/bin/env"].Linkname)
	assert.EqualValues(t, 0o1777, hdrs["tmp/"].Mode)
}

func TestWriteDirReplacesOldRootfs(t *testing.T) {
	bb := fakeBusybox(t)
	img, err := busyboxImage(bb, []string{"bin/sh"})
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "rootfs")
	require.NoError(t, writeDir(img, dir))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bin", "stale"), nil, 0o644))
	require.NoError(t, writeDir(img, dir), "a second build replaces the first, read-only dirs included")

	_, err = os.Lstat(filepath.Join(dir, "bin", "stale"))
	assert.True(t, os.IsNotExist(err), "nothing of the old rootfs survives")
	target, err := os.Readlink(filepath.Join(dir, "bin", "sh"))
	require.NoError(t, err)
	assert.Equal(t, "busybox", target)
	fi, err := os.Stat(filepath.Join(dir, "proc"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o555), fi.Mode().Perm())
	data, err := os.ReadFile(filepath.Join(dir, "bin", "busybox"))
	require.NoError(t, err)
	assert.Equal(t, "not really busybox", string(data))
	// Clean up the read-only dirs so t.TempDir can remove them as non-root.
	t.Cleanup(func() { removeTree(dir) })
}

func TestCheckStatic(t *testing.T) {
	err := checkStatic(fakeBusybox(t))
	assert.ErrorContains(t, err, "not an ELF executable")

	if sh, err := exec.LookPath("sh"); err == nil {
		if real, err := filepath.EvalSymlinks(sh); err == nil && checkStatic(real) != nil {
			assert.ErrorContains(t, checkStatic(real), "busybox-static")
		}
	}
	if bb := os.Getenv("DOCKERLAB_BUSYBOX"); bb != "" {
		assert.NoError(t, checkStatic(bb))
	} else if _, err := os.Stat("/bin/busybox"); err == nil && checkStatic("/bin/busybox") == nil {
		applets, err := listApplets("/bin/busybox")
		require.NoError(t, err)
		assert.Contains(t, applets, "bin/sh")
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	assert.ErrorContains(t, run("", "x", ""), "-busybox is required")
	assert.ErrorContains(t, run(fakeBusybox(t), "", ""), "nothing to do")
	assert.ErrorContains(t, run(fakeBusybox(t), t.TempDir(), ""), "not an ELF")
}
