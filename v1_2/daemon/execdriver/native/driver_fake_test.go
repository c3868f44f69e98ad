package native

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestFake(t *testing.T) {
	runAll(t, func(t *testing.T) backend.Host { return fake.New() })
}

// TestFakeMemoryLimit: the limit is written (TestFake/Resources and the
// chapter 14 demo read it back), but the fake machine keeps no memory
// accounting, so it cannot kill a process that exceeds it.
func TestFakeMemoryLimit(t *testing.T) {
	t.Skip("the fake machine does not account memory: -m is recorded in its cgroup but never enforced; TestLinuxMemoryLimit checks the OOM kill on the real kernel")
}
