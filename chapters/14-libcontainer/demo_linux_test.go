//go:build linux

package chapter14

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo on the real kernel, in a throwaway namespace and cgroup parent.
func TestDemoOnLinux(t *testing.T) {
	chaptertest.RunOnLinux(t, Run, wants, "10.0.2.15", "pid 1000")
}

// The demo when the shared cgroup parent's cpuset was left empty (a new
// v1 cpuset directory starts empty, and another run or tool may leave it
// so): the backend seeds it from its own parent, so the container joins
// its cgroup instead of failing with "no space left on device" (issue #10
// item 7, #12 item 7).
func TestDemoOnLinuxWithAnEmptyCpusetParent(t *testing.T) {
	h := linuxtest.NewLinuxHost(t) // skips unless root
	if linuxtest.BusyboxPath() == "" {
		t.Skip("needs a static busybox (apt-get install busybox-static)")
	}
	if h.Cgroups().Mode() == backend.CgroupV2 {
		t.Skip("skipping: an empty cpuset refuses tasks only on cgroup v1")
	}
	parent := filepath.Join(h.Cgroups().Root(), "cpuset", h.Options().CgroupParent)
	require.NoError(t, os.Mkdir(parent, 0o755))
	b, err := os.ReadFile(filepath.Join(parent, "cpuset.cpus"))
	require.NoError(t, err)
	require.Equal(t, "", strings.TrimSpace(string(b)), "a new cpuset directory starts empty")

	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out), out.String())
	assert.NotContains(t, out.String(), "no space left on device")
}
