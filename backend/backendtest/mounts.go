// Contract: mounts made through the Host, and volumes bound into a
// container (docs/design.md "The backend": mounts; book ch.8 Union Mount and
// ch.10 §10.4; Docker 1.2's `docker run -v`). Only directories made by
// the test are mounted on, and every mount is undone before they go.
package backendtest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

var mountChecks = []check{
	{"bind mount: listed, unmounted, unmount twice is EINVAL", func(t *testing.T, h backend.Host) {
		src, dst := t.TempDir(), t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(src, "hello"), []byte("hi\n"), 0o644))
		require.NoError(t, h.Mount(backend.Mount{Type: backend.MountBind, Source: src, Target: dst}))
		mounted := true
		t.Cleanup(func() {
			if mounted {
				_ = h.Unmount(dst)
			}
		})
		mounts, err := h.Mounts()
		require.NoError(t, err)
		var found bool
		for _, m := range mounts {
			if m.Target == dst {
				found = true
				assert.Equal(t, backend.MountBind, m.Type)
				assert.Equal(t, src, m.Source)
			}
		}
		assert.True(t, found, "Mounts: %v", mounts)
		require.NoError(t, h.Unmount(dst))
		mounted = false
		requireErr(t, h.Unmount(dst), backend.ErrInvalid, syscall.EINVAL, "unmount what is not mounted")
	}},
	{"a relative target is refused", func(t *testing.T, h backend.Host) {
		requireErr(t, h.Mount(backend.Mount{Type: backend.MountBind, Source: t.TempDir(), Target: "relative/dir"}),
			backend.ErrInvalid, 0, "relative mount target")
	}},
	{"a volume is visible inside the container", func(t *testing.T, h backend.Host) {
		rootfs := Rootfs(t, h)
		vol := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(vol, "hello"), []byte("from the host\n"), 0o644))
		require.NoError(t, os.MkdirAll(filepath.Join(rootfs, "data"), 0o755))
		spec, out, errOut := container(rootfs, "cat", "/data/hello")
		spec.Mounts = []backend.Mount{{Type: backend.MountBind, Source: vol, Target: "/data"}}
		got, st := runToEnd(t, h, spec, out, errOut)
		assert.Zero(t, st.Code)
		assert.Equal(t, "from the host\n", got)
	}},
}
