// Info: is a container the daemon knew before it restarted still running?
// Upstream answered yes when the container's state.json exists (or the
// older "pid" file of drivers before 1.0).
//
// Upstream: daemon/execdriver/native/info.go at v1.2.0 (info, IsRunning). See
// docs/upstream/v1.2.0.md §5.2.
// Book: ch.4 §4.12 (加载已有容器: restore asks the driver).
package native

import (
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
)

type info struct {
	ID     string
	driver *Driver
}

// IsRunning says whether <root>/<id>/state.json (or the legacy pid file)
// exists.
func (i *info) IsRunning() bool {
	dir := filepath.Join(i.driver.root, i.ID)
	if _, err := os.Stat(filepath.Join(dir, libcontainer.StateFile)); err == nil {
		return true
	}
	if _, err := os.Stat(filepath.Join(dir, "pid")); err == nil {
		return true
	}
	return false
}
