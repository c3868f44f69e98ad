package integrationcli

import (
	"path/filepath"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
)

// linuxHost opens the linux backend on the sandbox a daemon works in,
// with the run directory dockerlab gives that sandbox (its process
// registry among it).
func linuxHost(sandbox string) (backend.Host, error) {
	opts := linux.DefaultOptions()
	opts.SandboxName = sandbox
	opts.RunDir = filepath.Join(linux.DefaultRunDir, sandbox)
	return linux.New(opts)
}
