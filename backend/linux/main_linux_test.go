//go:build linux

// TestMain for the real-kernel tests: the test binary doubles as
// dockerlab-init, so it must hand over to reexec first. As root it also
// proves the machine was left alone: the host's links and iptables rules
// must be the same after every test as before.

package linux_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/internal/reexec"
)

func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	if os.Geteuid() != 0 {
		os.Exit(m.Run())
	}
	before := linuxtest.HostSnapshot()
	code := m.Run()
	if after := linuxtest.HostSnapshot(); after != before {
		fmt.Fprintf(os.Stderr, "FAIL: the tests changed the host's own network state\nbefore:\n%s\nafter:\n%s\n", before, after)
		code = 1
	}
	os.Exit(code)
}
