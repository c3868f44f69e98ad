// Tests for image metadata, ids, storage and history (upstream had no
// image package tests at v1.2.0; graph/graph_test.go covered some of this
// through the daemon). Own tests, on temp dirs with the vfs driver.
package image

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memGraph is the least Graph an image needs: images in a map, roots in
// a temp dir, a vfs driver.
type memGraph struct {
	root   string
	images map[string]*Image
	driver graphdriver.Driver
}

func newMemGraph(t *testing.T) *memGraph {
	d, err := vfs.Init(filepath.Join(t.TempDir(), "vfs"), nil)
	require.NoError(t, err)
	return &memGraph{root: t.TempDir(), images: map[string]*Image{}, driver: d}
}

func (g *memGraph) Get(id string) (*Image, error) {
	if img, ok := g.images[id]; ok {
		return img, nil
	}
	return nil, fmt.Errorf("No such image: %s", id)
}
func (g *memGraph) ImageRoot(id string) string { return filepath.Join(g.root, id) }
func (g *memGraph) Driver() graphdriver.Driver { return g.driver }

// add stores an image with the given layer files through StoreImage.
func (g *memGraph) add(t *testing.T, id, parent string, files map[string]string) *Image {
	t.Helper()
	img := &Image{ID: id, Parent: parent}
	img.SetGraph(g)
	require.NoError(t, g.driver.Create(id, parent))
	layer, err := g.driver.Get(id, "")
	require.NoError(t, err)
	defer g.driver.Put(id)
	root := g.ImageRoot(id)
	require.NoError(t, os.MkdirAll(root, 0700))
	require.NoError(t, StoreImage(img, nil, tarOf(t, files), root, layer))
	g.images[id] = img
	return img
}

func tarOf(t *testing.T, files map[string]string) io.Reader {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, content := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0644, Size: int64(len(content)), Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(content))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return &buf
}

func TestJSONFieldNames(t *testing.T) {
	img := &Image{ID: "abc", Parent: "def", Comment: "c", Container: "ctr", DockerVersion: "1.2.0",
		Author: "me", Architecture: "amd64", OS: "linux", Size: 42,
		Config: json.RawMessage(`{"Cmd":["/bin/sh"]}`), ContainerConfig: json.RawMessage(`{"Hostname":"h"}`)}
	b, err := json.Marshal(img)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"id", "parent", "comment", "created", "container", "container_config",
		"docker_version", "author", "config", "architecture", "os", "Size"} {
		assert.Contains(t, m, k)
	}
	back, err := NewImgJSON(b)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Cmd":["/bin/sh"]}`, string(back.Config))

	bare, err := json.Marshal(&Image{ID: "x"})
	require.NoError(t, err)
	assert.NotContains(t, string(bare), "parent", "omitempty fields stay out")
}

func TestGenerateRandomID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		id := GenerateRandomID()
		assert.True(t, IsFullID(id), id)
		assert.NoError(t, ValidateID(id))
		assert.False(t, strings.Trim(TruncateID(id), "0123456789") == "", "short id must not be all digits: %s", id)
		assert.False(t, seen[id])
		seen[id] = true
	}
}

func TestValidateID(t *testing.T) {
	assert.EqualError(t, ValidateID(""), "Id can't be empty")
	assert.EqualError(t, ValidateID("a:b"), "Invalid character in id: ':'")
	assert.EqualError(t, ValidateID("../x"), "Invalid character in id: '/'")
	assert.Error(t, ValidateID(".."))
	assert.NoError(t, ValidateID("abc"))
	assert.Equal(t, "0123456789ab", TruncateID("0123456789abcdef"))
	assert.Equal(t, "abc", TruncateID("abc"))
	assert.False(t, IsFullID("ABC"))
}

