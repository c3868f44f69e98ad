// Choosing a driver (upstream daemon/graphdriver/driver.go New at v1.2.0;
// docs/upstream/v1.2.0.md §2.3 step 8). Own tests.
package graphdriver_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/overlay"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegisteredNames(t *testing.T) {
	assert.Equal(t, []string{"aufs", "btrfs", "devicemapper", "overlay", "vfs"}, graphdriver.Registered())
}

func TestRegisterTwiceRefused(t *testing.T) {
	err := graphdriver.Register("vfs", func(string, []string) (graphdriver.Driver, error) { return nil, nil })
	assert.EqualError(t, err, "Name already registered vfs")
}

func TestRefusedDriversExplain(t *testing.T) {
	for _, name := range []string{"aufs", "btrfs", "devicemapper"} {
		_, err := graphdriver.GetDriver(name, t.TempDir(), nil)
		require.Error(t, err)
		assert.True(t, errors.Is(err, graphdriver.ErrNotSupported), name)
		assert.Contains(t, err.Error(), name+" is not available")
		assert.Contains(t, err.Error(), "docs/divergences.md")
	}
	_, err := graphdriver.GetDriver("zfs", t.TempDir(), nil)
	assert.True(t, errors.Is(err, graphdriver.ErrNotSupported))
	assert.Contains(t, err.Error(), `"zfs" is not registered`)
}

// On the fake kernel overlay refuses and New falls through to vfs, whose
// home is <root>/vfs.
func TestNewOnFakeChoosesVFS(t *testing.T) {
	t.Setenv("DOCKER_DRIVER", "")
	k := fake.New()
	graphdriver.SetHost(k)
	t.Cleanup(func() { graphdriver.SetHost(nil) })

	_, err := graphdriver.GetDriver("overlay", t.TempDir(), nil)
	assert.True(t, errors.Is(err, graphdriver.ErrNotSupported), "%v", err)

	root := t.TempDir()
	d, skipped, err := graphdriver.NewExplained(root, nil)
	require.NoError(t, err)
	assert.Equal(t, "vfs", d.String())
	require.Len(t, skipped, 4, "aufs, btrfs, devicemapper and overlay were passed over")
	assert.Contains(t, skipped[3], "overlay needs the linux backend; the fake backend cannot stack layers")
	require.NoError(t, d.Create("x", ""))
	dir, err := d.Get("x", "")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "vfs"), filepath.Dir(filepath.Dir(dir)))
}

func TestNewWithoutHostChoosesVFS(t *testing.T) {
	t.Setenv("DOCKER_DRIVER", "")
	graphdriver.SetHost(nil)
	d, err := graphdriver.New(t.TempDir(), nil)
	require.NoError(t, err)
	assert.Equal(t, "vfs", d.String())
}

func TestNewHonoursEnvThenDefault(t *testing.T) {
	t.Setenv("DOCKER_DRIVER", "aufs")
	_, err := graphdriver.New(t.TempDir(), nil)
	assert.ErrorContains(t, err, "aufs is not available", "$DOCKER_DRIVER is final, not a hint")

	t.Setenv("DOCKER_DRIVER", "")
	graphdriver.DefaultDriver = "vfs"
	t.Cleanup(func() { graphdriver.DefaultDriver = "" })
	d, err := graphdriver.New(t.TempDir(), nil)
	require.NoError(t, err)
	assert.Equal(t, "vfs", d.String())
}

func TestCheckID(t *testing.T) {
	assert.NoError(t, graphdriver.CheckID("op", "abc"))
	assert.True(t, errors.Is(graphdriver.CheckID("op", "a/b"), backend.ErrInvalid))
}
