// Tests for the re-exec registry (Docker 1.2.0's reexec/reexec.go, own
// words).

package reexec

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func init() {
	Register("reexec-test-hello", func() {
		os.Stdout.WriteString("hello from " + os.Args[0] + " " + strings.Join(os.Args[1:], ","))
		os.Exit(0)
	})
}

func TestMain(m *testing.M) {
	if Init() {
		return
	}
	os.Exit(m.Run())
}

func TestCommandRunsRegisteredFunction(t *testing.T) {
	out, err := Command("reexec-test-hello", "a", "b").Output()
	require.NoError(t, err)
	require.Equal(t, "hello from reexec-test-hello a,b", string(out))
}

func TestInitIgnoresUnknownNames(t *testing.T) {
	require.False(t, Init(), "the test binary's own argv[0] is not registered")
	require.True(t, Initialized())
}
