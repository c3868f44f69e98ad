// Package execdriver is the face the daemon sees of whatever runs a
// container's process: upstream had "native" (libcontainer) and "lxc".
//
// Upstream: daemon/execdriver/driver.go at v1.2.0. Reference
// upstream-v1_2.md §5.1. Book ch.4 §4.9 (创建execdriver) and ch.7 §7.5.
//
// Only the part NewDaemon needs exists yet: a driver has a name (printed
// in mainDaemon's version line and in `docker info`) and a Run. Command
// and the rest of upstream's interface (Kill, Pause, Terminate, Info,
// GetPidsForContainer) arrive with the containers issue, together with the
// native driver itself.
package execdriver

// Command is what the daemon asks a driver to run. For now it names the
// container only; the containers issue fills in the process, network,
// resources and mounts upstream's Command carried.
type Command struct {
	ID string
}

// Driver runs containers.
type Driver interface {
	// Name is "<driver>-<version>", e.g. "native-0.2" as at 1.2.0.
	Name() string
	// Run starts c and waits for it, returning its exit code.
	Run(c *Command) (int, error)
}
