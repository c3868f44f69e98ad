// Tests for the layer tar plumbing (upstream archive/archive_test.go and
// changes_test.go at v1.2.0 covered the same ground; these are our own).
package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0644))
}

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, rel))
	require.NoError(t, err)
	return string(b)
}

// tarOf builds a tar stream from name -> content ("" content with a
// trailing "/" name is a directory).
func tarOf(t *testing.T, entries ...[2]string) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e[0], Mode: 0644, Size: int64(len(e[1])), Typeflag: tar.TypeReg}
		if e[0][len(e[0])-1] == '/' {
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeDir, 0755, 0
		}
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(e[1]))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return &buf
}

func TestTarUntarRoundTrip(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeFile(t, src, "etc/hostname", "box\n")
	writeFile(t, src, "bin/sh", "#!shell")
	require.NoError(t, os.Symlink("sh", filepath.Join(src, "bin/bash")))
	require.NoError(t, os.Link(filepath.Join(src, "bin/sh"), filepath.Join(src, "bin/ash")))

	a, err := Tar(src, Uncompressed)
	require.NoError(t, err)
	require.NoError(t, Untar(a, dst))
	require.NoError(t, a.Close())

	assert.Equal(t, "box\n", readFile(t, dst, "etc/hostname"))
	target, err := os.Readlink(filepath.Join(dst, "bin/bash"))
	require.NoError(t, err)
	assert.Equal(t, "sh", target)
	assert.Equal(t, "#!shell", readFile(t, dst, "bin/ash"))

	changes, err := ChangesDirs(dst, src)
	require.NoError(t, err)
	assert.Empty(t, changes, "a tar round trip must not look like a change")
}

func TestTarRefusesGzipOutput(t *testing.T) {
	_, err := Tar(t.TempDir(), Gzip)
	assert.ErrorContains(t, err, "only uncompressed")
}

func TestApplyLayerWhiteoutDeletes(t *testing.T) {
	dst := t.TempDir()
	writeFile(t, dst, "etc/motd", "hello")
	writeFile(t, dst, "etc/keep", "kept")
	writeFile(t, dst, "var/cache/a", "x")

	layer := tarOf(t, [2]string{"etc/.wh.motd", ""}, [2]string{".wh.var", ""}, [2]string{"etc/new", "new"},
		[2]string{".wh..wh.plnk/", ""})
	require.NoError(t, ApplyLayer(dst, layer))

	assert.NoFileExists(t, filepath.Join(dst, "etc/motd"))
	assert.NoDirExists(t, filepath.Join(dst, "var"))
	assert.NoFileExists(t, filepath.Join(dst, "etc/.wh.motd"), "the whiteout itself must not appear")
	assert.NoDirExists(t, filepath.Join(dst, ".wh..wh.plnk"), "AUFS metadata is skipped")
	assert.Equal(t, "kept", readFile(t, dst, "etc/keep"))
	assert.Equal(t, "new", readFile(t, dst, "etc/new"))
}

func TestApplyLayerAcceptsGzip(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := io.Copy(zw, tarOf(t, [2]string{"a/", ""}, [2]string{"a/b", "bee"}))
	require.NoError(t, err)
	require.NoError(t, zw.Close())

	dst := t.TempDir()
	require.NoError(t, ApplyLayer(dst, &gz))
	assert.Equal(t, "bee", readFile(t, dst, "a/b"))
}

func TestApplyLayerRefusesEscape(t *testing.T) {
	dst := t.TempDir()
	err := ApplyLayer(filepath.Join(dst, "in"), tarOf(t, [2]string{"../evil", "x"}))
	assert.ErrorContains(t, err, "outside the destination")
	assert.NoFileExists(t, filepath.Join(dst, "evil"))
}

func TestChangesExportApply(t *testing.T) {
	parent, child := t.TempDir(), t.TempDir()
	writeFile(t, parent, "etc/motd", "hello")
	writeFile(t, parent, "etc/passwd", "root")
	writeFile(t, parent, "tmp/old", "old")

	a, err := Tar(parent, Uncompressed)
	require.NoError(t, err)
	require.NoError(t, Untar(a, child))

	writeFile(t, child, "etc/passwd", "root\nuser")  // modify
	writeFile(t, child, "home/user/.profile", "PS1") // add
	require.NoError(t, os.Remove(filepath.Join(child, "tmp/old")))

	changes, err := ChangesDirs(child, parent)
	require.NoError(t, err)
	var lines []string
	for _, c := range changes {
		lines = append(lines, c.String())
	}
	// Deleting tmp/old changed tmp's mtime: 1.2 listed the directory too.
	assert.Equal(t, []string{"C /etc/passwd", "A /home", "A /home/user", "A /home/user/.profile", "C /tmp", "D /tmp/old"}, lines)
	assert.Equal(t, int64(len("root\nuser")+len("PS1")), ChangesSize(child, changes))

	// Applying the exported diff on a copy of the parent gives the child.
	diff, err := ExportChanges(child, changes)
	require.NoError(t, err)
	replay := t.TempDir()
	pa, err := Tar(parent, Uncompressed)
	require.NoError(t, err)
	require.NoError(t, Untar(pa, replay))
	require.NoError(t, ApplyLayer(replay, diff))
	again, err := ChangesDirs(replay, child)
	require.NoError(t, err)
	assert.Empty(t, again)
}

