package chapter14

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	"CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS",
	"| UTS hostname: ns14",
	"| PID my pid: 1",
	"-m 32m -c 512 → memory limit 33554432, cpu shares 512",
	"cpu.weight = 50",
	"memory.limit_in_bytes = 33554432",
	"docker pause → freezer: frozen true",
	"docker unpause → frozen false",
	"none       lo 127.0.0.1/8\n",
	"bridge     lo 127.0.0.1/8, eth0 10.114.0.2/24",
	"container  lo 127.0.0.1/8, eth0 10.114.0.2/24",
	"host       lo 127.0.0.1/8, eth0 10.0.2.15/24, br-ch14 10.114.0.1/24",
	"| hello from the host",
	"read-only volume: write refused",
	"docker run busybox (the default list: no NET_ADMIN, no SYS_ADMIN):\n  | CapEff:\t00000000a80425fb\n  | ip: RTNETLINK answers: Operation not permitted\n  | hostname: sethostname: Operation not permitted\n",
	"docker run --cap-add NET_ADMIN busybox:\n  | CapEff:\t00000000a80435fb\n  | ip link add: ok\n",
	"docker run --cap-drop ALL busybox:\n  | CapEff:\t0000000000000000\n  | chown: /tmp/f: Operation not permitted\n",
	"| sh: can't open /dev/disk0: Operation not permitted\n  | sh: can't open /dev/fuse: Operation not permitted\n",
	"docker run --device /dev/fuse busybox:\n  | /dev/fuse opened\n",
	"| sh: can't create /proc/sys/kernel/hostname: Read-only file system\n  | mkdir: can't create directory '/sys/x': Read-only file system\n",
	"  | priv2\n  | /dev/fuse opened\n",
}
