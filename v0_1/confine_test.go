// What config.lxc's lxc.cap.drop and lxc.cgroup.devices.* leave a 0.1
// container, enforced (docs/divergences.md "v0.1 containers"): NET_ADMIN
// is kept (ip link add works, unlike in 1.2), MKNOD is not (unlike 1.2),
// /dev/full is not on the whitelist, /proc/sys is read-only. Fake here,
// the kernel in container_linux_test.go.
package docker

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

func checkV01Confinement(t *testing.T, srv *Server, starter backend.CapSets) {
	t.Helper()
	conf, err := lxcConfinement()
	require.NoError(t, err)
	assert.NotContains(t, conf.Capabilities, "MKNOD")
	assert.Contains(t, conf.Capabilities, "NET_ADMIN")
	assert.NotContains(t, conf.Capabilities, "DAC_READ_SEARCH", "a hole, dropped here")
	want, err := backend.ConfinedCaps(starter, conf.Capabilities, 0)
	require.NoError(t, err)

	got, err := backend.ParseCapSets(call(t, srv, "", "run", "busybox", "cat", "/proc/self/status"))
	require.NoError(t, err)
	assert.Equal(t, want.StatusLines(), got.StatusLines())

	out := call(t, srv, "", "run", "busybox", "sh", "-c",
		"exec 2>&1; busybox mknod /dev/x c 1 3; ip link add br9 type bridge && echo linked; (: > /proc/sys/kernel/panic); (: < /dev/null) && echo null")
	assert.Equal(t, "mknod: /dev/x: Operation not permitted\nlinked\n"+
		"sh: can't create /proc/sys/kernel/panic: Read-only file system\nnull\n", out)
}

func TestV01ConfinementOnTheFake(t *testing.T) {
	srv, _, _ := newContainerServer(t)
	all := backend.FullCapMask(backend.LastCap)
	checkV01Confinement(t, srv, backend.CapSets{Permitted: all, Effective: all, Bounding: all})
}

func TestLxcDevicesParse(t *testing.T) {
	rules, err := lxcDevices()
	require.NoError(t, err)
	assert.Len(t, rules, len(lxcDevicesAllowed))
	assert.Equal(t, "c 136:* rwm", rules[8].Rule())
	_, err = parseDeviceRule("c 1 rwm")
	assert.Error(t, err)
	_, err = parseDeviceRule("x 1:3 rwm")
	assert.Error(t, err)
}
