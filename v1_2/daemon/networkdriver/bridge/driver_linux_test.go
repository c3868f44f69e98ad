//go:build linux

// The same story on the real kernel, as root, inside a throwaway network
// namespace (linuxtest.NewHost): docker0, the rules and ip_forward live
// only there. Every dump must equal the fake's (docs/design.md "Parity is the
// point of the fake").
package bridge

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
)

func TestScenarioLinuxParity(t *testing.T) {
	h := linuxtest.NewHost(t) // skips, saying why, unless root
	real := scenario(t, h)
	SetHost(nil)
	faked := scenario(t, fake.NewBare())
	assert.Equal(t, len(faked), len(real))
	for i := range faked {
		assert.Equal(t, faked[i], real[i], "dump after step %d", i+1)
	}
}

func TestInitDriverRemovesWhatAKilledDaemonLeftLinux(t *testing.T) {
	reconcileScenario(t, linuxtest.NewHost(t), linuxtest.Unique("dlrec")) // skips unless root
}
