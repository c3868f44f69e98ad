package chapter14

import (
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

// TestMain: on linux this test binary doubles as the containers' init.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}