func TestStoreAndLoad(t *testing.T) {
	g := newMemGraph(t)
	base := g.add(t, "base", "", map[string]string{"etc/passwd": "root", "bin/sh": "sh!"})
	assert.Equal(t, int64(7), base.Size, "a base layer's size is its tree")
	child := g.add(t, "child", "base", map[string]string{"etc/passwd": "root\nu", "new": "n"})
	assert.Equal(t, int64(7), child.Size, "a child's size is what it changed")

	loaded, err := LoadImage(g.ImageRoot("child"))
	require.NoError(t, err)
	assert.Equal(t, "child", loaded.ID)
	assert.Equal(t, "base", loaded.Parent)
	assert.Equal(t, int64(7), loaded.Size)

	fi, err := os.Stat(filepath.Join(g.ImageRoot("child"), "json"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0600), fi.Mode().Perm())

	raw, err := child.RawJson()
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"id":"child"`)

	// No layersize file: Size -1, and MeasureSize finds it again.
	require.NoError(t, os.Remove(filepath.Join(g.ImageRoot("child"), "layersize")))
	loaded, err = LoadImage(g.ImageRoot("child"))
	require.NoError(t, err)
	assert.Equal(t, int64(-1), loaded.Size)
	loaded.SetGraph(g)
	size, err := loaded.MeasureSize()
	require.NoError(t, err)
	assert.Equal(t, int64(7), size)
}

func TestStoreKeepsGivenJSON(t *testing.T) {
	g := newMemGraph(t)
	img := &Image{ID: "given"}
	img.SetGraph(g)
	require.NoError(t, g.driver.Create("given", ""))
	root := g.ImageRoot("given")
	require.NoError(t, os.MkdirAll(root, 0700))
	raw := []byte(`{"id":"given",  "comment":"exact bytes"}`)
	require.NoError(t, StoreImage(img, raw, nil, root, t.TempDir()))
	got, err := os.ReadFile(filepath.Join(root, "json"))
	require.NoError(t, err)
	assert.Equal(t, raw, got)
	assert.Equal(t, int64(0), img.Size)
}

func TestLoadImageErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadImage(dir)
	assert.True(t, os.IsNotExist(err))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "json"), []byte(`{"id":""}`), 0600))
	_, err = LoadImage(dir)
	assert.EqualError(t, err, "Id can't be empty")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "json"), []byte(`{`), 0600))
	_, err = LoadImage(dir)
	assert.ErrorContains(t, err, "image json")
}

func TestUnregisteredImage(t *testing.T) {
	img := &Image{ID: "lonely", Parent: "p"}
	_, err := img.GetParent()
	assert.EqualError(t, err, "Can't lookup parent of unregistered image")
	_, err = img.TarLayer()
	assert.ErrorContains(t, err, "unregistered image")
	_, err = img.RawJson()
	assert.ErrorContains(t, err, "Can't lookup root of unregistered image")
}

func TestHistoryDepthAndParentsSize(t *testing.T) {
	g := newMemGraph(t)
	g.add(t, "l1", "", map[string]string{"a": "1"})
	g.add(t, "l2", "l1", map[string]string{"b": "22"})
	top := g.add(t, "l3", "l2", map[string]string{"c": "333"})

	h, err := top.History()
	require.NoError(t, err)
	var ids []string
	for _, i := range h {
		ids = append(ids, i.ID)
	}
	assert.Equal(t, []string{"l3", "l2", "l1"}, ids)
	depth, err := top.Depth()
	require.NoError(t, err)
	assert.Equal(t, 3, depth)
	assert.Equal(t, int64(3+2+1), top.GetParentsSize(top.Size))

	broken := &Image{ID: "b", Parent: "gone"}
	broken.SetGraph(g)
	_, err = broken.History()
	assert.ErrorContains(t, err, "Error while getting parent image")
}

func TestCheckDepth(t *testing.T) {
	g := newMemGraph(t)
	// Chains made in memory: CheckDepth only walks parents.
	chain := func(n int) *Image {
		var top *Image
		for i := 0; i < n; i++ {
			img := &Image{ID: fmt.Sprintf("d%d", i)}
			if top != nil {
				img.Parent = top.ID
			}
			img.SetGraph(g)
			g.images[img.ID] = img
			top = img
		}
		return top
	}
	assert.NoError(t, chain(124).CheckDepth(), "124 layers + 2 container layers = 126 < 127")
	g.images = map[string]*Image{}
	assert.EqualError(t, chain(125).CheckDepth(), "Cannot create container with more than 127 parents")
}

func TestTarLayer(t *testing.T) {
	g := newMemGraph(t)
	base := g.add(t, "base", "", map[string]string{"etc/motd": "hi", "tmp/x": "x"})
	child := g.add(t, "child", "base", map[string]string{"etc/motd": "bye"})
	// Delete a parent's file in the child layer.
	dir, err := g.driver.Get("child", "")
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(dir, "tmp/x")))

	names := func(img *Image) []string {
		a, err := img.TarLayer()
		require.NoError(t, err)
		defer a.Close()
		var out []string
		tr := tar.NewReader(a)
		for {
			hdr, err := tr.Next()
			if err == io.EOF {
				return out
			}
			require.NoError(t, err)
			out = append(out, hdr.Name)
		}
	}
	assert.Equal(t, []string{"etc/", "etc/motd", "tmp/", "tmp/x"}, names(base))
	// Whiteouts first; a directory whose entries changed has a new mtime,
	// so it travels too (Docker 1.2 did the same).
	assert.Equal(t, []string{"tmp/.wh.x", "etc/", "etc/motd", "tmp/"}, names(child))
}
