// Package execdrivers chooses the execdriver named by the daemon's -e flag.
//
// Upstream: daemon/execdriver/execdrivers/driver.go at v1.2.0 (NewDriver).
// Reference upstream-v1_2.md §2.3 step 17 and §5. Book ch.4 §4.9 创建
// execdriver; note 000 "创建execdriver".
//
// What dockerlab does today, honestly: "native" is chosen and named as
// upstream named it (native-0.2), but running a container through it
// returns an error until the containers issue brings the native driver
// (namespaces, cgroups, pivot_root, dockerinit). "lxc" is refused: it
// drove the lxc-start tools, which dockerlab does not reproduce.
package execdrivers

import (
	"fmt"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/pkg/sysinfo"
)

// NativeName is what upstream's native driver called itself at 1.2.0
// (DriverName "native" + "-" + Version "0.2").
const NativeName = "native-0.2"

// NewDriver returns the driver called name. root is the daemon's root
// (the native driver's state goes to <root>/execdriver/native), initPath
// the dockerinit the driver will re-exec.
func NewDriver(name, root, initPath string, info *sysinfo.SysInfo) (execdriver.Driver, error) {
	switch name {
	case "native":
		return &pendingNative{root: root, initPath: initPath}, nil
	case "lxc":
		return nil, fmt.Errorf("exec driver lxc is not available in dockerlab: upstream's lxc driver ran the lxc-start/lxc-attach tools, which are not reproduced here; use -e native")
	}
	return nil, fmt.Errorf("unknown exec driver %s", name)
}

// pendingNative stands where the native driver will go. It says what it
// is and refuses to run anything.
type pendingNative struct {
	root     string
	initPath string
}

// ErrNotYet is what Run returns until the native driver exists.
var ErrNotYet = fmt.Errorf("the native execdriver arrives with the containers issue: this daemon cannot run containers yet")

func (d *pendingNative) Name() string { return NativeName }

func (d *pendingNative) Run(c *execdriver.Command, _ *execdriver.Pipes, _ execdriver.StartCallback) (int, error) {
	return -1, ErrNotYet
}
func (d *pendingNative) Kill(*execdriver.Command, int) error       { return ErrNotYet }
func (d *pendingNative) Pause(*execdriver.Command) error           { return ErrNotYet }
func (d *pendingNative) Unpause(*execdriver.Command) error         { return ErrNotYet }
func (d *pendingNative) Terminate(*execdriver.Command) error       { return ErrNotYet }
func (d *pendingNative) GetPidsForContainer(string) ([]int, error) { return nil, ErrNotYet }
func (d *pendingNative) Info(string) execdriver.Info               { return notRunning{} }

type notRunning struct{}

func (notRunning) IsRunning() bool { return false }
