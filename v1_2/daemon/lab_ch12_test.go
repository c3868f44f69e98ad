// Tests of the chapter 12 exercises in package daemon, on a daemon on the
// fake machine (newLifeDaemon): ch12.create-rootfs (createRootfs, the
// container's two layers), `dockerlab lab check ch12.create-rootfs` or
// `go test ./v1_2/daemon -run TestCh12CreateRootfs`.
package daemon

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

// labLayer is the directory of one of the driver's layers (released at
// the end of the test).
func labLayer(t *testing.T, l *lifeDaemon, id string) string {
	t.Helper()
	require.True(t, l.d.driver.Exists(id), "the graph driver has a layer %s", id)
	dir, err := l.d.driver.Get(id, "")
	require.NoError(t, err)
	t.Cleanup(func() { l.d.driver.Put(id) })
	return dir
}

// The files SetupInitLayer puts into the init layer, as they look in a
// container's rootfs.
var labInitFiles = []string{".dockerinit", ".dockerenv", "etc/hosts", "etc/hostname", "etc/resolv.conf", "dev/console"}

// create makes two layers: <id>-init on the image, holding the files every
// container needs, and <id>, the container's own, on top of it.
func TestCh12CreateRootfs(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.120.0.1/16")
	id := l.create(t, "", `Cmd=["true"]`)

	initDir := labLayer(t, l, id+"-init")
	for _, f := range labInitFiles {
		assert.FileExists(t, filepath.Join(initDir, f), "the init layer holds /%s (graph.SetupInitLayer)", f)
	}
	assert.FileExists(t, filepath.Join(initDir, "bin", "sh"), "the init layer sits on the image: it sees the image's files")

	rootfs := labLayer(t, l, id)
	for _, f := range labInitFiles {
		assert.FileExists(t, filepath.Join(rootfs, f), "the container's layer sits on the init layer: /%s is there", f)
	}
	assert.FileExists(t, filepath.Join(rootfs, "bin", "sh"), "…and, through it, on the image")
	target, err := os.Readlink(filepath.Join(rootfs, "etc", "mtab"))
	require.NoError(t, err, "/etc/mtab is a symlink")
	assert.Equal(t, "/proc/mounts", target)
}

// The image stays as it was: the init files go into a layer of the
// container, never into the image every container shares.
func TestCh12CreateRootfs_ImageUntouched(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.120.0.1/16")
	id := l.create(t, "", `Cmd=["true"]`)
	image := labLayer(t, l, l.d.Get(id).Image)
	assert.FileExists(t, filepath.Join(image, "bin", "sh"))
	for _, f := range labInitFiles {
		assert.NoFileExists(t, filepath.Join(image, f), "the image's layer must not get /%s", f)
	}
	assert.False(t, l.d.driver.Exists(l.d.Get(id).Image+"-init"), "the init layer is named after the container, not the image")
}

// The container's directory is made first, with mode 0700, and making it
// is what stops a second createRootfs of the same container.
func TestCh12CreateRootfs_ContainerDir(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.120.0.1/16")
	id := l.create(t, "", `Cmd=["true"]`)
	c := l.d.Get(id)
	fi, err := os.Stat(c.root)
	require.NoError(t, err, "createRootfs makes the container's directory")
	assert.Equal(t, os.FileMode(0o700)|os.ModeDir, fi.Mode(), "only root may look into a container's directory")

	img, err := l.d.graph.Get(c.Image)
	require.NoError(t, err)
	err = l.d.createRootfs(c, img)
	require.Error(t, err, "a second createRootfs of the same container fails")
	assert.True(t, os.IsExist(err), "…at its first step, os.Mkdir of the directory that exists (got %v)", err)
}
