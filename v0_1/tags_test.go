// Tests for TagStore (tags.go of Docker v0.1.0; reference
// docs/upstream/v0.1.0.md §2 "TagStore", §9.5), against a stub graph.
package docker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stubGraph holds a set of image ids.
type stubGraph map[string]bool

func (g stubGraph) Exists(id string) bool { return g[id] }

const (
	imgA = "c4f297cbb9b43e74"
	imgB = "0123456789abcdef"
)

func newTestTagStore(t *testing.T) (*TagStore, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "repositories")
	store, err := NewTagStore(path, stubGraph{imgA: true, imgB: true})
	require.NoError(t, err)
	return store, path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

func TestNewTagStoreCreatesFile0600(t *testing.T) {
	_, path := newTestTagStore(t)
	assert.Equal(t, `{"Repositories":{}}`, readFile(t, path))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0600), info.Mode().Perm())
}

func TestSetWritesUpstreamJSON(t *testing.T) {
	store, path := newTestTagStore(t)
	require.NoError(t, store.Set("base", "", imgA, false))
	assert.Equal(t, `{"Repositories":{"base":{"latest":"c4f297cbb9b43e74"}}}`, readFile(t, path))

	// A second store on the same file sees it (NewTagStore reloads).
	other, err := NewTagStore(path, stubGraph{imgA: true})
	require.NoError(t, err)
	repo, err := other.Get("base")
	require.NoError(t, err)
	assert.Equal(t, Repository{"latest": imgA}, repo)

	// No temporary file is left behind.
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}

func TestLookupImageID(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("base", "latest", imgA, false))
	require.NoError(t, store.Set("base", "v1", imgB, false))
	// A tag can also be set through another name of the image.
	require.NoError(t, store.Set("other", "x", "base:v1", false))

	for name, want := range map[string]string{
		imgA:      imgA, // an id is itself
		"base":    imgA, // DEFAULT_TAG
		"base:v1": imgB,
		"other:x": imgB,
	} {
		id, err := store.LookupImageID(name)
		require.NoError(t, err, name)
		assert.Equal(t, want, id, name)
	}
	for _, name := range []string{"nosuch", "base:nosuch", "other"} {
		_, err := store.LookupImageID(name)
		assert.EqualError(t, err, "No such image: "+name)
	}
	err := store.Set("x", "y", "nosuch", false)
	assert.EqualError(t, err, "No such image: nosuch")
}

func TestSetValidatesNames(t *testing.T) {
	store, _ := newTestTagStore(t)
	assert.EqualError(t, store.Set("", "t", imgA, false), "Repository name can't be empty")
	assert.EqualError(t, store.Set("a:b", "t", imgA, false), "Illegal repository name: a:b")
	assert.EqualError(t, store.Set("a", "x/y", imgA, false), "Illegal tag name: x/y")
	assert.EqualError(t, store.Set("a", "x:y", imgA, false), "Illegal tag name: x:y")
	// A repository name may hold "/" (user/repo), a tag may not.
	assert.NoError(t, store.Set("user/repo", "v1", imgA, false))
}

func TestSetForce(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("base", "", imgA, false))
	// Same image again: nothing moves, no force needed.
	require.NoError(t, store.Set("base", "latest", imgA, false))
	// Moving the tag needs force (0.1.0 never checked, §9.5).
	err := store.Set("base", "latest", imgB, false)
	assert.EqualError(t, err, "Tag base:latest is already set to "+imgA)
	require.NoError(t, store.Set("base", "latest", imgB, true))
	id, err := store.LookupImageID("base")
	require.NoError(t, err)
	assert.Equal(t, imgB, id)
}

func TestByIdAndImageName(t *testing.T) {
	store, _ := newTestTagStore(t)
	require.NoError(t, store.Set("zeta", "", imgA, false))
	require.NoError(t, store.Set("base", "v1", imgA, false))
	assert.Equal(t, map[string][]string{imgA: {"base:v1", "zeta:latest"}}, store.ById())
	assert.Equal(t, "base:v1", store.ImageName(imgA))
	assert.Equal(t, imgB, store.ImageName(imgB))
}

func TestReloadFollowsTheFile(t *testing.T) {
	store, path := newTestTagStore(t)
	require.NoError(t, store.Set("base", "", imgA, false))
	require.NoError(t, os.WriteFile(path, []byte(`{"Repositories":{"new":{"latest":"`+imgB+`"}}}`), 0600))
	require.NoError(t, store.Reload())
	assert.Equal(t, map[string]Repository{"new": {"latest": imgB}}, store.Repositories)

	require.NoError(t, os.WriteFile(path, []byte(`{"Repositories":`), 0600))
	assert.ErrorContains(t, store.Reload(), "not valid JSON")
	_, err := NewTagStore(path, stubGraph{})
	assert.ErrorContains(t, err, "not valid JSON")
}

func TestGetMissingRepository(t *testing.T) {
	store, _ := newTestTagStore(t)
	repo, err := store.Get("nosuch")
	assert.NoError(t, err)
	assert.Nil(t, repo)
	id, err := store.GetImageID("nosuch", "latest")
	assert.NoError(t, err)
	assert.Empty(t, id)
}
