package userland

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

func TestVolumes(t *testing.T) {
	dir, root := testRootfs(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "data"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data/hidden"), []byte("under the mount\n"), 0o644))
	vol, ro := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(vol, "hello"), []byte("from the host\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(ro, "conf"), []byte("read only\n"), 0o644))
	require.NoError(t, os.Symlink("/etc/hostname", filepath.Join(vol, "abs")))
	require.NoError(t, os.Symlink("../../../../../../..", filepath.Join(vol, "up")))
	hostFile := filepath.Join(t.TempDir(), "single")
	require.NoError(t, os.WriteFile(hostFile, []byte("one file\n"), 0o644))

	k := newStubKernel()
	k.volumes = []backend.Mount{
		{Type: backend.MountBind, Source: vol, Target: "/data"},
		{Type: backend.MountBind, Source: ro, Target: "/data/ro", Readonly: true},
		{Type: backend.MountBind, Source: hostFile, Target: "/etc/single"},
	}
	shv := func(cmd string) result { return runIn(t, k, root, t.Context(), "", "sh", "-c", cmd) }

	r := shv("cat /data/hello; ls /data/hidden 2>/dev/null || echo hidden")
	assert.Equal(t, "from the host\nhidden\n", r.stdout, r.stderr)

	r = shv("echo new > /data/new && cd /data && cat new && cd .. && ls -d data")
	assert.Equal(t, "new\ndata\n", r.stdout, r.stderr)
	b, err := os.ReadFile(filepath.Join(vol, "new"))
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(b))

	// symlinks in a volume are read in the container's namespace
	r = shv("cat /data/abs; ls /data/up/")
	assert.Equal(t, "container\nbin\ndata\netc\nroot\ntmp\nusr\n", r.stdout, r.stderr)

	// nested read-only volume
	r = shv("cat /data/ro/conf; echo x > /data/ro/conf; rm /data/ro/conf; touch /data/ro/x")
	assert.Equal(t, "read only\n", r.stdout)
	assert.Contains(t, r.stderr, "sh: can't create /data/ro/conf: Read-only file system\n")
	assert.Contains(t, r.stderr, "rm: can't remove '/data/ro/conf': Read-only file system\n")
	b, err = os.ReadFile(filepath.Join(ro, "conf"))
	require.NoError(t, err)
	assert.Equal(t, "read only\n", string(b))

	// a file mount
	r = shv("cat /etc/single")
	assert.Equal(t, "one file\n", r.stdout, r.stderr)

	// mv across the rootfs and a volume copies
	r = shv("echo moved > /tmp/m && mv /tmp/m /data/m && cat /data/m && ls /tmp/m")
	assert.Equal(t, "moved\n", r.stdout)
	assert.Contains(t, r.stderr, "ls: /tmp/m: No such file or directory")

	// scripts inside a volume run
	require.NoError(t, os.WriteFile(filepath.Join(vol, "run.sh"), []byte("#!/bin/sh\necho ran from volume\n"), 0o755))
	r = shv("/data/run.sh")
	assert.Equal(t, "ran from volume\n", r.stdout, r.stderr)
}
