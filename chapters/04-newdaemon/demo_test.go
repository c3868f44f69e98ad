package chapter04

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

var wants = []string{"[trace] 4.3   MTU: 1500", "[trace] 4.12  restore: 0 containers", "dockerinit-1.2.0", "linkgraph.db", "removed the pid file"}
