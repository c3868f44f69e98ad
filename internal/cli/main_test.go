// The cli package's TestMain: a v1.2 daemon started by a test on the
// linux backend re-executes this test binary as the container's init and
// as docker-proxy, as the dockerlab binary does (internal/reexec).
package cli

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
