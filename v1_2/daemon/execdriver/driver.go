// Package execdriver is the face the daemon sees of whatever runs a
// container's process: upstream had "native" (libcontainer) and "lxc".
//
// Upstream: daemon/execdriver/driver.go at v1.2.0. See
// docs/upstream/v1.2.0.md §5.1.
// Book: ch.4 §4.9 (创建execdriver), ch.12 §12.4 (populateCommand fills a
// Command, then daemon.Run hands it to the driver) and ch.13 (the driver
// re-executes dockerinit).
//
// One divergence of shape, listed in docs/divergences.md: upstream's
// Command embedded an os/exec.Cmd that the driver filled and started.
// Here the driver hands a backend.ProcSpec to the backend instead (the
// only way v1_2 reaches the kernel), so Command carries the process's
// environment and the started process explicitly.
package execdriver

import (
	"errors"
	"io"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/devices"
)

// Context was upstream's free-form map for driver options.
type Context map[string]string

// The errors upstream's drivers returned, with upstream's messages.
var (
	ErrNotRunning              = errors.New("Process could not be started")
	ErrWaitTimeoutReached      = errors.New("Wait timeout reached")
	ErrDriverAlreadyRegistered = errors.New("A driver already registered this docker init function")
	ErrDriverNotFound          = errors.New("The requested docker init has not been found")
)

// StartCallback is called once the container's process runs: the daemon
// uses it to record the pid and mark the container running (book §12.4
// waitForStart).
type StartCallback func(*Command)

// Info answers questions about a container the driver may have run
// before the daemon restarted (restore).
type Info interface {
	IsRunning() bool
}

// Terminal is a container's console: a pty (with -t) or plain pipes.
type Terminal interface {
	io.Closer
	Resize(height, width int) error
}

// Driver runs containers.
type Driver interface {
	// Run starts c and blocks until it exits, returning its exit code.
	// startCallback runs once the process is started.
	Run(c *Command, pipes *Pipes, startCallback StartCallback) (int, error)
	Kill(c *Command, sig int) error
	Pause(c *Command) error
	Unpause(c *Command) error
	// Name is "<driver>-<version>", e.g. "native-0.2" as at 1.2.0.
	Name() string
	Info(id string) Info
	GetPidsForContainer(id string) ([]int, error)
	// Terminate kills what is left of a container the daemon lost track
	// of (upstream: "kill it with fire").
	Terminate(c *Command) error
}

// Network says how the container is connected (book ch.7, note 003 the
// four network modes): HostNetworking for --net=host, ContainerID for
// --net=container:<id>, Interface for the bridge mode, none of them for
// --net=none (loopback only).
type Network struct {
	Interface      *NetworkInterface `json:"interface"` // nil for none/host/container
	Mtu            int               `json:"mtu"`
	ContainerID    string            `json:"container_id"` // join this container's network namespace
	HostNetworking bool              `json:"host_networking"`
}

// NetworkInterface is what allocate_interface handed out.
type NetworkInterface struct {
	Gateway     string `json:"gateway"`
	IPAddress   string `json:"ip"`
	Bridge      string `json:"bridge"`
	IPPrefixLen int    `json:"ip_prefix_len"`
}

// Resources are the cgroup limits from -m, -c and --cpuset.
type Resources struct {
	Memory     int64  `json:"memory"`
	MemorySwap int64  `json:"memory_swap"`
	CpuShares  int64  `json:"cpu_shares"`
	Cpuset     string `json:"cpuset"`
}

// Mount is one volume: Source on the host, Destination in the container.
type Mount struct {
	Source      string `json:"source"`
	Destination string `json:"destination"`
	Writable    bool   `json:"writable"`
	Private     bool   `json:"private"`
}

// Command is everything a driver needs to run one container's process,
// filled by the daemon's populateCommand.
type Command struct {
	ID         string              `json:"id"`
	Privileged bool                `json:"privileged"`
	User       string              `json:"user"`
	Rootfs     string              `json:"rootfs"`   // the mounted image layers
	InitPath   string              `json:"initpath"` // "/.dockerinit" as upstream
	Entrypoint string              `json:"entrypoint"`
	Arguments  []string            `json:"arguments"`
	WorkingDir string              `json:"working_dir"`
	ConfigPath string              `json:"config_path"` // the container's root dir
	Tty        bool                `json:"tty"`
	Network    *Network            `json:"network"`
	Config     map[string][]string `json:"config"` // driver options (--lxc-conf, native.*)
	Resources  *Resources          `json:"resources"`
	Mounts     []Mount             `json:"mounts"`
	CapAdd     []string            `json:"cap_add"`
	CapDrop    []string            `json:"cap_drop"`

	// AllowedDevices is the devices cgroup's list, AutoCreatedDevices
	// the nodes made in /dev: libcontainer's defaults plus --device
	// (populateCommand).
	AllowedDevices     []*devices.Device `json:"allowed_devices"`
	AutoCreatedDevices []*devices.Device `json:"autocreated_devices"`

	// Env is the process's environment (upstream: the embedded
	// exec.Cmd's Env); HOSTNAME in it names the container's hostname.
	Env []string `json:"-"`

	Terminal     Terminal        `json:"-"` // set by the driver: the pty or pipes
	Console      string          `json:"-"` // the pty's slave path with -t
	ContainerPid int             `json:"-"` // set by the driver once started
	Process      backend.Process `json:"-"` // the started process, set with ContainerPid
}

// Pid is the container's first process, as the host sees it.
func (c *Command) Pid() int { return c.ContainerPid }
