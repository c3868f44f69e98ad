//go:build linux

// image.go on the real kernel: Image.Mount stacks two layers with
// overlayfs (docs/divergences.md "Overlayfs instead of AUFS"), the
// container's writes land in rw, and Changes reads them back as `diff`
// would. Everything is in temp dirs; the mount is undone in cleanup.
// Skips unless root.
package docker

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

func TestImageMountOverlayOnRealKernel(t *testing.T) {
	host := linuxtest.NewHost(t) // skips when not root
	g := tempGraph(t)
	base, err := g.Create(bytes.NewReader(fakeTar(t)), nil, "base")
	require.NoError(t, err)
	child, err := g.Create(bytes.NewReader(makeTar(t, tarEntry{name: "etc/passwd", body: "root:x:0:0\n"})),
		&Container{Image: base.Id}, "")
	require.NoError(t, err)

	dir := t.TempDir()
	rootfs, rw := filepath.Join(dir, "rootfs"), filepath.Join(dir, "rw")
	if err := child.Mount(host, rootfs, rw); err != nil {
		t.Skipf("skipping: overlayfs mount failed here: %v", err)
	}
	t.Cleanup(func() { assert.NoError(t, host.Unmount(rootfs)) })

	body, err := os.ReadFile(filepath.Join(rootfs, "etc", "passwd"))
	require.NoError(t, err)
	assert.Equal(t, "root:x:0:0\n", string(body), "the top layer wins")
	_, err = os.Stat(filepath.Join(rootfs, "var", "log", "postgres", "postgres.conf"))
	assert.NoError(t, err, "the base layer shows through")

	require.NoError(t, os.WriteFile(filepath.Join(rootfs, "new"), []byte("x"), 0644))
	_, err = os.Stat(filepath.Join(rw, "new"))
	assert.NoError(t, err, "writes land in the upper directory")

	layers, err := child.layers()
	require.NoError(t, err)
	changes, err := Changes(layers, rw)
	require.NoError(t, err)
	require.Len(t, changes, 1)
	assert.Equal(t, "A /new", changes[0].String())
}
