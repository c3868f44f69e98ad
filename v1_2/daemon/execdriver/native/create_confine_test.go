package native

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native/template"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/devices"
)

// container.json's confinement, as createContainer writes it (book ch.14
// §14.3 其他): the default list, --cap-add/--cap-drop, --device,
// --privileged.
func TestCreateContainerConfinement(t *testing.T) {
	h := fake.New()
	d, rootfs := newTestDriver(t, h)
	jsonOf := func(c *execdriver.Command) map[string]any {
		t.Helper()
		cfg, err := d.createContainer(c)
		require.NoError(t, err)
		b, err := json.Marshal(cfg)
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		return m
	}
	c := command("c1c1c1c1c1c1c1", rootfs, "true")
	m := jsonOf(c)
	assert.Len(t, m["capabilities"], len(template.DefaultCapabilities))
	assert.Equal(t, true, m["restrict_sys"])
	cg := m["cgroups"].(map[string]any)
	assert.Nil(t, cg["allow_all_devices"])
	assert.Len(t, cg["allowed_devices"], len(devices.DefaultAllowedDevices))
	assert.Len(t, m["mount_config"].(map[string]any)["device_nodes"], len(devices.DefaultAutoCreatedDevices))

	c.CapAdd, c.CapDrop = []string{"NET_ADMIN"}, []string{"MKNOD", "CHOWN"}
	caps := jsonOf(c)["capabilities"].([]any)
	assert.Contains(t, caps, "NET_ADMIN")
	assert.NotContains(t, caps, "MKNOD")
	c.CapDrop = []string{"NOSUCH"}
	_, err := d.createContainer(c)
	assert.EqualError(t, err, `Unknown capability drop: "NOSUCH"`)

	fuse, err := devices.GetDevice(h, "/dev/fuse", "rw")
	require.NoError(t, err)
	fuse.Path = "/dev/myfuse"
	c = command("c2c2c2c2c2c2c2", rootfs, "true")
	c.AllowedDevices = append(append([]*devices.Device{}, devices.DefaultAllowedDevices...), fuse)
	c.AutoCreatedDevices = append(append([]*devices.Device{}, devices.DefaultAutoCreatedDevices...), fuse)
	cfg, err := d.createContainer(c)
	require.NoError(t, err)
	last := cfg.Cgroups.AllowedDevices[len(cfg.Cgroups.AllowedDevices)-1]
	assert.Equal(t, "c 10:229 rw", last.GetCgroupAllowString())
	assert.Equal(t, "/dev/myfuse", cfg.MountConfig.DeviceNodes[len(cfg.MountConfig.DeviceNodes)-1].Path)

	c = command("c3c3c3c3c3c3c3", rootfs, "true")
	c.Privileged = true
	m = jsonOf(c)
	assert.Len(t, m["capabilities"], len(execdriver.AllCapabilities))
	assert.Nil(t, m["restrict_sys"])
	assert.Equal(t, true, m["cgroups"].(map[string]any)["allow_all_devices"])
	nodes := m["mount_config"].(map[string]any)["device_nodes"].([]any)
	assert.Greater(t, len(nodes), len(devices.DefaultAutoCreatedDevices), "the host's /dev")
}
