//go:build linux

package chapter11

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// On the real kernel (as root, in a throwaway network namespace) with a
// static busybox: RUN runs in real containers, the layers are overlay.
func TestDemoOnRealKernel(t *testing.T) {
	chaptertest.RunOnLinux(t, Run, wants)
}
