package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A stand-in for `runc spec --bundle DIR`: it writes the parts of runc's
// default spec that runcBundle changes, plus one it must keep.
const fakeRunc = `#!/bin/sh
[ "$1" = spec ] && [ "$2" = --bundle ] || exit 2
cat > "$3/config.json" <<'JSON'
{"ociVersion":"1.0.2","process":{"terminal":true,"args":["sh"],"cwd":"/"},
 "root":{"path":"rootfs","readonly":true},"linux":{"namespaces":[{"type":"pid"}]}}
JSON
`

func TestRuncBundle(t *testing.T) {
	dir := t.TempDir()
	runc := filepath.Join(dir, "runc")
	require.NoError(t, os.WriteFile(runc, []byte(fakeRunc), 0o755))
	bundle := filepath.Join(dir, "bundle")
	require.NoError(t, os.Mkdir(bundle, 0o755))

	require.NoError(t, runcBundle(runc, bundle, "/some/rootfs"))
	data, err := os.ReadFile(filepath.Join(bundle, "config.json"))
	require.NoError(t, err)
	var spec struct {
		OCIVersion string `json:"ociVersion"`
		Process    struct {
			Terminal bool
			Args     []string
			Cwd      string
		}
		Root  struct{ Path string }
		Linux struct {
			CgroupsPath string
			Namespaces  []map[string]string
		}
	}
	require.NoError(t, json.Unmarshal(data, &spec))
	assert.Equal(t, "1.0.2", spec.OCIVersion, "fields runcBundle does not change are kept")
	assert.False(t, spec.Process.Terminal)
	assert.Equal(t, []string{"/bin/true"}, spec.Process.Args)
	assert.Equal(t, "/", spec.Process.Cwd)
	assert.Equal(t, "/some/rootfs", spec.Root.Path)
	assert.Equal(t, "/dockerlab-bench-runc/bundle", spec.Linux.CgroupsPath)
	assert.Len(t, spec.Linux.Namespaces, 1)
}

func TestToolMissing(t *testing.T) {
	assert.Contains(t, toolMissing(filepath.Join(t.TempDir(), "runc"), "runc"), "scripts/bench-tools.sh")
	assert.Empty(t, toolMissing(os.Args[0], "this test"))
}
