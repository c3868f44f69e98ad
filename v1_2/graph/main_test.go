// TestMain for package graph: the overlay tests use a real-kernel host
// (linuxtest), whose test binaries must hand over to reexec first.
package graph

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
