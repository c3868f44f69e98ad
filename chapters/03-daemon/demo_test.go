package chapter03

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{"[trace] 3.3.3 engine", "[trace] 3.3.8 job serveapi", "## GET /_ping → OK", `"ApiVersion":"1.14"`, "## GET /containers/json → []", "ip link del docker0"}
