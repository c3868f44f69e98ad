//go:build linux

package v01demo

import (
	"os"
	"os/exec"
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// The same story on the real kernel, inside linuxtest's sandbox
// namespace. Skips unless root, iptables and the busybox image are there.
func TestDemoOnRealKernel(t *testing.T) {
	host := linuxtest.NewHost(t) // skips when not root
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("skipping: iptables is not installed (apt-get install iptables)")
	}
	image := repoImage()
	if _, err := os.Stat(image); err != nil {
		t.Skip("skipping: build/images/busybox.tar is missing (make images)")
	}
	t.Setenv("TMPDIR", t.TempDir())
	checkStory(t, runOn(t, host, image))
}
