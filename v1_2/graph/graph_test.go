// Tests for the image graph (upstream graph/graph_test.go lived in
// integration/ at v1.2.0 and needed a daemon; these are dockerlab's own,
// on temp dirs with the vfs driver).
package graph

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/vfs"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTestGraph lays things out as NewDaemon does: <root>/graph and the
// driver's home <root>/vfs.
func newTestGraph(t *testing.T) (*Graph, string) {
	root := t.TempDir()
	d, err := graphdriver.GetDriver("vfs", root, nil)
	require.NoError(t, err)
	g, err := NewGraph(filepath.Join(root, "graph"), d)
	require.NoError(t, err)
	return g, root
}

// layer is a tar with the given files (name -> content); a name ending in
// "/" is a directory.
func layer(t *testing.T, files ...string) io.Reader {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		name, content := files[i], files[i+1]
		hdr := &tar.Header{Name: name, Mode: 0644, Size: int64(len(content)), Typeflag: tar.TypeReg}
		if name[len(name)-1] == '/' {
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeDir, 0755, 0
		}
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(content))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return &buf
}

func register(t *testing.T, g *Graph, id, parent string, files ...string) *image.Image {
	t.Helper()
	img := &image.Image{ID: id, Parent: parent, Comment: "test " + id}
	require.NoError(t, g.Register(nil, layer(t, files...), img))
	return img
}

func readLayer(t *testing.T, g *Graph, id, rel string) string {
	t.Helper()
	dir, err := g.Driver().Get(id, "")
	require.NoError(t, err)
	defer g.Driver().Put(id)
	b, err := os.ReadFile(filepath.Join(dir, rel))
	require.NoError(t, err)
	return string(b)
}

var (
	baseID  = "0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b"
	childID = "0a1bffff4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d4e5f0a1b"
	otherID = "9f8e7d6c5b4a9f8e7d6c5b4a9f8e7d6c5b4a9f8e7d6c5b4a9f8e7d6c5b4a9f8e"
)

func TestRegisterAndGet(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "etc/", "", "etc/passwd", "root")
	register(t, g, childID, baseID, "etc/passwd", "root\nuser", "home/", "")

	img, err := g.Get(childID)
	require.NoError(t, err)
	assert.Equal(t, baseID, img.Parent)
	assert.Equal(t, "test "+childID, img.Comment)
	assert.Equal(t, int64(len("root\nuser")), img.Size)

	// A unique prefix is enough; an ambiguous one is not.
	byPrefix, err := g.Get("0a1bf")
	require.NoError(t, err)
	assert.Equal(t, childID, byPrefix.ID)
	_, err = g.Get("0a1b")
	assert.Error(t, err)
	assert.True(t, g.IsNotExist(err))

	assert.Equal(t, "root\nuser", readLayer(t, g, childID, "etc/passwd"))
	assert.Equal(t, "root", readLayer(t, g, baseID, "etc/passwd"))

	// The on-disk layout of ch.10 §10.5: json and layersize, no _tmp left.
	for _, f := range []string{"json", "layersize"} {
		assert.FileExists(t, filepath.Join(g.Root, childID, f))
	}
	left, _ := os.ReadDir(filepath.Join(g.Root, "_tmp"))
	assert.Empty(t, left)

	parent, err := img.GetParent()
	require.NoError(t, err)
	assert.Equal(t, baseID, parent.ID)
}

func TestRegisterRefusals(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "f", "original")

	err := g.Register(nil, layer(t, "f", "again"), &image.Image{ID: baseID})
	assert.EqualError(t, err, "Image "+baseID+" already exists")
	assert.Equal(t, "original", readLayer(t, g, baseID, "f"), "a refused re-register must not touch the existing layer")

	assert.EqualError(t, g.Register(nil, nil, &image.Image{ID: ""}), "Id can't be empty")
	assert.EqualError(t, g.Register(nil, nil, &image.Image{ID: "a:b"}), "Invalid character in id: ':'")

	err = g.Register(nil, nil, &image.Image{ID: otherID, Parent: "missing"})
	assert.ErrorContains(t, err, "failed to create image rootfs")
	assert.False(t, g.Driver().Exists(otherID))
}

func TestRegisterBadLayerLeavesNothing(t *testing.T) {
	g, _ := newTestGraph(t)
	err := g.Register(nil, layer(t, "../escape", "x"), &image.Image{ID: otherID})
	assert.ErrorContains(t, err, "outside the destination")
	assert.False(t, g.Exists(otherID))
	assert.False(t, g.Driver().Exists(otherID), "the driver's layer is removed on failure")
	assert.NoDirExists(t, filepath.Join(g.Root, otherID))
}

func TestRegisterKeepsGivenJSON(t *testing.T) {
	g, _ := newTestGraph(t)
	raw := []byte(`{"id":"` + otherID + `","comment":"pulled"}`)
	img, err := image.NewImgJSON(raw)
	require.NoError(t, err)
	require.NoError(t, g.Register(raw, nil, img))
	got, err := g.Get(otherID)
	require.NoError(t, err)
	back, err := got.RawJson()
	require.NoError(t, err)
	assert.Equal(t, raw, back)
}

func TestRestoreAndTmpCleanup(t *testing.T) {
	g, root := newTestGraph(t)
	register(t, g, baseID, "", "a", "1")
	// A directory the driver does not know is not an image.
	require.NoError(t, os.MkdirAll(filepath.Join(g.Root, otherID), 0700))
	// Leftovers of an interrupted Register.
	junk, err := g.Mktemp("")
	require.NoError(t, err)

	d, err := vfs.Init(filepath.Join(root, "vfs"), nil)
	require.NoError(t, err)
	again, err := NewGraph(g.Root, d)
	require.NoError(t, err)
	assert.True(t, again.Exists(baseID))
	assert.False(t, again.Exists(otherID))
	assert.NoDirExists(t, junk)
}

