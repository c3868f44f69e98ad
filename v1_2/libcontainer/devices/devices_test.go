package devices

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestAllowStrings(t *testing.T) {
	var lines []string
	for _, d := range DefaultAllowedDevices {
		lines = append(lines, d.GetCgroupAllowString())
	}
	assert.Equal(t, []string{"c *:* m", "b *:* m", "c 5:1 rwm", "c 4:0 rwm", "c 4:1 rwm", "c 136:* rwm",
		"c 5:2 rwm", "c 10:200 rwm", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 5:0 rwm", "c 1:9 rwm", "c 1:8 rwm"}, lines)
	rules := ToBackend(DefaultAllowedDevices)
	assert.False(t, backend.DevicesAllow(rules, 'c', 10, 229, 'r'), "/dev/fuse is made, not allowed")
	assert.True(t, backend.DevicesAllow(rules, 'b', 254, 0, 'm'), "any node may be made")
	assert.False(t, backend.DevicesAllow(rules, 'b', 254, 0, 'r'), "but not opened")
	assert.Equal(t, "/dev/fuse", DefaultAutoCreatedDevices[0].Path)
}

func TestGetDevice(t *testing.T) {
	h := fake.New()
	d, err := GetDevice(h, "/dev/fuse", "rw")
	require.NoError(t, err)
	assert.Equal(t, "c 10:229 rw", d.GetCgroupAllowString())
	_, err = GetDevice(h, "/dev/nosuch", "rwm")
	assert.ErrorIs(t, err, backend.ErrNotFound)
	_, err = GetDevice(h, "/dev/fuse", "rwx")
	assert.ErrorIs(t, err, backend.ErrInvalid)
	nodes, err := GetHostDeviceNodes(h)
	require.NoError(t, err)
	assert.NotEmpty(t, nodes)
}
