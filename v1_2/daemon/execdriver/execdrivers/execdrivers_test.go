package execdrivers

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
)

func TestNewDriver(t *testing.T) {
	d, err := NewDriver("native", t.TempDir(), "/init", nil)
	require.NoError(t, err)
	assert.Equal(t, "native-0.2", d.Name())
	_, err = d.Run(&execdriver.Command{ID: "abc"}, nil, nil)
	assert.True(t, errors.Is(err, ErrNotYet))

	_, err = NewDriver("lxc", t.TempDir(), "/init", nil)
	assert.ErrorContains(t, err, "lxc")
	_, err = NewDriver("qemu", t.TempDir(), "/init", nil)
	assert.EqualError(t, err, "unknown exec driver qemu")
}
