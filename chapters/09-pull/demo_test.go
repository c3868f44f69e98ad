package chapter09

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{
	"repositories/library/busybox/tag_latest",
	"§9.3.1 ParseRepositoryTag",
	"§9.3.3 POST /v1.14/images/create?fromImage=",
	"server   │ §9.4 POST /v1.14/images/create?fromImage=",
	"daemon   │ §9.5.2 ExpandAndVerifyRegistryUrl",
	"registry │ GET /v1/_ping",
	"registry │ GET /v1/repositories/library/busybox/images",
	"daemon   │ §9.5.3 GetRemoteImageLayer",
	"client   │ Pulling repository",
	"Download complete",
	"hello from a pulled image",
	"registry │ PUT /v1/repositories/student/busybox/",
	"already pushed, skipping",
	"student/busybox",
	"what changed after 1.2",
}
