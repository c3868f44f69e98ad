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
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

func TestContract(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backend.Host { return linuxtest.NewHost(t) })
}
