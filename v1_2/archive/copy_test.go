// Tests of what the builder needs from the archive package: the four
// compressions of a context, IsArchive, Generate, TarWithOptions'
// excludes and the copies ADD makes.
package archive

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compressWith pipes data through a compressor program (bzip2, xz).
func compressWith(t *testing.T, prog string, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Skipf("skipping: %s is not installed", prog)
	}
	cmd := exec.Command(prog, "-c")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	require.NoError(t, err)
	return out
}

func TestDecompressStreamEveryCompression(t *testing.T) {
	plain := tarOf(t, [2]string{"Dockerfile", "FROM busybox\n"}).Bytes()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	for name, data := range map[string][]byte{
		"tar":   plain,
		"gzip":  gz.Bytes(),
		"bzip2": compressWith(t, "bzip2", plain),
		"xz":    compressWith(t, "xz", plain),
	} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, name, DetectCompression(data).String())
			assert.True(t, IsArchive(data))
			r, err := DecompressStream(bytes.NewReader(data))
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			require.NoError(t, r.Close())
			assert.Equal(t, plain, got)
		})
	}
}

func TestXzStoppedEarlyEndsTheProcess(t *testing.T) {
	big := bytes.Repeat([]byte("dockerlab "), 1<<20)
	r, err := DecompressStream(bytes.NewReader(compressWith(t, "xz", big)))
	require.NoError(t, err)
	buf := make([]byte, 100)
	_, err = io.ReadFull(r, buf)
	require.NoError(t, err)
	require.NoError(t, r.Close()) // returns: xz was killed and reaped
}

func TestBrokenXzIsAnError(t *testing.T) {
	data := compressWith(t, "xz", bytes.Repeat([]byte("x"), 10000))
	r, err := DecompressStream(bytes.NewReader(data[:len(data)/2]))
	require.NoError(t, err)
	_, err = io.ReadAll(r)
	assert.ErrorContains(t, err, "xz:")
	r.Close()
}

func TestIsArchiveOfADockerfile(t *testing.T) {
	assert.False(t, IsArchive([]byte("FROM busybox\nRUN echo hi\n")))
	assert.False(t, IsArchive(nil))
}

func TestGenerate(t *testing.T) {
	a, err := Generate("Dockerfile", "FROM busybox\n")
	require.NoError(t, err)
	dst := t.TempDir()
	require.NoError(t, Untar(a, dst))
	assert.Equal(t, "FROM busybox\n", readFile(t, dst, "Dockerfile"))
	_, err = Generate("odd")
	assert.Error(t, err)
}

func TestTarWithOptionsExcludes(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeFile(t, src, "Dockerfile", "FROM busybox\n")
	writeFile(t, src, "keep.txt", "k")
	writeFile(t, src, "skip.log", "s")
	writeFile(t, src, "build/out/x", "x")
	a, err := TarWithOptions(src, &TarOptions{Excludes: []string{"*.log", "build"}})
	require.NoError(t, err)
	require.NoError(t, Untar(a, dst))
	a.Close()
	assert.FileExists(t, filepath.Join(dst, "keep.txt"))
	assert.NoFileExists(t, filepath.Join(dst, "skip.log"))
	assert.NoDirExists(t, filepath.Join(dst, "build"))

	_, err = TarWithOptions(src, &TarOptions{Excludes: []string{"["}})
	assert.ErrorContains(t, err, "Bad .dockerignore pattern")
}

func TestCopyWithTar(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	writeFile(t, src, "dir/a", "a")
	writeFile(t, src, "dir/sub/b", "b")
	writeFile(t, src, "file", "f")
	require.NoError(t, os.Chmod(filepath.Join(src, "file"), 0o751))

	// A file to a name, to a directory (trailing /), a directory's contents.
	require.NoError(t, CopyWithTar(filepath.Join(src, "file"), filepath.Join(dst, "renamed")))
	require.NoError(t, CopyWithTar(filepath.Join(src, "file"), filepath.Join(dst, "into")+"/"))
	require.NoError(t, CopyWithTar(filepath.Join(src, "dir"), filepath.Join(dst, "tree")))
	assert.Equal(t, "f", readFile(t, dst, "renamed"))
	assert.Equal(t, "f", readFile(t, dst, "into/file"))
	assert.Equal(t, "b", readFile(t, dst, "tree/sub/b"))
	st, err := os.Stat(filepath.Join(dst, "renamed"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o751), st.Mode().Perm())

	// An archive file unpacks in place.
	tarFile := filepath.Join(src, "ctx.tar")
	require.NoError(t, os.WriteFile(tarFile, tarOf(t, [2]string{"etc/motd", "hi"}).Bytes(), 0o644))
	require.NoError(t, UntarPath(tarFile, filepath.Join(dst, "unpacked")))
	assert.Equal(t, "hi", readFile(t, dst, "unpacked/etc/motd"))
}
