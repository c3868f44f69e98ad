// The graph on the overlay driver and a real kernel (root only): the
// ch.10 §10.2 register path with layers stacked by overlayfs, a deletion
// carried as a whiteout, and every mount gone afterwards.
package graph

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/overlay"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGraphOnOverlay(t *testing.T) {
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

	register(t, g, baseID, "", "etc/", "", "etc/motd", "hi", "tmp/", "", "tmp/x", "x")
	// The child deletes tmp/x with a whiteout and changes etc/motd.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range [][2]string{{"tmp/.wh.x", ""}, {"etc/motd", "bye"}} {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: e[0], Mode: 0644, Size: int64(len(e[1])), Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(e[1]))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	require.NoError(t, g.Register(nil, &buf, &image.Image{ID: childID, Parent: baseID}))

	img, err := g.Get(childID)
	require.NoError(t, err)
	assert.Equal(t, int64(3), img.Size)
	assert.Equal(t, "bye", readLayer(t, g, childID, "etc/motd"))
	assert.Equal(t, "hi", readLayer(t, g, baseID, "etc/motd"))
	dir, err := d.Get(childID, "")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "tmp/x"))
	assert.True(t, os.IsNotExist(err), "the whiteout hides the parent's file")
	d.Put(childID)

	// The child's own layer, cut out again, is the whiteout, then the
	// change and the directories whose entries changed.
	a, err := img.TarLayer()
	require.NoError(t, err)
	var names []string
	tr := tar.NewReader(a)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		names = append(names, hdr.Name)
	}
	require.NoError(t, a.Close())
	assert.Equal(t, []string{"tmp/.wh.x", "etc/", "etc/motd", "tmp/"}, names)

	require.NoError(t, g.Delete(childID))
	require.NoError(t, g.Delete(baseID))
	mounts, err := h.Mounts()
	require.NoError(t, err)
	assert.Empty(t, mounts)
}
