package chapter12

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	"[trace] 12.3  LookupImage busybox",
	"[trace] 12.3  createRootfs",
	"[trace] 12.3  Register",
	"[trace] 12.4  setupContainerDns",
	"[trace] 12.4  initializeNetworking",
	"[trace] 12.4  waitForStart: pid",
	"config.json hostconfig.json",
	"hello from ",
	"137",
	"Get(web)=nil: true; directory gone: true; layers gone: true; name free: true",
}
