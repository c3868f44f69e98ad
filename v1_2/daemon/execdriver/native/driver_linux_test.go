//go:build linux

package native

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
)

func TestLinux(t *testing.T) {
	runAll(t, func(t *testing.T) backend.Host { return linuxtest.NewHost(t) })
}

// TestLinuxMemoryLimit: with -m 32M a process that wants 200 MiB is
// killed by the kernel (the fake keeps no memory accounting, so this
// runs on the real kernel only).
func TestLinuxMemoryLimit(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := backendtest.Rootfs(t, h)
	d, _ := newTestDriver(t, h)
	c := command(id1, rootfs, "sh", "-c", "echo start; head -c 209715200 /dev/zero | tail; echo tail=$?")
	c.Resources = &execdriver.Resources{Memory: 32 << 20, MemorySwap: 32 << 20}
	var out syncBuffer
	code, err := d.Run(c, execdriver.NewPipes(nil, &out, &out, false), func(c *execdriver.Command) {
		st, err := h.Cgroups().Stats(id1)
		if assert.NoError(t, err) {
			assert.Equal(t, int64(32<<20), st.MemoryLimit)
		}
	})
	require.NoError(t, err)
	t.Logf("exit %d, output %q", code, out.String())
	assert.Contains(t, out.String(), "start")
	// The OOM killer picks the biggest process, tail; now and then it
	// takes the shell (pid 1) too.
	if code != 137 {
		assert.Contains(t, out.String(), "tail=137\n", "tail holding 200 MiB must be OOM-killed")
	}
}

// TestLinuxTty: with -t the container's stdio is a terminal, and Resize
// reaches it (stty size inside).
func TestLinuxTty(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := backendtest.Rootfs(t, h)
	d, _ := newTestDriver(t, h)
	c := command(id1, rootfs, "sh", "-c", "test -t 0 && test -t 1 && echo is-a-tty; read go; stty size")
	c.Tty = true
	var out syncBuffer
	stdinR, stdinW := io.Pipe()
	code, err := d.Run(c, execdriver.NewPipes(stdinR, &out, &out, true), func(c *execdriver.Command) {
		defer func() {
			stdinW.Write([]byte("go\n"))
			stdinW.Close()
		}()
		_, isTty := c.Terminal.(*execdriver.TtyConsole)
		assert.True(t, isTty)
		assert.NoError(t, c.Terminal.Resize(30, 100))
	})
	require.NoError(t, err)
	assert.Equal(t, 0, code, out.String())
	assert.Contains(t, out.String(), "is-a-tty")
	assert.Contains(t, out.String(), "30 100")
}

// BenchmarkRunTrueLinux: Run of busybox `true` on the real kernel
// (--net=none), the driver's share of `docker run --rm busybox true`.
func BenchmarkRunTrueLinux(b *testing.B) {
	h := linuxtest.NewHost(b)
	src := linuxtest.BusyboxPath()
	if src == "" {
		b.Skip("needs a static busybox")
	}
	rootfs := linuxtest.BusyboxRootfs(b)
	benchRun(b, h, rootfs, func() *execdriver.Network { return nil })
}
