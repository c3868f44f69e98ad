//go:build linux

package cli

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// The same scenario on the real kernel, as root: a throwaway network
// namespace and cgroup tree, a real busybox in the image, real processes.
func TestLinuxV12ClientAgainstDaemon(t *testing.T) {
	h := linuxtest.NewHost(t)
	v12ClientScenario(t, h, startV12Daemon(t, h, "--bip", "10.94.0.1/16"))
}
