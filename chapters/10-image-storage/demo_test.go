package chapter10

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine (vfs only) and leaves it as it
// found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	"## driver overlay: not on this machine",
	"## driver vfs",
	`Register(id "busybox:latest") → Invalid character in id: ':'`,
	"already exists",
	"dir/<child:",
	`etc/motd: "welcome to child\n"; tmp/scratch: gone`,
	"layersize = 27",
	"Get(\"" + childID[:4] + "\") → <child:",
	`{"Repositories":{"chapter10":{"latest":"<child:`,
	"no mount is left behind",
}
