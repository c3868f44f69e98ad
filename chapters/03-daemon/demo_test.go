package chapter03

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	t.Setenv("TMPDIR", os.TempDir())
	h := fake.New()
	before, err := backend.Dump(h.Root())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out))
	for _, want := range wants {
		assert.Contains(t, out.String(), want)
	}
	after, err := backend.Dump(h.Root())
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

var wants = []string{"[trace] 3.3.3 engine", "[trace] 3.3.8 job serveapi", "## GET /_ping → OK", `"ApiVersion":"1.14"`, "404 page not found", "ip link del docker0"}
