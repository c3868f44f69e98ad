// Tests of the exercise ch08.vfs-create (Driver.Create: a layer is a
// directory holding a full copy of its parent): `dockerlab lab check
// ch08.vfs-create`, or `go test ./v1_2/daemon/graphdriver/vfs -run
// TestCh08VfsCreate`.
package vfs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/graphtest"
)

// A base layer is an empty directory, <home>/dir/<id>; a child starts as
// a copy of everything its parent has.
func TestCh08VfsCreate(t *testing.T) {
	home := t.TempDir()
	d, err := Init(home, nil)
	require.NoError(t, err)
	require.NoError(t, d.Create("base", ""))
	entries, err := os.ReadDir(filepath.Join(home, "dir", "base"))
	require.NoError(t, err, "a layer is the directory <home>/dir/<id>")
	assert.Empty(t, entries, "a base layer starts empty")

	graphtest.Write(t, d, "base", graphtest.Files{"etc/hostname": "base", "bin/sh": "shell"})
	require.NoError(t, d.Create("child", "base"))
	b, err := os.ReadFile(filepath.Join(home, "dir", "child", "etc", "hostname"))
	require.NoError(t, err, "the parent's files are copied into the child's own directory")
	assert.Equal(t, "base", string(b))
	assert.Equal(t, graphtest.Files{"etc/hostname": "base", "bin/sh": "shell"}, graphtest.Read(t, d, "child"))
}

// The copy is a copy: the child's changes never reach the parent, and the
// child keeps its files when the parent is removed.
func TestCh08VfsCreate_IndependentCopy(t *testing.T) {
	d := newDriver(t)
	require.NoError(t, d.Create("base", ""))
	graphtest.Write(t, d, "base", graphtest.Files{"etc/motd": "hello"})
	require.NoError(t, d.Create("child", "base"))
	graphtest.Write(t, d, "child", graphtest.Files{"etc/motd": "changed", "app": "new"})
	assert.Equal(t, graphtest.Files{"etc/motd": "hello"}, graphtest.Read(t, d, "base"), "the child's writes stay in the child")

	require.NoError(t, d.Remove("base"))
	assert.Equal(t, graphtest.Files{"etc/motd": "changed", "app": "new"}, graphtest.Read(t, d, "child"), "a vfs layer needs nothing of its parent once created")
}

// A bad id, a layer that exists, a parent that does not: each is refused
// with the shared error, and a refused Create leaves nothing behind.
func TestCh08VfsCreate_Refusals(t *testing.T) {
	home := t.TempDir()
	d, err := Init(home, nil)
	require.NoError(t, err)
	for _, id := range []string{"", "..", "a/b", "../escape"} {
		assert.ErrorIs(t, d.Create(id, ""), backend.ErrInvalid, "Create(%q): check the id (graphdriver.CheckID) before using it as a path", id)
	}
	require.NoError(t, d.Create("once", ""))
	assert.ErrorIs(t, d.Create("once", ""), backend.ErrExists, "a second Create of one id: graphdriver.LayerExists")

	err = d.Create("orphan", "missing")
	assert.True(t, errors.Is(err, backend.ErrNotFound), "a parent that does not exist: %v", err)
	assert.False(t, d.Exists("orphan"), "a refused Create leaves no layer")
	_, statErr := os.Stat(filepath.Join(home, "dir", "orphan"))
	assert.True(t, os.IsNotExist(statErr), "…and no directory")
}

// The driver conformance suite every storage driver passes (modes,
// symlinks, three levels, diffs).
func TestCh08VfsCreate_Conformance(t *testing.T) { graphtest.Run(t, newDriver) }
