package chapter08

import (
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

// linuxtest hosts re-execute the test binary; hand over to reexec first.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}
