// Tests of the vfs driver. The conformance suite (upstream
// daemon/graphdriver/vfs/vfs_test.go at v1.2.0 ran graphtest the same way)
// runs as TestCh08VfsCreate_Conformance, one of the tests of the exercise
// ch08.vfs-create (lab_ch08_test.go).
package vfs

import (
	"testing"

	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newDriver(t *testing.T) graphdriver.Driver {
	d, err := graphdriver.GetDriver("vfs", t.TempDir(), nil)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, d.Cleanup()) })
	return d
}

func TestVFSStringAndStatus(t *testing.T) {
	d := newDriver(t)
	assert.Equal(t, "vfs", d.String())
	assert.Nil(t, d.Status())
}
