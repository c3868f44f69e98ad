//go:build linux

package chapter05

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/internal/reexec"
)

// linuxtest hosts re-execute the test binary; hand over to reexec first.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}

// The same requests against a daemon on the real kernel (in a throwaway
// namespace). Skips unless root.
func TestDemoOnRealKernel(t *testing.T) {
	h := linuxtest.NewHost(t) // skips when not root
	t.Setenv("TMPDIR", t.TempDir())
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	s := out.String()
	for _, want := range []string{"on the linux backend", "+job create(ch5)", "response │ 201 Created", "No such container: nosuch", "response │ 204 No Content", "ip link del docker0"} {
		assert.Contains(t, s, want)
	}
	if t.Failed() {
		t.Log(s)
	}
}
