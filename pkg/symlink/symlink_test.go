//go:build !windows

package symlink

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFollowSymlinkInScope(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "usr/lib"), 0755))
	require.NoError(t, os.Symlink("/usr/lib", filepath.Join(root, "lib")))       // absolute: from root's top
	require.NoError(t, os.Symlink("../../../../etc", filepath.Join(root, "up"))) // ".." stops at the top
	require.NoError(t, os.Symlink("usr", filepath.Join(root, "u")))              // relative
	require.NoError(t, os.Symlink("loop2", filepath.Join(root, "loop1")))        // a cycle
	require.NoError(t, os.Symlink("loop1", filepath.Join(root, "loop2")))
	for in, want := range map[string]string{
		"lib/libc.so": "usr/lib/libc.so",
		"up/passwd":   "etc/passwd",
		"u/lib/x":     "usr/lib/x",
		"missing/a/b": "missing/a/b",
		"":            "",
	} {
		got, err := FollowSymlinkInScope(filepath.Join(root, in), root)
		require.NoError(t, err, in)
		assert.Equal(t, filepath.Join(root, want), got, in)
	}
	_, err := FollowSymlinkInScope(filepath.Join(root, "loop1/x"), root)
	assert.ErrorIs(t, err, syscall.ELOOP)
	_, err = FollowSymlinkInScope(filepath.Dir(root), root)
	assert.ErrorContains(t, err, "is not within")
}

func TestInScopeKeepsTheLastLink(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(root, "pw")))
	r, err := os.OpenRoot(root)
	require.NoError(t, err)
	defer r.Close()
	got, err := InScope(r, "pw", false)
	require.NoError(t, err)
	assert.Equal(t, "pw", got)
	got, err = InScope(r, "pw", true)
	require.NoError(t, err)
	assert.Equal(t, "etc/passwd", got)
}
