package native

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

// TestFake runs every scenario on the fake machine. A memory limit is
// written and read back there (the Resources scenario), but the fake keeps
// no memory accounting, so the OOM kill is checked on linux only
// (TestLinuxMemoryLimit).
func TestFake(t *testing.T) {
	runAll(t, func(t *testing.T) backend.Host { return fake.New() })
}
