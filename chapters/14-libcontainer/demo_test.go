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
	"Docker 1.2 dropped, unless --privileged or --cap-add: DAC_READ_SEARCH",
	"dockerlab today: the list is recorded, not applied: nothing is dropped",
}
