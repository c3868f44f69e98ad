// Tests for the tag store (upstream graph/tags_unit_test.go at v1.2.0
// tested LookupImage by name, name:tag and id; these are our own and cover
// the file format and every call).
package graph

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestTagStore(t *testing.T) (*TagStore, *Graph) {
	g, root := newTestGraph(t)
	register(t, g, baseID, "", "a", "1")
	register(t, g, childID, baseID, "b", "2")
	store, err := NewTagStore(filepath.Join(root, "repositories-"+g.Driver().String()), g)
	require.NoError(t, err)
	return store, g
}

func TestTagStoreCorruptFile(t *testing.T) {
	_, g := newTestTagStore(t)
	path := filepath.Join(t.TempDir(), "repositories-vfs")
	require.NoError(t, os.WriteFile(path, []byte("{"), 0600))
	_, err := NewTagStore(path, g)
	assert.ErrorContains(t, err, "reading")
}

func TestLookupImage(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("busybox", "latest", baseID, false))
	require.NoError(t, store.Set("busybox", "v2", childID, false))
	require.NoError(t, store.Set("localhost:5000/busybox", "", childID[:12], false))

	for name, want := range map[string]string{
		"busybox":                       baseID,
		"busybox:latest":                baseID,
		"busybox:v2":                    childID,
		"busybox:" + childID[:6]:        childID, // a tag that is an id prefix within the repo
		baseID:                          baseID,
		baseID[:10]:                     baseID,
		"localhost:5000/busybox":        childID,
		"localhost:5000/busybox:latest": childID,
	} {
		img, err := store.LookupImage(name)
		if assert.NoError(t, err, name) {
			assert.Equal(t, want, img.ID, name)
		}
	}
	_, err := store.LookupImage("nosuch:tag")
	assert.Error(t, err)
	_, err = store.LookupImage("busybox:v9")
	assert.Error(t, err)
}

func TestByIDImageNameRefs(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("base", "v1", baseID, false))
	require.NoError(t, store.Set("base", "latest", baseID, false))
	require.NoError(t, store.Set("app", "", childID, false))

	assert.Equal(t, map[string][]string{
		baseID:  {"base:latest", "base:v1"},
		childID: {"app:latest"},
	}, store.ByID())
	assert.Equal(t, "base:latest", store.ImageName(baseID))
	assert.Equal(t, otherID[:12], store.ImageName(otherID))
	assert.Equal(t, map[string][]string{
		baseID[:12]:  {"base:latest", "base:v1"},
		childID[:12]: {"app:latest"},
	}, store.GetRepoRefs())
}

func TestDeleteTags(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("base", "v1", baseID, false))
	require.NoError(t, store.Set("base", "v2", baseID, false))
	require.NoError(t, store.Set("app", "", childID, false))

	_, err := store.Delete("nope", "")
	assert.EqualError(t, err, "No such repository: nope")
	_, err = store.Delete("base", "v9")
	assert.EqualError(t, err, "No such tag: base:v9")

	deleted, err := store.Delete("base", "v1")
	require.NoError(t, err)
	assert.True(t, deleted)
	deleted, err = store.Delete("app", "")
	require.NoError(t, err)
	assert.True(t, deleted)
	repo, err := store.Get("app")
	require.NoError(t, err)
	assert.Nil(t, repo)

	require.NoError(t, store.DeleteAll(baseID))
	assert.Empty(t, store.ByID())
	require.NoError(t, store.DeleteAll(baseID), "nothing left to delete is fine")

	var f map[string]map[string]Repository
	data, err := os.ReadFile(store.path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &f))
	assert.Empty(t, f["Repositories"], "the last tag of a repository takes the repository with it")
}

func TestParseRepositoryTag(t *testing.T) {
	for in, want := range map[string][2]string{
		"busybox":                     {"busybox", ""},
		"busybox:latest":              {"busybox", "latest"},
		"localhost:5000/busybox":      {"localhost:5000/busybox", ""},
		"localhost:5000/busybox:1.0":  {"localhost:5000/busybox", "1.0"},
		"user/repo:tag":               {"user/repo", "tag"},
		"url:5000/repo/with/slash:tg": {"url:5000/repo/with/slash", "tg"},
	} {
		repo, tag := ParseRepositoryTag(in)
		assert.Equal(t, want, [2]string{repo, tag}, in)
	}
}

// A current docker CLI tags with the Hub's full spelling; the store keeps
// the short name 1.2 clients used, and finds it by either.
func TestHubPrefixedNames(t *testing.T) {
	g, root := newTestGraph(t)
	register(t, g, baseID, "", "f", "x")
	store, err := NewTagStore(filepath.Join(root, "repositories-vfs"), g)
	require.NoError(t, err)
	require.NoError(t, store.Set("docker.io/library/busybox", "v3", baseID, false))
	require.NoError(t, store.Set("docker.io/someone/app", "", baseID, false))
	assert.Equal(t, []string{"busybox:v3", "someone/app:latest"}, store.ByID()[baseID])
	img, err := store.LookupImage("busybox:v3")
	require.NoError(t, err)
	assert.Equal(t, baseID, img.ID)
	img, err = store.LookupImage("docker.io/library/busybox:v3")
	require.NoError(t, err)
	assert.Equal(t, baseID, img.ID)
	deleted, err := store.Delete("index.docker.io/someone/app", "latest")
	require.NoError(t, err)
	assert.True(t, deleted)
	assert.Equal(t, "localhost:5000/x", localRepoName("localhost:5000/x"), "other registries keep their names")
	assert.Equal(t, "docker.io/", localRepoName("docker.io/"))
}

// A name stored with its Hub prefix (by an older dockerlab) is still
// found and deleted under that exact name.
func TestHubPrefixedLegacyKey(t *testing.T) {
	g, root := newTestGraph(t)
	register(t, g, baseID, "", "f", "x")
	path := filepath.Join(root, "repositories-vfs")
	require.NoError(t, os.WriteFile(path, []byte(`{"Repositories":{"docker.io/library/old":{"v1":"`+baseID+`"}}}`), 0600))
	store, err := NewTagStore(path, g)
	require.NoError(t, err)
	repo, err := store.Get("docker.io/library/old")
	require.NoError(t, err)
	assert.Equal(t, Repository{"v1": baseID}, repo)
	deleted, err := store.Delete("docker.io/library/old", "v1")
	require.NoError(t, err)
	assert.True(t, deleted)
}
