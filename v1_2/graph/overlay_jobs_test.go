// The image jobs on the overlay driver and a real kernel (root only):
// save walks layers that overlayfs stacks (the child's deletion leaves as
// a .wh. whiteout in its layer.tar), and load rebuilds the same stack
// with the same ids.
package graph

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSaveLoadOnOverlay(t *testing.T) {
	h := linuxtest.NewHost(t) // skips unless root
	graphdriver.SetHost(h)
	t.Cleanup(func() { graphdriver.SetHost(nil) })
	root := t.TempDir()
	d, err := graphdriver.GetDriver("overlay", root, nil)
	if errors.Is(err, graphdriver.ErrNotSupported) || errors.Is(err, graphdriver.ErrPrerequisites) || errors.Is(err, graphdriver.ErrIncompatibleFS) {
		t.Skipf("overlay cannot run here: %v", err)
	}
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, d.Cleanup())
		mounts, _ := h.Mounts()
		assert.Empty(t, mounts, "every overlay mount must be gone")
	})
	g, err := NewGraph(filepath.Join(root, "graph"), d)
	require.NoError(t, err)
	f := newJobsFixtureOn(t, g, root)

	register(t, g, baseID, "", "etc/", "", "etc/motd", "hi", "tmp/", "", "tmp/x", "x")
	register(t, g, midID, baseID, "tmp/.wh.x", "", "etc/motd", "bye")
	f.mustRun(t, nil, "tag", []string{midID, "app"})

	saved := []byte(f.mustRun(t, nil, "image_export", []string{"app"}))
	entries := tarNames(t, saved)
	layerEntries := tarNames(t, entries[midID+"/layer.tar"])
	assert.Contains(t, layerEntries, "tmp/.wh.x", "the deletion travels as an aufs-style whiteout")
	assert.Equal(t, "bye", string(layerEntries["etc/motd"]))

	require.NoError(t, f.store.DeleteAll(midID))
	require.NoError(t, g.Delete(midID))
	require.NoError(t, g.Delete(baseID))
	f.mustRun(t, bytes.NewReader(saved), "load", nil)

	img, err := f.store.LookupImage("app")
	require.NoError(t, err)
	assert.Equal(t, midID, img.ID)
	dir, err := d.Get(midID, "")
	require.NoError(t, err)
	defer d.Put(midID)
	motd, err := os.ReadFile(filepath.Join(dir, "etc/motd"))
	require.NoError(t, err)
	assert.Equal(t, "bye", string(motd))
	_, err = os.Stat(filepath.Join(dir, "tmp/x"))
	assert.True(t, os.IsNotExist(err), "the loaded whiteout hides the base's file again")
}
