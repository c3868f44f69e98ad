package fake

import (
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake/userland"
)

func runtimeGosched() { runtime.Gosched() }

// userlandProcess is a child for System.Spawn in tests.
type userlandProcess struct {
	args   []string
	rootfs string
}

func (u *userlandProcess) spawn(t *testing.T, sys *system) int {
	root, err := os.OpenRoot(u.rootfs)
	require.NoError(t, err)
	defer root.Close()
	code, err := sys.Spawn(&userland.Process{Args: u.args, Env: []string{defaultPath}, Dir: "/", Root: root})
	require.NoError(t, err)
	return code
}
