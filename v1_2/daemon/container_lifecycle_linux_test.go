//go:build linux

// container_lifecycle_test.go's scenarios on the real kernel, as root,
// each in a throwaway network namespace (linuxtest.NewHost) with a real
// busybox image; skipped with the reason otherwise.
package daemon

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

func TestLifecycleCreateStartWaitRmLinux(t *testing.T) {
	lifecycleCreateStartWaitRm(t, linuxtest.NewHost(t), "10.86.0.1/16")
}

func TestLifecycleMessagesLinux(t *testing.T) {
	lifecycleMessages(t, linuxtest.NewHost(t), "10.87.0.1/16")
}

func TestLifecycleKillRestartLinux(t *testing.T) {
	lifecycleKillRestart(t, linuxtest.NewHost(t), "10.88.0.1/16")
}

func TestLifecycleHostConfigInCreateAndVolumesLinux(t *testing.T) {
	lifecycleHostConfigInCreateAndVolumes(t, linuxtest.NewHost(t), "10.89.0.1/16")
}

func TestLifecycleRestoreLinux(t *testing.T) {
	lifecycleRestore(t, linuxtest.NewHost(t), "10.90.0.1/16")
}

func TestLifecycleManyConcurrentWithPortsLinux(t *testing.T) {
	lifecycleManyConcurrentWithPorts(t, linuxtest.NewHost(t), "10.91.0.1/16")
}

func TestLifecycleEventsAutoRemoveRestartLinux(t *testing.T) {
	lifecycleEventsAutoRemoveRestart(t, linuxtest.NewHost(t), "10.92.0.1/16")
}

func TestLifecycleGracefulRestartLinux(t *testing.T) {
	lifecycleGracefulRestart(t, linuxtest.NewHost(t), "10.95.0.1/16")
}
