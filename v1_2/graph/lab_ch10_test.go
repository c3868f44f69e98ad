// Tests of the exercises of chapter 10 in this package:
//   - ch10.graph-register (Graph.Register, steps 2–8 of §10.2 in
//     upstream's order): `dockerlab lab check ch10.graph-register`, or
//     `go test ./v1_2/graph -run TestCh10GraphRegister`;
//   - ch10.tagstore-set-get (TagStore.Set and Get: repository:tag names
//     in the repositories-<driver> file): `dockerlab lab check
//     ch10.tagstore-set-get`, or `go test ./v1_2/graph -run
//     TestCh10TagstoreSetGet`.
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

// Set writes {"Repositories": {repo: {tag: id}}} to repositories-<driver>
// (no tag: "latest"); Get reads a repository back; another TagStore on
// the same file sees it too.
func TestCh10TagstoreSetGet(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("busybox", "", baseID, false))
	data, err := os.ReadFile(store.path)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Repositories":{"busybox":{"latest":"`+baseID+`"}}}`, string(data), "Set saves the file; no tag means latest")
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(store.path), ".repositories-vfs.tmp-*"))
	assert.Empty(t, left, "save's temp file does not stay behind")

	require.NoError(t, store.Set("busybox", "v2", childID[:12], false), "the image may be named by an id prefix (LookupImage)")
	require.NoError(t, store.Set("web", "1.0", "busybox:v2", false), "…or by repo:tag")
	repo, err := store.Get("busybox")
	require.NoError(t, err)
	assert.Equal(t, Repository{"latest": baseID, "v2": childID}, repo, "a tag holds the full id")

	other, err := NewTagStore(store.path, store.graph)
	require.NoError(t, err)
	repo, err = other.Get("web")
	require.NoError(t, err)
	assert.Equal(t, Repository{"1.0": childID}, repo, "the file is the truth: a second store on it sees the tags")
}

// The file is re-read by every call: two stores on one file (two jobs, or
// a daemon and a tool) never undo each other's tags.
func TestCh10TagstoreSetGet_Reload(t *testing.T) {
	a, _ := newTestTagStore(t)
	b, err := NewTagStore(a.path, a.graph)
	require.NoError(t, err)
	require.NoError(t, a.Set("busybox", "a", baseID, false))
	repo, err := b.Get("busybox")
	require.NoError(t, err)
	assert.Equal(t, Repository{"a": baseID}, repo, "Get reloads the file before reading it")
	require.NoError(t, b.Set("busybox", "b", childID, false))
	repo, err = a.Get("busybox")
	require.NoError(t, err)
	assert.Equal(t, Repository{"a": baseID, "b": childID}, repo, "Set reloads the file before changing it, or it writes back a stale copy and loses the other store's tag")
}

// Get hands out a copy: the caller may change it without changing the
// store. A repository that does not exist is nil, with no error.
func TestCh10TagstoreSetGet_Copy(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("busybox", "", baseID, false))
	repo, err := store.Get("busybox")
	require.NoError(t, err)
	repo["latest"] = childID
	repo["new"] = childID
	assert.Equal(t, map[string][]string{baseID: {"busybox:latest"}}, store.ByID(), "Get returns a copy: changing it changes nothing that docker images shows (ByID reads the store's map)")
	again, err := store.Get("busybox")
	require.NoError(t, err)
	assert.Equal(t, Repository{"latest": baseID}, again)

	repo, err = store.Get("nosuch")
	assert.NoError(t, err)
	assert.Nil(t, repo, "no such repository: nil, and no error")
}

// Bad names and unknown images are refused, and a refused Set writes
// nothing. Re-tagging overwrites, force or not (as at v1.2.0).
func TestCh10TagstoreSetGet_Validation(t *testing.T) {
	store, _ := newTestTagStore(t)
	assert.EqualError(t, store.Set("", "t", baseID, false), "Repository name can't be empty")
	assert.EqualError(t, store.Set("r", "a/b", baseID, false), "Illegal tag name: a/b")
	assert.EqualError(t, store.Set("r", "a:b", baseID, false), "Illegal tag name: a:b")
	assert.Error(t, store.Set("r", "t", "nosuchimage", false), "the image must exist")
	data, err := os.ReadFile(store.path)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Repositories":{}}`, string(data), "nothing was written")

	require.NoError(t, store.Set("r", "t", baseID, false))
	require.NoError(t, store.Set("r", "t", childID, false))
	repo, err := store.Get("r")
	require.NoError(t, err)
	assert.Equal(t, childID, repo["t"])
}

// A current docker CLI tags with the Hub's full spelling: the store keeps
// the short name 1.2's clients used (localRepoName), and Get finds it by
// either spelling (storedName).
func TestCh10TagstoreSetGet_HubName(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("docker.io/library/busybox", "v3", baseID, false))
	for _, name := range []string{"busybox", "docker.io/library/busybox"} {
		repo, err := store.Get(name)
		require.NoError(t, err)
		assert.Equal(t, Repository{"v3": baseID}, repo, "Get(%q)", name)
	}
	data, err := os.ReadFile(store.path)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Repositories":{"busybox":{"v3":"`+baseID+`"}}}`, string(data))
}
