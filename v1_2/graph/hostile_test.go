//go:build !windows

// The hostile-archive table (pkg/chrootarchive/archivetest) against the
// image jobs: `import` of a hostile tar, and `load` of a hostile tar and
// of a well-formed save whose layer.tar is hostile — on vfs (the fake
// backend's driver) always, and on overlay with a real kernel as root.
// Nothing outside the graph root may be written, changed or deleted.
package graph

import (
	"archive/tar"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/pkg/chrootarchive/archivetest"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileFixture makes a graph with driver name under root.
func hostileFixture(t *testing.T, driver, root string) *jobsFixture {
	if driver == "overlay" {
		h := linuxtest.NewHost(t) // skips unless root
		graphdriver.SetHost(h)
		t.Cleanup(func() { graphdriver.SetHost(nil) })
	}
	d, err := graphdriver.GetDriver(driver, root, nil)
	if errors.Is(err, graphdriver.ErrNotSupported) || errors.Is(err, graphdriver.ErrPrerequisites) || errors.Is(err, graphdriver.ErrIncompatibleFS) {
		t.Skipf("%s cannot run here: %v", driver, err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, d.Cleanup()) })
	g, err := NewGraph(filepath.Join(root, "graph"), d)
	require.NoError(t, err)
	return newJobsFixtureOn(t, g, root)
}

// layerOf mounts image id's layer for the case's check until the test ends.
func (f *jobsFixture) layerOf(t *testing.T, id string) string {
	dir, err := f.graph.Driver().Get(id, "")
	require.NoError(t, err)
	t.Cleanup(func() { f.graph.Driver().Put(id) })
	return dir
}

// hostileJobs runs the table through the job that unpack picks.
func hostileJobs(t *testing.T, driver string, unpack func(t *testing.T, f *jobsFixture, tarball []byte) (string, error)) {
	archivetest.Run(t, func(t *testing.T, sb *archivetest.Sandbox) (string, func([]byte) (string, error)) {
		root := filepath.Join(sb.Base, "root")
		require.NoError(t, os.Mkdir(root, 0700))
		f := hostileFixture(t, driver, root)
		return root, func(tarball []byte) (string, error) { return unpack(t, f, tarball) }
	})
}

func importHostile(t *testing.T, f *jobsFixture, tarball []byte) (string, error) {
	out, err := f.run(t, bytes.NewReader(tarball), "import", []string{"-", "hostile"})
	if err != nil {
		return "", err
	}
	return f.layerOf(t, strings.TrimSpace(out)), nil
}

// loadHostileLayer wraps the archive as the layer.tar of a docker save.
func loadHostileLayer(t *testing.T, f *jobsFixture, tarball []byte) (string, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range []struct{ name, body string }{
		{baseID + "/VERSION", "1.0"},
		{baseID + "/json", `{"id":"` + baseID + `","created":"2014-08-21T00:00:00Z"}`},
		{baseID + "/layer.tar", string(tarball)},
		{"repositories", `{"hostile":{"latest":"` + baseID + `"}}`},
	} {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(e.body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	if _, err := f.run(t, &buf, "load", nil); err != nil {
		return "", err
	}
	return f.layerOf(t, baseID), nil
}

// loadHostileOuter hands the archive itself to load: it must never be
// unpacked outside the graph's temporary directory, even if it is not a
// save at all.
func loadHostileOuter(t *testing.T, f *jobsFixture, tarball []byte) (string, error) {
	_, err := f.run(t, bytes.NewReader(tarball), "load", nil)
	if err != nil && strings.Contains(err.Error(), "no image found") {
		return "", nil // unpacked, then refused as no save: what a harmless tar gets
	}
	return "", err
}

func TestImportHostileArchivesVFS(t *testing.T) { hostileJobs(t, "vfs", importHostile) }
func TestLoadHostileArchivesVFS(t *testing.T)   { hostileJobs(t, "vfs", loadHostileLayer) }
func TestLoadHostileTarVFS(t *testing.T)        { hostileJobs(t, "vfs", loadHostileOuter) }

func TestImportHostileArchivesOverlay(t *testing.T) { hostileJobs(t, "overlay", importHostile) }
func TestLoadHostileArchivesOverlay(t *testing.T)   { hostileJobs(t, "overlay", loadHostileLayer) }
func TestLoadHostileTarOverlay(t *testing.T)        { hostileJobs(t, "overlay", loadHostileOuter) }

// The vfs cases again as an ordinary user (overlay needs root).
func TestHostileArchivesAsOrdinaryUser(t *testing.T) {
	archivetest.AsOrdinaryUser(t, "^Test(Import|Load)Hostile(Archives|Tar)VFS$")
}
