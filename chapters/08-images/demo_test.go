package chapter08

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	"storage driver vfs",
	"busybox      latest",
	"hello        v1",
	`"/bin/sh -c echo hello > /hello; rm /etc/motd"`,
	"bin/sh etc/hostname hello",
	"Comment         \"what `docker commit` would store\"",
	"/layer.tar",
	"repositories",
	"Untagged: hello:v1",
	"(no images)",
	"again: true",
	"chapter 9",
}
