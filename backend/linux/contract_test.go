//go:build linux

// The backend contract suite (backend/backendtest) on the real kernel: as
// root, every check in a throwaway network namespace with its own cgroup
// parent and temp dirs (linuxtest.NewHost), so the machine is never
// touched; skipped with the reason when not root (docs/design.md "Testing").
// TestMain (main_linux_test.go) lets the test binary serve as
// dockerlab-init for the process checks.
package linux_test

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

func TestContract(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backend.Host { return linuxtest.NewHost(t) })
}

// TestConfinementOnCgroupV2: the devices cgroup as cgroup v2 has it, an
// eBPF program (devicefilter_linux.go), makes the same decisions. A hybrid
// machine's empty cgroup2 tree at /sys/fs/cgroup/unified is enough: device
// programs need no controller.
func TestConfinementOnCgroupV2(t *testing.T) {
	linuxtest.RequireRoot(t)
	root := ""
	for _, dir := range []string{"/sys/fs/cgroup/unified", "/sys/fs/cgroup"} {
		if mode, err := linux.DetectCgroupMode(dir); err == nil && mode == backend.CgroupV2 {
			root = dir
			break
		}
	}
	if root == "" {
		t.Skip("skipping: no cgroup2 hierarchy mounted (neither /sys/fs/cgroup nor /sys/fs/cgroup/unified)")
	}
	backendtest.RunConfinement(t, func(t *testing.T) backend.Host {
		return linuxtest.NewLinuxHostWith(t, func(o *linux.Options) {
			o.CgroupRoot, o.CgroupMode = root, backend.CgroupV2
		})
	})
}
