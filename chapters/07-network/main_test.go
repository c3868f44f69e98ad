package chapter07

import (
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

// Containers on linuxtest hosts re-execute the test binary (the
// container's init, docker-proxy); hand over to reexec first.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}
