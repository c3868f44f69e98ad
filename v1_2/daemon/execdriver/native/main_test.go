package native

import (
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

// TestMain: on linux this test binary doubles as the backend's init (the
// containers' first process), so it hands over to reexec first.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}
