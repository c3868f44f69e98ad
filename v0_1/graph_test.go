// Tests for graph.go, image.go and archive.go (reference docs/upstream/v0.1.0.md
// §7, §8 graph_test.go): layout and modes, create/register/delete, heads,
// history, mounting on the fake backend, and unpacking that stays inside
// the layer.
package docker

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

func tempGraph(t *testing.T) *Graph {
	g, err := NewGraph(filepath.Join(t.TempDir(), "graph"))
	require.NoError(t, err)
	return g
}

func TestGraphInit(t *testing.T) {
	g := tempGraph(t)
	st, err := os.Stat(g.Root)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0700), st.Mode().Perm())
	all, err := g.All()
	require.NoError(t, err)
	assert.Empty(t, all)
}

func TestGraphCreateLayoutAndJSON(t *testing.T) {
	g := tempGraph(t)
	img, err := g.Create(bytes.NewReader(fakeTar(t)), nil, "Testing")
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{16}$`), img.Id)
	assert.Equal(t, "Testing", img.Comment)

	st, err := os.Stat(filepath.Join(g.Root, img.Id, "json"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0600), st.Mode().Perm())
	st, err = os.Stat(filepath.Join(g.Root, img.Id, "layer"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0700), st.Mode().Perm())
	body, err := os.ReadFile(filepath.Join(g.Root, img.Id, "layer", "etc", "passwd"))
	require.NoError(t, err)
	assert.Equal(t, "Hello world!\n", string(body))
	link, err := os.Readlink(filepath.Join(g.Root, img.Id, "layer", "bin", "sh"))
	require.NoError(t, err)
	assert.Equal(t, "busybox", link)

	data, err := os.ReadFile(filepath.Join(g.Root, img.Id, "json"))
	require.NoError(t, err)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(data, &raw))
	assert.Equal(t, img.Id, raw["id"])
	assert.Equal(t, "Testing", raw["comment"])
	assert.NotContains(t, raw, "parent")
	assert.Contains(t, raw["container_config"], "Cmd")

	// Staging is empty once registered.
	tmp, err := os.ReadDir(filepath.Join(g.Root, ":tmp:"))
	require.NoError(t, err)
	assert.Empty(t, tmp)
	all, err := g.All()
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

func TestGraphRegisterAndGet(t *testing.T) {
	g := tempGraph(t)
	img := &Image{Id: GenerateId(), Comment: "testing", Created: time.Now()}
	require.NoError(t, g.Register(bytes.NewReader(fakeTar(t)), img))
	got, err := g.Get(img.Id)
	require.NoError(t, err)
	assert.Equal(t, img.Id, got.Id)
	assert.Equal(t, "testing", got.Comment)
	assert.True(t, g.Exists(img.Id))

	err = g.Register(bytes.NewReader(fakeTar(t)), img)
	assert.ErrorContains(t, err, "already exists")
	assert.Error(t, g.Register(nil, &Image{Id: "../escape"}))
	_, err = g.Get("nosuch")
	assert.EqualError(t, err, "No such image: nosuch")
}

func TestGraphDeleteMovesToGarbage(t *testing.T) {
	g := tempGraph(t)
	a, err := g.Create(bytes.NewReader(fakeTar(t)), nil, "a")
	require.NoError(t, err)
	b, err := g.Create(bytes.NewReader(fakeTar(t)), nil, "b")
	require.NoError(t, err)
	require.NoError(t, g.Delete(a.Id))
	all, err := g.All()
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, b.Id, all[0].Id)
	_, err = os.Stat(filepath.Join(g.Root, ":garbage:", a.Id, "json"))
	assert.NoError(t, err)
	assert.Error(t, g.Delete("Not_foo"))
}

func TestGraphHeadsAndHistory(t *testing.T) {
	// A ← B ← C ← D: 0.1.0's Heads gave {C, D} (§9.6); only D is a head.
	g := tempGraph(t)
	var ids []string
	parent := ""
	for _, name := range []string{"A", "B", "C", "D"} {
		img, err := g.Create(bytes.NewReader(fakeTar(t)), &Container{Id: "c" + name, Image: parent, Config: &Config{Cmd: []string{"make", name}}}, "")
		require.NoError(t, err)
		ids = append(ids, img.Id)
		parent = img.Id
	}
	heads, err := g.Heads()
	require.NoError(t, err)
	assert.Len(t, heads, 1)
	assert.Contains(t, heads, ids[3])

	d, err := g.Get(ids[3])
	require.NoError(t, err)
	history, err := d.History()
	require.NoError(t, err)
	require.Len(t, history, 4)
	for i, img := range history {
		assert.Equal(t, ids[3-i], img.Id)
	}
	layers, err := d.layers()
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(g.Root, ids[3], "layer"), layers[0])
	assert.Equal(t, filepath.Join(g.Root, ids[0], "layer"), layers[3])
}

func TestImageMountOnFakeCopiesLayersWithWhiteouts(t *testing.T) {
	g := tempGraph(t)
	base, err := g.Create(bytes.NewReader(fakeTar(t)), nil, "base")
	require.NoError(t, err)
	top := makeTar(t,
		tarEntry{name: "etc/passwd", body: "root:x:0:0\n"},
		tarEntry{name: "etc/.wh.postgres", body: ""},
		tarEntry{name: "new", body: "added\n"},
	)
	child, err := g.Create(bytes.NewReader(top), &Container{Image: base.Id}, "")
	require.NoError(t, err)

	dir := t.TempDir()
	rootfs, rw := filepath.Join(dir, "rootfs"), filepath.Join(dir, "rw")
	require.NoError(t, child.Mount(fake.New(), rootfs, rw))
	body, err := os.ReadFile(filepath.Join(rootfs, "etc", "passwd"))
	require.NoError(t, err)
	assert.Equal(t, "root:x:0:0\n", string(body))
	_, err = os.Stat(filepath.Join(rootfs, "etc", "postgres"))
	assert.True(t, os.IsNotExist(err), "the whiteout deleted etc/postgres")
	_, err = os.Stat(filepath.Join(rootfs, "var", "log", "postgres", "postgres.conf"))
	assert.NoError(t, err)
	_, err = os.Stat(filepath.Join(rootfs, "new"))
	assert.NoError(t, err)
}

func TestUntarStaysInsideTheLayer(t *testing.T) {
	outside := t.TempDir()
	for _, entries := range [][]tarEntry{
		{{name: "../../escape", body: "x"}},
		{{name: "out", link: outside}, {name: "out/escape", body: "x"}},
	} {
		dir := t.TempDir()
		_ = Untar(bytes.NewReader(makeTar(t, entries...)), dir)
		_, err := os.Stat(filepath.Join(outside, "escape"))
		assert.True(t, os.IsNotExist(err))
		_, err = os.Stat(filepath.Join(filepath.Dir(filepath.Dir(dir)), "escape"))
		assert.True(t, os.IsNotExist(err))
	}
	err := Untar(bytes.NewReader([]byte("not a tar at all, just some words")), t.TempDir())
	assert.Error(t, err)
}

// 0.1.0's bsdtar took an empty stream, or a tar with no member, as an
// empty archive: `docker import - < /dev/null` made an image with an
// empty layer. Something that is not a tar is still an error.
func TestUntarAcceptsAnEmptyArchive(t *testing.T) {
	emptyTar := makeTar(t)
	for name, archive := range map[string][]byte{"no bytes": nil, "a tar with no member": emptyTar} {
		dir := t.TempDir()
		require.NoError(t, Untar(bytes.NewReader(archive), dir), name)
		left, err := os.ReadDir(dir)
		require.NoError(t, err)
		assert.Empty(t, left, name)
	}

	srv := newTestServer(t)
	id := strings.TrimSpace(call(t, srv, "", "import", "-"))
	assert.Regexp(t, `^[0-9a-f]{16}$`, id, "import of an empty stream makes an image")
}
