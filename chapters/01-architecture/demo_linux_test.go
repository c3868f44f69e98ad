//go:build linux

package chapter01

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// On the real kernel, as root, in a throwaway namespace: the same lines.
func TestDemoOnRealKernel(t *testing.T) {
	chaptertest.RunOnLinux(t, Run, wants)
}
