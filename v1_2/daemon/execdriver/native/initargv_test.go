package native

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native/template"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/namespaces"
)

// scenarioInitArgv: while the network is set up (the backend's Setup
// hook) the process table shows dockerinit's argv, `native -console …
// -pipe 3 -root … -- <entrypoint> <args>`; once the program runs, the
// program's.
func scenarioInitArgv(t *testing.T, h backend.Host, rootfs string) {
	argsOf := func(pid int) []string {
		procs, err := h.Procs()
		require.NoError(t, err)
		for _, p := range procs {
			if p.Pid == pid {
				return p.Args
			}
		}
		return nil
	}
	container := template.New()
	container.Cgroups = nil
	init := namespaces.Init{Path: "/init", Args: InitArgs("", "/root/x", "sleep", []string{"1000"})}
	spec, err := namespaces.BuildSpec(container, rootfs, []string{"sleep", "1000"}, namespaces.Stdio{})
	require.NoError(t, err)
	spec.InitName, spec.InitArgs = init.Args[0], init.Args[1:]
	var during []string
	spec.Setup = func(p backend.Process) error {
		during = argsOf(p.Pid())
		return nil
	}
	p, err := h.Start(spec)
	require.NoError(t, err)
	after := argsOf(p.Pid())
	require.NoError(t, p.Signal(syscall.SIGKILL))
	_, err = p.Wait()
	require.NoError(t, err)
	assert.Equal(t, []string{"native", "-console", "", "-pipe", "3", "-root", "/root/x", "--", "sleep", "1000"}, during)
	assert.Equal(t, []string{"sleep", "1000"}, after)

	spec.InitName = "not-an-init"
	_, err = h.Start(spec)
	assert.ErrorIs(t, err, backend.ErrInvalid)

	// And through the driver: the callback sees the program.
	d, _ := newTestDriver(t, h)
	code, err := d.Run(command(id1, rootfs, "sleep", "1000"), nil, func(c *execdriver.Command) {
		assert.Equal(t, []string{"sleep", "1000"}, argsOf(c.ContainerPid))
		assert.NoError(t, d.Kill(c, int(syscall.SIGKILL)))
	})
	require.NoError(t, err)
	assert.Equal(t, 137, code)
}
