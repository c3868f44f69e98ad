//go:build linux

// The build scenarios of build_test.go, build_bad_test.go and
// build_pull_test.go on the real kernel, as root, each in a throwaway
// network namespace (linuxtest.NewHost) with a real busybox image: RUN
// runs in real containers, ADD writes into overlay layers; skipped with
// the reason otherwise.
package daemon

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

func TestBuildEveryInstructionLinux(t *testing.T) {
	buildEveryInstruction(t, linuxtest.NewHost(t), "10.110.0.1/16")
}

func TestBuildOutsideTheContextLinux(t *testing.T) {
	buildOutsideTheContext(t, linuxtest.NewHost(t), "10.111.0.1/16")
}

func TestBuildFailingRunLinux(t *testing.T) {
	buildFailingRun(t, linuxtest.NewHost(t), "10.112.0.1/16")
}

func TestBuildCancelledLinux(t *testing.T) {
	buildCancelled(t, linuxtest.NewHost(t), "10.113.0.1/16")
}

func TestBuildFromPullsLinux(t *testing.T) {
	buildFromPulls(t, linuxtest.NewHost(t), "10.115.0.1/16")
}
