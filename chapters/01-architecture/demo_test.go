package chapter01

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	"Docker Server  v1_2/api/server",
	"libcontainer",
	"Server       │ POST /v1.14/images/create?fromImage=",
	"Engine       │ +job pull(",
	"Registry     │ GET /v1/repositories/library/busybox/images",
	"Graph        │ §9.5.3 GetRemoteImageLayer",
	"Engine       │ +job create(",
	"Graph        │ LookupImage",
	"graphdriver  │ createRootfs",
	"Engine       │ +job start(",
	"networkdriver│ initializeNetworking",
	"execdriver   │ populateCommand",
	"libcontainer │ waitForStart",
	"hello from the container",
}
