//go:build linux

// network.go of Docker v0.1.0 on the real kernel: the same scenario as on
// the fake (network_test.go), inside a throwaway network namespace made by
// linuxtest, so the machine's own interfaces and iptables rules are never
// touched. Skips unless root.
package docker

import (
	"os/exec"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

func TestNetworkScenarioOnRealKernel(t *testing.T) {
	host := linuxtest.NewHost(t) // skips when not root
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("skipping: iptables is not installed (apt-get install iptables)")
	}
	runNetworkScenario(t, host)
}
