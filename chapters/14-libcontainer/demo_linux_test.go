//go:build linux

package chapter14

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo on the real kernel, in a throwaway namespace and cgroup parent.
func TestDemoOnLinux(t *testing.T) {
	chaptertest.RunOnLinux(t, Run, wants, "10.0.2.15", "pid 1000")
}