func TestGetMeasuresMissingSize(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "a", "12345")
	require.NoError(t, os.Remove(filepath.Join(g.Root, baseID, "layersize")))
	img, err := g.Get(baseID)
	require.NoError(t, err)
	assert.Equal(t, int64(5), img.Size)
	assert.FileExists(t, filepath.Join(g.Root, baseID, "layersize"), "the measured size is saved")
}

func TestGetWrongID(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "a", "1")
	require.NoError(t, os.WriteFile(filepath.Join(g.Root, baseID, "json"), []byte(`{"id":"`+otherID+`"}`), 0600))
	_, err := g.Get(baseID)
	assert.ErrorContains(t, err, "has wrong id")
}

func TestCreateAndImport(t *testing.T) {
	g, _ := newTestGraph(t)
	imported, err := g.Import(layer(t, "bin/", "", "bin/sh", "#!"), "Imported from -")
	require.NoError(t, err)
	assert.True(t, image.IsFullID(imported.ID))
	assert.Equal(t, "Imported from -", imported.Comment)
	assert.Equal(t, "1.2.0", imported.DockerVersion)
	assert.Equal(t, runtime.GOARCH, imported.Architecture)
	assert.Equal(t, runtime.GOOS, imported.OS)
	assert.Empty(t, imported.Parent)
	assert.Equal(t, "#!", readLayer(t, g, imported.ID, "bin/sh"))

	committed, err := g.Create(layer(t, "etc/", "", "etc/motd", "hi"), "c0ffee", imported.ID, "commit", "me",
		[]byte(`{"Hostname":"c0ffee"}`), []byte(`{"Cmd":["/bin/sh"]}`))
	require.NoError(t, err)
	assert.Equal(t, imported.ID, committed.Parent)
	assert.Equal(t, "c0ffee", committed.Container)
	assert.Equal(t, "me", committed.Author)
	got, err := g.Get(committed.ID)
	require.NoError(t, err)
	assert.JSONEq(t, `{"Cmd":["/bin/sh"]}`, string(got.Config))
	assert.JSONEq(t, `{"Hostname":"c0ffee"}`, string(got.ContainerConfig))
	assert.Equal(t, "#!", readLayer(t, g, committed.ID, "bin/sh"), "the parent's files show in the child")

	_, err = g.Import(nil, "")
	assert.Error(t, err)
}

func TestDelete(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "a", "1")
	require.NoError(t, g.Delete(baseID[:8]))
	assert.False(t, g.Exists(baseID))
	assert.False(t, g.Driver().Exists(baseID))
	assert.NoDirExists(t, filepath.Join(g.Root, baseID))
	err := g.Delete(baseID)
	assert.True(t, g.IsNotExist(err), "%v", err)
	// The id can be registered again.
	register(t, g, baseID, "", "a", "2")
	assert.Equal(t, "2", readLayer(t, g, baseID, "a"))
}

func TestMapByParentHeads(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "a", "1")
	register(t, g, childID, baseID, "b", "2")
	register(t, g, otherID, baseID, "c", "3")

	all, err := g.Map()
	require.NoError(t, err)
	assert.Len(t, all, 3)

	byParent, err := g.ByParent()
	require.NoError(t, err)
	require.Len(t, byParent, 1)
	var kids []string
	for _, img := range byParent[baseID] {
		kids = append(kids, img.ID)
	}
	assert.Equal(t, []string{childID, otherID}, kids)

	heads, err := g.Heads()
	require.NoError(t, err)
	var ids []string
	for id := range heads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	assert.Equal(t, []string{childID, otherID}, ids)
}

func TestTempLayerArchive(t *testing.T) {
	g, _ := newTestGraph(t)
	register(t, g, baseID, "", "a", "1", "b", "2")
	register(t, g, childID, baseID, "b", "22")
	ta, err := g.TempLayerArchive(childID, 0)
	require.NoError(t, err)
	var names []string
	tr := tar.NewReader(ta)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		names = append(names, hdr.Name)
	}
	assert.Equal(t, []string{"b"}, names, "only what the child layer changed")
	assert.Positive(t, ta.Size)
	ta.Close()

	_, err = g.TempLayerArchive("nope", 0)
	assert.Error(t, err)
}

func TestIsNotExist(t *testing.T) {
	g, _ := newTestGraph(t)
	assert.False(t, g.IsNotExist(nil))
	_, err := g.Get("abc")
	assert.True(t, g.IsNotExist(err))
	_, err = os.Stat(filepath.Join(t.TempDir(), "x"))
	assert.True(t, g.IsNotExist(err))
}

func TestNewGraphNeedsDriver(t *testing.T) {
	_, err := NewGraph(t.TempDir(), nil)
	assert.Error(t, err)
}

func TestSetupInitLayer(t *testing.T) {
	dir := t.TempDir()
	// An image whose /etc/hosts points outside the container.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "etc"), 0755))
	require.NoError(t, os.Symlink("/outside/hosts", filepath.Join(dir, "etc/hosts")))
	require.NoError(t, SetupInitLayer(dir))

	for p, kind := range initLayerEntries {
		fi, err := os.Lstat(filepath.Join(dir, p))
		require.NoError(t, err, p)
		switch kind {
		case "dir":
			assert.True(t, fi.IsDir(), p)
		case "file":
			assert.True(t, fi.Mode().IsRegular(), p)
		default:
			target, err := os.Readlink(filepath.Join(dir, p))
			require.NoError(t, err)
			assert.Equal(t, kind, target)
		}
	}
	// Running it again changes nothing.
	require.NoError(t, SetupInitLayer(dir))
}
