// Tests for runtime.go and setup_bridge.go (reference docs/upstream/v0.1.0.md §2):
// construction order and modes, the clear error without lxcbr0, and a
// restart that keeps images and tags.
package docker

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestNewRuntimeFromDirectoryLayoutAndModes(t *testing.T) {
	host := newFakeHostWithBridge(t)
	root := filepath.Join(t.TempDir(), "v0.1")
	runtime, err := NewRuntimeFromDirectory(host, root)
	require.NoError(t, err)
	for _, c := range []struct {
		path string
		mode os.FileMode
		dir  bool
	}{
		{root, 0700, true},
		{filepath.Join(root, "containers"), 0700, true},
		{filepath.Join(root, "graph"), 0700, true},
		{filepath.Join(root, "repositories"), 0600, false},
	} {
		st, err := os.Stat(c.path)
		require.NoError(t, err, c.path)
		assert.Equal(t, c.dir, st.IsDir(), c.path)
		assert.Equal(t, c.mode, st.Mode().Perm(), c.path)
	}
	data, err := os.ReadFile(filepath.Join(root, "repositories"))
	require.NoError(t, err)
	assert.Equal(t, `{"Repositories":{}}`, string(data))
	assert.NotNil(t, runtime.authConfig, "a missing .dockercfg still gives a config")
	assert.Empty(t, runtime.List())

	// The network manager reset the DOCKER chain on lxcbr0's network.
	ok, err := host.Root().IPTables().ChainExists("nat", "DOCKER")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "10.0.3.1/24", runtime.networkManager.bridgeNetwork.String())
}

func TestNewRuntimeWithoutBridgeSaysHowToMakeIt(t *testing.T) {
	root := filepath.Join(t.TempDir(), "v0.1")
	_, err := NewRuntimeFromDirectory(fake.New(), root)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lxcbr0")
	assert.Contains(t, err.Error(), "dockerlab v0.1 setup-bridge")
	// Steps before the network manager ran, in order.
	_, err = os.Stat(filepath.Join(root, "repositories"))
	assert.NoError(t, err)
}

func TestSetupBridgeIsIdempotent(t *testing.T) {
	host := fake.New()
	var out bytes.Buffer
	require.NoError(t, SetupBridge(host, &out))
	assert.Equal(t, "created bridge lxcbr0\nadded address 10.0.3.1/24 to lxcbr0\nlxcbr0 is up\n", out.String())
	out.Reset()
	require.NoError(t, SetupBridge(host, &out))
	assert.Equal(t, "bridge lxcbr0 already exists\nlxcbr0 already has address 10.0.3.1/24\nlxcbr0 is up\n", out.String())
	link, err := host.Root().LinkByName("lxcbr0")
	require.NoError(t, err)
	assert.True(t, link.Up)
}

func TestRestartKeepsImagesAndTags(t *testing.T) {
	host := newFakeHostWithBridge(t)
	root := t.TempDir()
	srv, err := NewServer(host, root)
	require.NoError(t, err)
	id := strings.TrimSpace(call(t, srv, string(busyboxTar(t)), "import", "-", "busybox"))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "containers", "0123456789abcdef"), 0700))

	srv2, err := NewServer(host, root)
	require.NoError(t, err)
	out := call(t, srv2, "", "images", "-q")
	assert.Equal(t, id+"\n", out)
	got, err := srv2.runtime.repositories.GetImageID("busybox", "latest")
	require.NoError(t, err)
	assert.Equal(t, id, got)
	assert.Empty(t, srv2.runtime.List(), "container directories are read, not loaded yet")
}
