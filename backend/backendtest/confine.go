// Contract: confinement — the capabilities a process keeps, the devices
// cgroup, the read-only /proc and /sys of a confined container (book ch.14
// §14.3 其他; backend/security.go; docs/backend-contract.md). Each check
// runs busybox in a container on both backends and compares what it
// printed with the same expected text, so the fake's decisions are the
// kernel's.
//
// Safety: nothing here can change the host even if a restriction were
// missing. Devices are only opened for reading, never read; the disk is
// opened only where it must be refused; sysrq-trigger and global sysctls
// are opened for writing without a byte written (the refusal, EROFS,
// comes at open); the one sysctl written, kernel.hostname, belongs to the
// container's own UTS namespace; links are made in the container's own
// network namespace.
package backendtest

import (
	"bufio"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// confineCaps is a Docker-1.2-like list: root in its own little machine.
var confineCaps = []string{"CHOWN", "DAC_OVERRIDE", "FOWNER", "MKNOD", "SETGID", "SETUID", "SETPCAP", "KILL"}

// confineDevices is a Docker-1.2-like allow list: mknod of anything,
// null, zero and tty.
var confineDevices = []backend.Device{
	{Type: 'c', Major: backend.Wildcard, Minor: backend.Wildcard, Permissions: "m"},
	{Type: 'b', Major: backend.Wildcard, Minor: backend.Wildcard, Permissions: "m"},
	{Type: 'c', Major: 1, Minor: 3, Permissions: "rwm"},
	{Type: 'c', Major: 1, Minor: 5, Permissions: "rwm"},
	{Type: 'c', Major: 5, Minor: 0, Permissions: "rwm"},
}

var confineSeq atomic.Int64

// confined runs script with sh in a container confined by conf, in a
// fresh cgroup with the allow list devices (nil: every device), and
// returns everything it printed and its exit code.
func confined(t *testing.T, h backend.Host, conf *backend.Confinement, devices []backend.Device, uid int, script string) (string, int) {
	t.Helper()
	cg := fmt.Sprintf("confine%d", confineSeq.Add(1))
	require.NoError(t, h.Cgroups().Create(cg))
	t.Cleanup(func() { _ = h.Cgroups().Delete(cg) })
	if devices != nil {
		require.NoError(t, h.Cgroups().Set(cg, backend.Resources{Devices: devices}))
	}
	spec, out, errOut := container(Rootfs(t, h), "sh", "-c", script)
	spec.Stderr = out // one stream, in order
	spec.Cgroup, spec.Confine, spec.Uid, spec.Gid = cg, conf, uid, uid
	_, st := runToEnd(t, h, spec, out, errOut)
	return out.String(), st.Code
}

func restricted(caps ...string) *backend.Confinement {
	return &backend.Confinement{Capabilities: caps, RestrictSys: true}
}

// machineDisk is the machine's first disk: on linux the first line of
// /proc/partitions (the VM's own disk), on the fake its /dev/vda.
func machineDisk(t *testing.T, h backend.Host) (major, minor int64) {
	t.Helper()
	if h.Name() != "linux" {
		return 254, 0
	}
	f, err := os.Open("/proc/partitions")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var maj, min, blocks int64
		var name string
		if n, _ := fmt.Sscan(sc.Text(), &maj, &min, &blocks, &name); n == 4 {
			return maj, min
		}
	}
	t.Fatalf("no disk in /proc/partitions")
	return 0, 0
}

