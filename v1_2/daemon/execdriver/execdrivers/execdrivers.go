// Package execdrivers chooses the execdriver named by the daemon's -e flag.
//
// Upstream: daemon/execdriver/execdrivers/execdrivers.go at v1.2.0
// (NewDriver). See docs/upstream/v1.2.0.md §2.3 step 17 and §5.
// Book: ch.4 §4.9 创建execdriver.
// Notes: 000 "创建execdriver".
//
// "native" is the native driver (daemon/execdriver/native) running on the
// daemon's backend.Host. "lxc" is refused: it drove the lxc-start tools,
// which dockerlab does not reproduce.
package execdrivers

import (
	"fmt"
	"path/filepath"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/pkg/sysinfo"
)

// NativeName is what upstream's native driver called itself at 1.2.0
// (DriverName "native" + "-" + Version "0.2").
const NativeName = "native-0.2"

// NewDriver returns the driver called name. root is the daemon's root
// (the native driver's state goes to <root>/execdriver/native), initPath
// the dockerinit the driver names in its argv, host the machine the
// containers run on.
func NewDriver(name, root, initPath string, info *sysinfo.SysInfo, host backend.Host) (execdriver.Driver, error) {
	switch name {
	case "native":
		return native.NewDriver(filepath.Join(root, "execdriver", "native"), initPath, host)
	case "lxc":
		return nil, fmt.Errorf("exec driver lxc is not available in dockerlab: upstream's lxc driver ran the lxc-start/lxc-attach tools, which are not reproduced here; use -e native")
	}
	return nil, fmt.Errorf("unknown exec driver %s", name)
}
