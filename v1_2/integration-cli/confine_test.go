// The stock docker CLI against Docker 1.2's confinement (issue #14; book
// ch.14 §14.3 其他): the default capability set read from
// /proc/self/status inside `docker run busybox`, --cap-drop ALL,
// --cap-add NET_ADMIN, --device, --privileged, the devices cgroup, the
// read-only /proc paths, and `docker inspect` showing the HostConfig the
// CLI sent. Fake always, linux as root.
//
// Safety: the machine's disk is opened read-only and only where the
// devices cgroup must refuse it; /proc/sys and sysrq-trigger are opened
// for writing with nothing written (EROFS comes at open); the sysctl
// written under --privileged is kernel.hostname of the container's own
// UTS namespace; links are made in the container's own namespace.
package integrationcli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native/template"
)

func TestDockerCLIConfineFake(t *testing.T)  { dockerCLIConfine(t, "fake") }
func TestDockerCLIConfineLinux(t *testing.T) { dockerCLIConfine(t, "linux") }

// starterCaps are the sets the daemon's own process holds: the most a
// container can keep (on the fake, every capability).
func starterCaps(t *testing.T, backendName string) backend.CapSets {
	all := backend.FullCapMask(backend.LastCap)
	if backendName != "linux" {
		return backend.CapSets{Permitted: all, Effective: all, Bounding: all}
	}
	b, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	c, err := backend.ParseCapSets(string(b))
	require.NoError(t, err)
	return c
}

// disk is the machine's disk numbers (linux: /proc/partitions' first).
func disk(t *testing.T, backendName string) string {
	if backendName != "linux" {
		return "254 0"
	}
	b, err := os.ReadFile("/proc/partitions")
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		var maj, min, blocks int
		var name string
		if n, _ := fmt.Sscan(line, &maj, &min, &blocks, &name); n == 4 {
			return fmt.Sprintf("%d %d", maj, min)
		}
	}
	t.Fatal("no disk in /proc/partitions")
	return ""
}

func capLines(t *testing.T, status string) backend.CapSets {
	t.Helper()
	c, err := backend.ParseCapSets(status)
	require.NoError(t, err, status)
	return c
}

func dockerCLIConfine(t *testing.T, backendName string) {
	_, c := daemonWithBusybox(t, backendName)
	starter := starterCaps(t, backendName)
	expect := func(keep []string) backend.CapSets {
		want, err := backend.ConfinedCaps(starter, keep, 0)
		require.NoError(t, err)
		return want
	}

	// The default: exactly 1.2's fourteen capabilities in every set.
	out := c.ok("run", "--rm", "busybox", "cat", "/proc/self/status")
	got := capLines(t, out)
	assert.Equal(t, expect(template.DefaultCapabilities).StatusLines(), got.StatusLines())
	assert.Equal(t, uint64(0xa80425fb), got.Effective, "1.2's list is today's Docker default too: CapEff 00000000a80425fb")

	// --cap-drop ALL: nothing at all.
	got = capLines(t, c.ok("run", "--rm", "--cap-drop", "ALL", "busybox", "cat", "/proc/self/status"))
	assert.Equal(t, backend.CapSets{}, got)

	// --cap-add NET_ADMIN: one more bit, and ip link add works.
	got = capLines(t, c.ok("run", "--rm", "--cap-add", "NET_ADMIN", "busybox", "cat", "/proc/self/status"))
	assert.Equal(t, expect(append(template.DefaultCapabilities, "NET_ADMIN")).StatusLines(), got.StatusLines())
	_, errOut, code := c.run(nil, "run", "--rm", "busybox", "ip", "link", "add", "br9", "type", "bridge")
	assert.Equal(t, 2, code)
	assert.Equal(t, "ip: RTNETLINK answers: Operation not permitted\n", errOut)
	c.ok("run", "--rm", "--cap-add", "NET_ADMIN", "busybox", "ip", "link", "add", "br9", "type", "bridge")

	// The devices cgroup: the disk can be made but not opened; /dev/fuse
	// is made but not allowed unless --device says so.
	probe := "mknod /dev/disk0 b " + disk(t, backendName) + " && echo made; (: < /dev/disk0); (: < /dev/fuse); echo end"
	out, errOut, _ = c.run(nil, "run", "--rm", "busybox", "sh", "-c", probe)
	assert.Equal(t, "made\nend\n", out)
	assert.Equal(t, "sh: can't open /dev/disk0: Operation not permitted\nsh: can't open /dev/fuse: Operation not permitted\n", errOut)
	out, errOut, _ = c.run(nil, "run", "--rm", "--device", "/dev/fuse", "busybox", "sh", "-c", "(: < /dev/fuse) && echo opened")
	assert.Equal(t, "opened\n", out, errOut)

	// /proc/sys and sysrq-trigger are read-only, /sys too.
	_, errOut, _ = c.run(nil, "run", "--rm", "busybox", "sh", "-c",
		"(: > /proc/sys/kernel/panic); [ -e /proc/sysrq-trigger ] && (: > /proc/sysrq-trigger); mkdir /sys/x; true")
	assert.Contains(t, errOut, "sh: can't create /proc/sys/kernel/panic: Read-only file system\n")
	assert.NotContains(t, errOut, "can't create /proc/sysrq-trigger: Permission", "sysrq-trigger, where the kernel has it, is read-only")
	assert.Contains(t, errOut, "mkdir: can't create directory '/sys/x': Read-only file system\n")

	// --privileged: 1.2's whole list, the host's devices, /proc/sys
	// writable (the UTS namespace's own hostname, nothing global).
	id := strings.TrimSpace(c.ok("run", "-d", "--privileged", "--cap-add", "NET_ADMIN", "--device", "/dev/fuse:/dev/myfuse:r",
		"busybox", "sh", "-c", "cat /proc/self/status; echo box2 > /proc/sys/kernel/hostname; hostname; ls /dev/fuse"))
	c.ok("wait", id)
	out = c.ok("logs", id)
	assert.Equal(t, expect(execdriver.AllCapabilities).StatusLines(), capLines(t, out).StatusLines())
	assert.Contains(t, out, "box2\n")
	assert.Contains(t, out, "/dev/fuse\n", "the host's device nodes")

	var inspect []struct {
		HostConfig struct {
			Privileged bool
			CapAdd     []string
			CapDrop    []string
			Devices    []struct{ PathOnHost, PathInContainer, CgroupPermissions string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(c.ok("inspect", id)), &inspect))
	require.Len(t, inspect, 1)
	hc := inspect[0].HostConfig
	assert.True(t, hc.Privileged)
	require.Len(t, hc.CapAdd, 1)
	assert.True(t, strings.HasSuffix(hc.CapAdd[0], "NET_ADMIN"), "CapAdd %v", hc.CapAdd)
	require.Len(t, hc.Devices, 1)
	assert.Equal(t, "/dev/fuse", hc.Devices[0].PathOnHost)
	assert.Equal(t, "/dev/myfuse", hc.Devices[0].PathInContainer)
	assert.Equal(t, "r", hc.Devices[0].CgroupPermissions)
	c.ok("rm", id)

	// A --device naming nothing is an error, not a crash of the daemon.
	_, errOut, code = c.run(nil, "run", "--rm", "--device", "/dev/nosuchdevice", "busybox", "true")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "/dev/nosuchdevice")
	c.ok("version")
}
