package native

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
)

// TestFakeTty: -t on the fake machine's simulated terminal.
func TestFakeTty(t *testing.T) {
	h := fake.New()
	rootfs := backendtest.Rootfs(t, h)
	d, _ := newTestDriver(t, h)
	c := command(id1, rootfs, "sh", "-c", "echo one; echo two")
	c.Tty = true
	var out syncBuffer
	stdinR, stdinW := io.Pipe()
	code, err := d.Run(c, execdriver.NewPipes(stdinR, &out, &out, true), func(c *execdriver.Command) {
		defer stdinW.Write([]byte("go\n"))
		_, isTty := c.Terminal.(*execdriver.TtyConsole)
		assert.True(t, isTty)
		assert.NoError(t, c.Terminal.Resize(30, 100))
	})
	stdinW.Close()
	require.NoError(t, err)
	assert.Equal(t, 0, code, out.String())
	assert.Contains(t, out.String(), "one\r\ntwo\r\n", "the terminal turns \\n into \\r\\n")
}
