// Tests for the shared flags: validation, the fake host they open, and
// the per-sandbox run directory of the linux options.
package hostflags

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/linux"
)

func parse(t *testing.T, args ...string) {
	t.Helper()
	root := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	Register(root)
	require.NoError(t, root.ParseFlags(args))
}

func TestDefaultsFromEnvironment(t *testing.T) {
	t.Setenv("DOCKERLAB_BACKEND", "linux")
	t.Setenv("DOCKERLAB_FAKE_STATE", "/some/where.json")
	parse(t)
	assert.Equal(t, "linux", Backend)
	assert.Equal(t, "/some/where.json", FakeState)
	assert.True(t, Sandbox)
	assert.Equal(t, "dockerlab", SandboxName)
}

func TestValidate(t *testing.T) {
	parse(t, "--backend", "docker")
	err := Validate()
	require.EqualError(t, err, `invalid --backend "docker": choose one of fake, linux`)

	parse(t, "--backend", "fake", "--fake-state", "")
	require.ErrorContains(t, Validate(), "--fake-state is empty")

	parse(t, "--backend", "linux", "--sandbox-name", "")
	require.ErrorContains(t, Validate(), "--sandbox-name is empty")
}

func TestOpenFake(t *testing.T) {
	state := filepath.Join(t.TempDir(), "k.json")
	parse(t, "--backend", "fake", "--fake-state", state)
	h, err := Open()
	require.NoError(t, err)
	defer h.Close()
	assert.Equal(t, "fake", h.Name())
	assert.FileExists(t, state)
}

func TestLinuxOptionsGiveEachSandboxItsRunDir(t *testing.T) {
	parse(t, "--sandbox-name", "lab2")
	opts := LinuxOptions()
	assert.False(t, opts.HostNetwork)
	assert.Equal(t, "lab2", opts.SandboxName)
	assert.Equal(t, filepath.Join(linux.DefaultRunDir, "lab2"), opts.RunDir)

	parse(t, "--sandbox=false")
	assert.Equal(t, linux.DefaultRunDir, LinuxOptions().RunDir)
}

func TestDebugf(t *testing.T) {
	var buf bytes.Buffer
	old := DebugOut
	DebugOut = &buf
	defer func() { DebugOut = old }()
	parse(t)
	Debugf("hidden %d", 1)
	parse(t, "--debug")
	Debugf("shown %d", 2)
	assert.Equal(t, "debug: shown 2\n", buf.String())
}
