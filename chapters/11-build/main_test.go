package chapter11

import (
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

// The daemon starts containers by re-executing this binary on the real
// kernel (and its userland proxy likewise): hand over to reexec first.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}
