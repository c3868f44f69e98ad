//go:build linux

package chaptertest

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// RunOnLinux runs demo on the real kernel, in a throwaway namespace and
// cgroup parent (root only; it needs the static busybox of `make images`),
// and checks its output for each of wants except those containing one of
// fakeOnly — lines that name the fake machine's own eth0 or pids.
func RunOnLinux(t *testing.T, demo Demo, wants []string, fakeOnly ...string) {
	t.Helper()
	h := linuxtest.NewHost(t)
	if linuxtest.BusyboxPath() == "" {
		t.Skip("needs a static busybox (apt-get install busybox-static)")
	}
	var out bytes.Buffer
	require.NoError(t, demo(context.Background(), h, &out))
next:
	for _, want := range wants {
		for _, f := range fakeOnly {
			if strings.Contains(want, f) {
				continue next
			}
		}
		assert.Contains(t, out.String(), want)
	}
}