func TestTreeSizeCountsHardLinksOnce(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a", "12345")
	writeFile(t, dir, "sub/b", "123")
	require.NoError(t, os.Link(filepath.Join(dir, "a"), filepath.Join(dir, "sub/a2")))
	size, err := TreeSize(dir)
	require.NoError(t, err)
	assert.Equal(t, int64(8), size)
}

func TestTempArchiveRemovesItself(t *testing.T) {
	dir := t.TempDir()
	ta, err := NewTempArchive(bytes.NewReader([]byte("layer bytes")), dir)
	require.NoError(t, err)
	assert.Equal(t, int64(11), ta.Size)
	b, err := io.ReadAll(ta)
	require.NoError(t, err)
	assert.Equal(t, "layer bytes", string(b))
	left, _ := os.ReadDir(dir)
	assert.Empty(t, left)
	assert.NoError(t, ta.Close())
}

func TestCloseEarlyStopsWriter(t *testing.T) {
	src := t.TempDir()
	writeFile(t, src, "big", string(bytes.Repeat([]byte("x"), 1<<20)))
	a, err := Tar(src, Uncompressed)
	require.NoError(t, err)
	buf := make([]byte, 10)
	_, err = a.Read(buf)
	require.NoError(t, err)
	assert.NoError(t, a.Close(), "closing half-way returns once the writer has stopped")
}

// Docker 1.2's rules for deleted and replaced directories: only the top
// of a deleted tree is listed, nothing under a directory that became a
// file, and a directory whose entries changed is changed. The exported
// layer then holds one whiteout per deleted tree, before the entries
// that replace anything, and applying it on the parent gives the child.
func TestChangesDeletedAndReplacedDirectories(t *testing.T) {
	parent, child := t.TempDir(), t.TempDir()
	for _, f := range []string{"gone/sub/f", "gone/g", "swapped/sub/f", "etc/passwd"} {
		writeFile(t, parent, f, "x")
	}
	old := time.Date(2014, 8, 21, 0, 0, 0, 0, time.UTC) // every directory older than the test
	require.NoError(t, filepath.Walk(parent, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			err = os.Chtimes(p, old, old)
		}
		return err
	}))
	a, err := Tar(parent, Uncompressed)
	require.NoError(t, err)
	require.NoError(t, Untar(a, child))

	require.NoError(t, os.RemoveAll(filepath.Join(child, "gone")))
	require.NoError(t, os.RemoveAll(filepath.Join(child, "swapped")))
	writeFile(t, child, "swapped", "now a file")
	writeFile(t, child, "etc/newfile", "new")

	changes, err := ChangesDirs(child, parent)
	require.NoError(t, err)
	var lines []string
	for _, c := range changes {
		lines = append(lines, c.String())
	}
	assert.Equal(t, []string{"C /etc", "A /etc/newfile", "D /gone", "C /swapped"}, lines)

	diff, err := ExportChanges(child, changes)
	require.NoError(t, err)
	assert.Equal(t, []string{".wh.gone", "etc/", "etc/newfile", "swapped"}, memberNames(t, diff))
	require.NoError(t, diff.Close())

	replay := t.TempDir()
	pa, err := Tar(parent, Uncompressed)
	require.NoError(t, err)
	require.NoError(t, Untar(pa, replay))
	diff, err = ExportChanges(child, changes)
	require.NoError(t, err)
	require.NoError(t, ApplyLayer(replay, diff))
	require.NoError(t, diff.Close())
	again, err := ChangesDirs(replay, child)
	require.NoError(t, err)
	assert.Empty(t, again)
	assert.Equal(t, "now a file", readFile(t, replay, "swapped"))
	assert.NoDirExists(t, filepath.Join(replay, "gone"))
}

// memberNames lists the member names of a tar stream, in order.
func memberNames(t *testing.T, r io.Reader) []string {
	t.Helper()
	var names []string
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return names
		}
		require.NoError(t, err)
		names = append(names, hdr.Name)
	}
}
