//go:build linux

package chapter13

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

// The demo on the real kernel, in a throwaway namespace and cgroup parent.
func TestDemoOnLinux(t *testing.T) {
	h := linuxtest.NewHost(t)
	if linuxtest.BusyboxPath() == "" {
		t.Skip("needs a static busybox (apt-get install busybox-static)")
	}
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	for _, want := range wants {
		if strings.Contains(want, "10.0.2.15") || strings.Contains(want, "pid 1000") {
			continue // the fake machine's own eth0 and pids
		}
		assert.Contains(t, out.String(), want)
	}
}
