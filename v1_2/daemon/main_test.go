// The daemon package's one TestMain: the test binary must be able to
// re-execute itself as docker-proxy (the userland proxy of a published
// port) and as the backend's container init, as the dockerlab binary does
// (internal/reexec; upstream reexec/reexec.go at v1.2.0, a top-level
// package then).
package daemon

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
