//go:build linux

// TestMain for the real-kernel tests: the test binary doubles as
// dockerlab-init, so it must hand over to reexec first.
package linux_test

import (
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}