var confineChecks = []check{
	{"capability sets: the kept list, what the starter holds, nothing ambient", func(t *testing.T, h backend.Host) {
		out, code := confined(t, h, nil, nil, 0, "cat /proc/self/status")
		require.Zero(t, code, out)
		starter, err := backend.ParseCapSets(out)
		require.NoError(t, err, out)

		for _, tc := range []struct {
			keep []string
			uid  int
		}{{confineCaps, 0}, {nil, 0}, {append(confineCaps, "NET_ADMIN", "SYS_ADMIN"), 0}, {confineCaps, 65534}} {
			out, code := confined(t, h, restricted(tc.keep...), nil, tc.uid, "cat /proc/self/status")
			require.Zero(t, code, out)
			got, err := backend.ParseCapSets(out)
			require.NoError(t, err, out)
			want, err := backend.ConfinedCaps(starter, tc.keep, tc.uid)
			require.NoError(t, err)
			assert.Equal(t, want.StatusLines(), got.StatusLines(), "keep %v as uid %d", tc.keep, tc.uid)
		}
	}},
	{"mknod of the machine's disk works, opening it is EPERM (devices cgroup)", func(t *testing.T, h backend.Host) {
		maj, min := machineDisk(t, h)
		script := fmt.Sprintf("mknod /dev/disk0 b %d %d && echo made; (: < /dev/disk0); echo $?", maj, min)
		out, _ := confined(t, h, restricted(confineCaps...), confineDevices, 0, script)
		assert.Equal(t, "made\nsh: can't open /dev/disk0: Operation not permitted\n1\n", out)
	}},
	{"mknod without CAP_MKNOD is EPERM", func(t *testing.T, h backend.Host) {
		out, _ := confined(t, h, restricted("CHOWN"), confineDevices, 0, "mknod /dev/null2 c 1 3; echo $?")
		assert.Equal(t, "mknod: /dev/null2: Operation not permitted\n1\n", out)
	}},
	{"an allowed device opens; one without a driver is ENXIO; a rule per access", func(t *testing.T, h backend.Host) {
		rules := append(append([]backend.Device{}, confineDevices...),
			backend.Device{Type: 'c', Major: 1, Minor: 250, Permissions: "r"})
		script := "(: < /dev/null); echo null=$?; mknod /dev/nodrv c 1 250; (: < /dev/nodrv); echo $?; (: > /dev/nodrv); echo $?"
		out, _ := confined(t, h, restricted(confineCaps...), rules, 0, script)
		assert.Equal(t, "null=0\nsh: can't open /dev/nodrv: No such device or address\n1\n"+
			"sh: can't create /dev/nodrv: Operation not permitted\n1\n", out)
	}},
	{"a device node given in the Confinement is made; the cgroup decides whether it opens", func(t *testing.T, h backend.Host) {
		fuse := backend.Device{Path: "/dev/fuse", Type: 'c', Major: 10, Minor: 229, FileMode: 0o666, Permissions: "rwm"}
		conf := restricted(confineCaps...)
		conf.DeviceNodes = []backend.Device{fuse, {Path: "/dev/null", Type: 'c', Major: 1, Minor: 3, FileMode: 0o666}}
		script := "ls /dev/fuse && (: < /dev/fuse); echo $?"
		out, _ := confined(t, h, conf, confineDevices, 0, script)
		assert.Equal(t, "/dev/fuse\nsh: can't open /dev/fuse: Operation not permitted\n1\n", out, "made but not allowed")
		out, _ = confined(t, h, conf, append(append([]backend.Device{}, confineDevices...), fuse), 0, script)
		assert.Equal(t, "/dev/fuse\n0\n", out, "allowed (docker run --device /dev/fuse)")
	}},
	{"RestrictSys: /proc/sys and /sys read-only, sysrq-trigger too", func(t *testing.T, h backend.Host) {
		script := "(: > /proc/sys/kernel/hostname); (: > /proc/sys/kernel/panic); mkdir /sys/dockerlab-probe; echo done"
		out, _ := confined(t, h, restricted(confineCaps...), confineDevices, 0, script)
		assert.Equal(t, "sh: can't create /proc/sys/kernel/hostname: Read-only file system\n"+
			"sh: can't create /proc/sys/kernel/panic: Read-only file system\n"+
			"mkdir: can't create directory '/sys/dockerlab-probe': Read-only file system\ndone\n", out)
		out, _ = confined(t, h, restricted(confineCaps...), confineDevices, 0,
			"if [ -e /proc/sysrq-trigger ]; then (: > /proc/sysrq-trigger); else echo no sysrq; fi")
		if out != "no sysrq\n" { // a kernel built without CONFIG_MAGIC_SYSRQ has no file to refuse
			assert.Equal(t, "sh: can't create /proc/sysrq-trigger: Read-only file system\n", out)
		}
	}},
	{"without RestrictSys (--privileged) the UTS sysctl is writable and /sys is sysfs", func(t *testing.T, h backend.Host) {
		conf := &backend.Confinement{Capabilities: append(confineCaps, "SYS_ADMIN", "NET_ADMIN")}
		script := "echo box2 > /proc/sys/kernel/hostname; hostname; mkdir /sys/dockerlab-probe; echo done"
		out, _ := confined(t, h, conf, nil, 0, script)
		assert.Equal(t, "box2\nmkdir: can't create directory '/sys/dockerlab-probe': Operation not permitted\ndone\n", out)
	}},
	{"ip link add needs CAP_NET_ADMIN", func(t *testing.T, h backend.Host) {
		script := "ip link add br9 type bridge; echo $?"
		out, _ := confined(t, h, restricted(confineCaps...), confineDevices, 0, script)
		assert.Equal(t, "ip: RTNETLINK answers: Operation not permitted\n2\n", out)
		out, _ = confined(t, h, restricted(append(confineCaps, "NET_ADMIN")...), confineDevices, 0, script+"; ip -o link show br9 | grep -c br9")
		assert.Equal(t, "0\n1\n", out)
	}},
	{"hostname and mount need CAP_SYS_ADMIN", func(t *testing.T, h backend.Host) {
		out, _ := confined(t, h, restricted(confineCaps...), confineDevices, 0,
			"hostname other; echo $?; mount -t tmpfs none /tmp; echo $?")
		assert.Equal(t, "hostname: sethostname: Operation not permitted\n1\nmount: permission denied (are you root?)\n1\n", out)
		out, _ = confined(t, h, restricted(append(confineCaps, "SYS_ADMIN")...), confineDevices, 0, "hostname other; hostname")
		assert.Equal(t, "other\n", out)
	}},
	{"chown needs CAP_CHOWN", func(t *testing.T, h backend.Host) {
		out, _ := confined(t, h, restricted(confineCaps...), confineDevices, 0, "touch /tmp/f; chown 0 /tmp/f; echo $?")
		assert.Equal(t, "0\n", out)
		out, _ = confined(t, h, restricted("FOWNER"), confineDevices, 0, "touch /tmp/f; chown 5 /tmp/f; echo $?")
		assert.Equal(t, "chown: /tmp/f: Operation not permitted\n1\n", out)
	}},
}
