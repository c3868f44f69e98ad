package chapter13

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	"native -console '' -pipe 3 -root ",
	`"namespaces": {`,
	"\"NEWPID\": true",
	"(pid 1 inside), own network namespace: true, hostname \"13d0c0ffee13\"",
	"memory limit 67108864 bytes",
	"master br-ch13, up true",
	"| hostname: 13d0c0ffee13",
	"| my pid: 1",
	"inet 10.113.0.2/24",
	"| default via 10.113.0.1 dev eth0",
	"exit code 0",
	"the sync pipe moment): argv native -console '' -pipe 3 -root <root>/<id> -- true",
	"then the init exec'd \"true\", which exited with 0",
	"cgroup removed: true",
	"veth ends left in the machine's namespace: 0",
}
