package execdriver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTweakCapabilities(t *testing.T) {
	basics := []string{"CHOWN", "KILL", "NET_RAW"}

	caps, err := TweakCapabilities(basics, []string{"net_admin"}, []string{"kill"})
	require.NoError(t, err)
	assert.Equal(t, []string{"CHOWN", "NET_RAW", "NET_ADMIN"}, caps)

	caps, err = TweakCapabilities(basics, []string{"chown"}, nil)
	require.NoError(t, err)
	assert.Equal(t, basics, caps, "adding a kept capability adds nothing")

	caps, err = TweakCapabilities(basics, nil, []string{"ALL"})
	require.NoError(t, err)
	assert.Empty(t, caps)

	caps, err = TweakCapabilities(basics, []string{"all"}, []string{"sys_admin"})
	require.NoError(t, err)
	assert.Len(t, caps, len(AllCapabilities)-1)
	assert.NotContains(t, caps, "SYS_ADMIN")

	_, err = TweakCapabilities(basics, []string{"FLY"}, nil)
	assert.EqualError(t, err, `Unknown capability to add: "FLY"`)
	_, err = TweakCapabilities(basics, nil, []string{"SWIM"})
	assert.EqualError(t, err, `Unknown capability drop: "SWIM"`)
}

func TestConsoles(t *testing.T) {
	std, err := NewStdConsole(&Command{}, nil)
	require.NoError(t, err)
	assert.NoError(t, std.Resize(24, 80))
	assert.NoError(t, std.Close())
	assert.Nil(t, std.Pipes.StdinReader(), "no stdin pipe is a nil reader, not a typed nil")

	tty, err := NewTtyConsole(&Command{}, nil)
	require.NoError(t, err)
	assert.NoError(t, tty.Resize(24, 80), "no process yet: nothing to resize")
	r := &resizeRecorder{}
	tty.SetProcess(r)
	require.NoError(t, tty.Resize(40, 100))
	assert.Equal(t, [2]int{40, 100}, r.size)
}

// Today's docker CLI sends --cap-add NET_ADMIN as "CAP_NET_ADMIN"; the
// daemon took only the bare name, so the CLI's run failed at start.
func TestTweakCapabilitiesAcceptsCapPrefix(t *testing.T) {
	caps, err := TweakCapabilities([]string{"CHOWN", "KILL"}, []string{"CAP_NET_ADMIN"}, []string{"cap_kill"})
	require.NoError(t, err)
	assert.Equal(t, []string{"CHOWN", "NET_ADMIN"}, caps)
	_, err = TweakCapabilities(nil, []string{"CAP_BOGUS"}, nil)
	assert.ErrorContains(t, err, `Unknown capability to add: "BOGUS"`)
}
