// Package labtest helps exercise tests (docs/teaching.md, "Authors'
// guide"): Host gives a test the kernel `dockerlab lab check` asked for.
//
// Not upstream: part of dockerlab's teaching tool. Unlike package lab it is
// only imported by tests, so it may depend on the backends.
package labtest

import (
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// BackendEnv is set by `dockerlab lab check` for the tests it runs: "fake"
// (the default) or "linux" (with --backend linux, as root).
const BackendEnv = "DOCKERLAB_LAB_BACKEND"

// Linux reports whether the check runs on the real kernel.
func Linux() bool { return os.Getenv(BackendEnv) == "linux" }

// Host is a fresh machine for one test: the fake kernel, or under
// `lab check --backend linux` a real-kernel Host inside a throwaway
// network namespace (linuxtest.NewHost; it skips, saying why, unless
// root on Linux). A test written with it checks the same thing on both.
func Host(t testing.TB) backend.Host {
	t.Helper()
	if Linux() {
		return linuxtest.NewHost(t)
	}
	return fake.NewBare()
}
