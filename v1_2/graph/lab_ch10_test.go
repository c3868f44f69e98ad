// Tests of the exercises of chapter 10 in this package:
//   - ch10.graph-register (Graph.Register, steps 2–8 of §10.2 in
//     upstream's order): `dockerlab lab check ch10.graph-register`, or
//     `go test ./v1_2/graph -run TestCh10GraphRegister`.
//
// They use the vfs driver on temp dirs (newTestGraph), so they need no
// kernel.
package graph

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/image"
)

// labTmpEmpty checks that no scratch directory is left under <graph>/_tmp.
func labTmpEmpty(t *testing.T, g *Graph) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(g.Root, tmpDir))
	if err == nil {
		assert.Empty(t, entries, "the scratch directory of a Register is removed whatever happened (step 4's defer)")
	}
}

// A base image and a child on top of it: each gets <graph>/<id>/json and
// layersize (§10.5), its layer in the driver holds the parent's files and
// its own (§10.4), and a prefix of its id finds it (§10.6).
func TestCh10GraphRegister(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "etc/", "", "etc/motd", "hello")
	register(t, g, childID, baseID, "app.conf", "port=80")

	for _, id := range []string{baseID, childID} {
		data, err := os.ReadFile(filepath.Join(g.ImageRoot(id), "json"))
		require.NoError(t, err, "step 7: the image's directory <graph>/<id> holds its json")
		var stored image.Image
		require.NoError(t, json.Unmarshal(data, &stored))
		assert.Equal(t, id, stored.ID)
		_, err = os.Stat(filepath.Join(g.ImageRoot(id), "layersize"))
		assert.NoError(t, err, "step 6: …and its layersize")
	}
	assert.Equal(t, "hello", readLayer(t, g, childID, "etc/motd"), "step 5: the driver creates the layer on top of its parent")
	assert.Equal(t, "port=80", readLayer(t, g, childID, "app.conf"), "step 6: the layer's tar is unpacked into it")

	img, err := g.Get(childID[:4])
	require.Error(t, err, "%s is also a prefix of the base image's id", childID[:4])
	img, err = g.Get(childID[:12])
	require.NoError(t, err, "step 8: the id joins the index, so a unique prefix finds it")
	assert.Equal(t, childID, img.ID)
	assert.Equal(t, baseID, img.Parent)
	labTmpEmpty(t, g)
}

// Registering an id the graph has is refused, and touches nothing.
func TestCh10GraphRegister_AlreadyExists(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "etc/motd", "first")
	err := g.Register(nil, layer(t, "etc/motd", "second"), &image.Image{ID: baseID})
	assert.EqualError(t, err, "Image "+baseID+" already exists", "step 2")
	assert.Equal(t, "first", readLayer(t, g, baseID, "etc/motd"), "the refused Register left the registered layer alone")
	labTmpEmpty(t, g)
}

// What an earlier, interrupted Register left — a directory in the graph,
// a layer in the driver — is removed first: the graph, not the driver,
// says which images exist.
func TestCh10GraphRegister_Leftovers(t *testing.T) {
	g, _ := newTestGraph(t)
	require.NoError(t, os.MkdirAll(g.ImageRoot(otherID), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(g.ImageRoot(otherID), "junk"), []byte("x"), 0o600))
	require.NoError(t, g.Driver().Create(otherID, ""))
	dir, err := g.Driver().Get(otherID, "")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stale"), []byte("x"), 0o644))
	g.Driver().Put(otherID)

	require.NoError(t, g.Register(nil, layer(t, "fresh", "y"), &image.Image{ID: otherID}),
		"step 3: remove the id's directory and its layer in the driver before creating them again")
	_, err = os.Stat(filepath.Join(g.ImageRoot(otherID), "junk"))
	assert.True(t, os.IsNotExist(err), "the leftover directory is gone")
	dir, err = g.Driver().Get(otherID, "")
	require.NoError(t, err)
	defer g.Driver().Put(otherID)
	_, err = os.Stat(filepath.Join(dir, "stale"))
	assert.True(t, os.IsNotExist(err), "the leftover layer is gone: the new one holds only its own tar")
}

// A layer that cannot be stored (here a tar climbing out of its
// directory, which the extractor refuses) leaves nothing: no image
// directory, no layer in the driver, no scratch directory. The rename of
// the scratch directory is the commit point, and the driver's layer is
// removed on the way out.
func TestCh10GraphRegister_FailureLeavesNothing(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "etc/motd", "hello")

	var bad bytes.Buffer
	tw := tar.NewWriter(&bad)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "../escape", Mode: 0o644, Size: 1, Typeflag: tar.TypeReg}))
	_, err := tw.Write([]byte("x"))
	require.NoError(t, err)
	require.NoError(t, tw.Close())

	err = g.Register(nil, &bad, &image.Image{ID: childID, Parent: baseID})
	require.Error(t, err, "the layer's tar is refused")
	assert.False(t, g.Exists(childID), "the image was not registered")
	_, statErr := os.Stat(g.ImageRoot(childID))
	assert.True(t, os.IsNotExist(statErr), "no directory <graph>/<id>: store into a scratch directory and rename it only when all went well")
	assert.False(t, g.Driver().Exists(childID), "the layer created in the driver is removed again when Register fails")
	labTmpEmpty(t, g)

	register(t, g, childID, baseID, "app.conf", "port=80")
	assert.Equal(t, "port=80", readLayer(t, g, childID, "app.conf"), "the same id registers cleanly afterwards")
}
