// Tests for userland_proxy.go: which proxy each backend gets.
package daemon

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/stretchr/testify/assert"
)

func TestRootNetNSPathFollowsLinuxNew(t *testing.T) {
	assert.Equal(t, "/run/netns/dockerlab", rootNetNSPath(linux.Options{SandboxName: "dockerlab"}))
	assert.Equal(t, "/tmp/ns/root", rootNetNSPath(linux.Options{NetNSPath: "/tmp/ns/root", HostNetwork: true}))
	assert.Equal(t, "", rootNetNSPath(linux.Options{HostNetwork: true, SandboxName: "dockerlab"}))
}

func TestFakeBackendGetsNoSocketProxy(t *testing.T) {
	line := chooseUserlandProxy(fake.New())
	assert.Contains(t, line, "none on the fake backend")
}
