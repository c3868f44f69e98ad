package execdrivers

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestNewDriver(t *testing.T) {
	root := t.TempDir()
	d, err := NewDriver("native", root, "/init", nil, fake.New())
	require.NoError(t, err)
	assert.Equal(t, "native-0.2", d.Name())
	assert.DirExists(t, filepath.Join(root, "execdriver", "native"))

	_, err = NewDriver("native", t.TempDir(), "/init", nil, nil)
	assert.ErrorContains(t, err, "no backend host")
	_, err = NewDriver("lxc", t.TempDir(), "/init", nil, fake.New())
	assert.ErrorContains(t, err, "lxc")
	_, err = NewDriver("qemu", t.TempDir(), "/init", nil, fake.New())
	assert.EqualError(t, err, "unknown exec driver qemu")
}
