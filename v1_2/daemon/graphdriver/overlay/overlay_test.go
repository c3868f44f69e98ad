// The overlay driver against the conformance suite, on a real kernel
// (root only) through a linuxtest host; and its refusal on the fake.
package overlay_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/internal/reexec"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/graphtest"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/overlay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}

func TestOverlayRefusedOnFake(t *testing.T) {
	graphdriver.SetHost(fake.New())
	t.Cleanup(func() { graphdriver.SetHost(nil) })
	_, err := graphdriver.GetDriver("overlay", t.TempDir(), nil)
	assert.True(t, errors.Is(err, graphdriver.ErrNotSupported))
	assert.ErrorContains(t, err, "vfs copies them instead")
}

func TestOverlayConformance(t *testing.T) {
	graphtest.Run(t, func(t *testing.T) graphdriver.Driver {
		h := linuxtest.NewHost(t) // skips unless root
		graphdriver.SetHost(h)
		t.Cleanup(func() { graphdriver.SetHost(nil) })
		d, err := graphdriver.GetDriver("overlay", t.TempDir(), nil)
		if errors.Is(err, graphdriver.ErrNotSupported) || errors.Is(err, graphdriver.ErrPrerequisites) || errors.Is(err, graphdriver.ErrIncompatibleFS) {
			t.Skipf("overlay cannot run here: %v", err)
		}
		require.NoError(t, err)
		// Registered after t.TempDir, so it runs first: unmount before
		// the directories are removed.
		t.Cleanup(func() {
			assert.NoError(t, d.Cleanup())
			mounts, err := h.Mounts()
			assert.NoError(t, err)
			assert.Empty(t, mounts, "every overlay mount must be gone")
		})
		return d
	})
}

// A chain too deep for one mount option string fails with a message
// that says so, and mounts nothing.
func TestOverlayTooManyParents(t *testing.T) {
	h := linuxtest.NewHost(t) // skips unless root
	graphdriver.SetHost(h)
	t.Cleanup(func() { graphdriver.SetHost(nil) })
	d, err := graphdriver.GetDriver("overlay", t.TempDir(), nil)
	if err != nil {
		t.Skipf("overlay cannot run here: %v", err)
	}
	t.Cleanup(func() { assert.NoError(t, d.Cleanup()) })
	parent := ""
	for i := 0; i < 60; i++ {
		id := fmt.Sprintf("%064d", i+1)
		require.NoError(t, d.Create(id, parent))
		parent = id
	}
	_, err = d.Get(parent, "")
	assert.ErrorContains(t, err, "exceed the kernel's")
	mounts, err := h.Mounts()
	require.NoError(t, err)
	assert.Empty(t, mounts)
}

// A daemon killed between a Get and its Put leaves the layer mounted; the
// next driver on the same home takes the mount down when it starts.
func TestOverlayUnmountsWhatAKilledDaemonLeft(t *testing.T) {
	h := linuxtest.NewHost(t) // skips unless root
	graphdriver.SetHost(h)
	t.Cleanup(func() { graphdriver.SetHost(nil) })
	home := t.TempDir()
	d, err := graphdriver.GetDriver("overlay", home, nil)
	if err != nil {
		t.Skipf("overlay cannot run here: %v", err)
	}
	base, child := fmt.Sprintf("%064d", 1), fmt.Sprintf("%064d", 2)
	require.NoError(t, d.Create(base, ""))
	require.NoError(t, d.Create(child, base))
	merged, err := d.Get(child, "") // and the daemon dies: no Put, no Cleanup
	require.NoError(t, err)
	require.True(t, mounted(t, merged), "Get mounted the layer")

	again, err := graphdriver.GetDriver("overlay", home, nil)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, again.Cleanup()) })
	assert.False(t, mounted(t, merged), "the new driver took the dead daemon's mount down")
	dir, err := again.Get(child, "")
	require.NoError(t, err, "and the layer mounts again as usual")
	assert.True(t, mounted(t, dir))
	again.Put(child)
}

// mounted: something is mounted at dir (this process's mount table).
func mounted(t *testing.T, dir string) bool {
	data, err := os.ReadFile("/proc/self/mountinfo")
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[4] == dir {
			return true
		}
	}
	return false
}
