// Package native is Docker 1.2's default execdriver: it turns the
// daemon's Command into a libcontainer config, writes it to
// <root>/<id>/container.json, and runs the container through libcontainer
// (namespaces, cgroups, network) on the backend.
//
// Upstream: daemon/execdriver/native/driver.go at v1.2.0 (driver, NewDriver,
// Run, Kill, Pause, Unpause, Terminate, GetPidsForContainer). See
// docs/upstream/v1.2.0.md §5.2.
// Book: ch.12 §12.4 (daemon.Run hands the Command to the driver), ch.13 §13.3
// (the driver's Run, createCommand, namespace.exec), ch.14 §14.3 (freezer for
// pause).
// Notes: 001 "Driver" and "docker 和libcontainer的关系".
package native

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/cgroups"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/namespaces"
)

// The driver's name and version: Name() is "native-0.2".
const (
	DriverName = "native"
	Version    = "0.2"
)

// ConfigFile is the container's libcontainer config inside <root>/<id>.
const ConfigFile = "container.json"

// activeContainer is a container this driver is running.
type activeContainer struct {
	container *libcontainer.Config
	process   backend.Process // nil until started
}

// Driver is the native execdriver.
type Driver struct {
	root     string // <daemon root>/execdriver/native
	initPath string // <daemon root>/init/dockerinit-1.2.0
	host     backend.Host

	mu     sync.Mutex
	active map[string]*activeContainer
}

var _ execdriver.Driver = (*Driver)(nil)

// NewDriver makes root and returns a driver running containers on host.
// (Upstream also installed its AppArmor profile here; dockerlab has none.)
func NewDriver(root, initPath string, host backend.Host) (*Driver, error) {
	if host == nil {
		return nil, fmt.Errorf("native: no backend host")
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	return &Driver{root: root, initPath: initPath, host: host, active: map[string]*activeContainer{}}, nil
}

// Root is the driver's directory: <daemon root>/execdriver/native.
func (d *Driver) Root() string { return d.root }

// Name is "native-0.2".
func (d *Driver) Name() string { return DriverName + "-" + Version }

// Run runs c and blocks until it exits, returning its exit code.
func (d *Driver) Run(c *execdriver.Command, pipes *execdriver.Pipes, startCallback execdriver.StartCallback) (int, error) {
	container, err := d.createContainer(c)
	if err != nil {
		return -1, err
	}
	if pipes == nil {
		pipes = &execdriver.Pipes{}
	}
	var tty *execdriver.TtyConsole
	if c.Tty {
		if tty, err = execdriver.NewTtyConsole(c, pipes); err != nil {
			return -1, err
		}
		c.Terminal = tty
	} else {
		std, err := execdriver.NewStdConsole(c, pipes)
		if err != nil {
			return -1, err
		}
		c.Terminal = std
	}

	ac := &activeContainer{container: container}
	d.mu.Lock()
	if _, busy := d.active[c.ID]; busy {
		d.mu.Unlock()
		return -1, fmt.Errorf("native: container %s is already running", c.ID)
	}
	d.active[c.ID] = ac
	d.mu.Unlock()

	dataPath := filepath.Join(d.root, c.ID)
	defer func() {
		d.mu.Lock()
		delete(d.active, c.ID)
		d.mu.Unlock()
		os.RemoveAll(dataPath)
	}()
	if err := os.MkdirAll(dataPath, 0o700); err != nil {
		return -1, err
	}
	if err := writeConfig(dataPath, container); err != nil {
		return -1, err
	}

	args := append([]string{c.Entrypoint}, c.Arguments...)
	init := namespaces.Init{Path: d.initPath, Args: InitArgs(c.Console, dataPath, c.Entrypoint, c.Arguments)}
	stdio := namespaces.Stdio{Stdin: pipes.StdinReader(), Stdout: pipes.Stdout, Stderr: pipes.Stderr}
	return namespaces.Exec(d.host, container, stdio, c.Rootfs, dataPath, args, init, func(p backend.Process) {
		d.mu.Lock()
		ac.process = p
		d.mu.Unlock()
		if tty != nil {
			tty.SetProcess(p)
		}
		c.ContainerPid = p.Pid()
		c.Process = p
		if startCallback != nil {
			startCallback(c)
		}
	})
}

// writeConfig writes container.json atomically.
func writeConfig(dir string, container *libcontainer.Config) error {
	data, err := json.Marshal(container)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+ConfigFile)
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, ConfigFile))
}

// process is the running process of c: the one in c, or the one this
// driver started under c's id.
func (d *Driver) process(c *execdriver.Command) (backend.Process, error) {
	if c == nil {
		return nil, fmt.Errorf("native: no command")
	}
	if c.Process != nil {
		return c.Process, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if ac, ok := d.active[c.ID]; ok && ac.process != nil {
		return ac.process, nil
	}
	return nil, fmt.Errorf("native: container %s: %w", c.ID, execdriver.ErrNotRunning)
}

// activePid is the pid of a running container of this driver.
func (d *Driver) activePid(id string) (int, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ac, ok := d.active[id]
	if !ok || ac.process == nil {
		return 0, false
	}
	return ac.process.Pid(), true
}

// Kill sends sig to the container's first process.
func (d *Driver) Kill(c *execdriver.Command, sig int) error {
	if sig <= 0 || sig > 64 {
		return fmt.Errorf("native: invalid signal %d", sig)
	}
	p, err := d.process(c)
	if err != nil {
		return err
	}
	return p.Signal(syscall.Signal(sig))
}

// cgroupOf is the container's cgroup config (a bare one named by the id
// when the driver is not running it).
func (d *Driver) cgroupOf(id string) *cgroups.Cgroup {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ac, ok := d.active[id]; ok && ac.container.Cgroups != nil {
		return ac.container.Cgroups
	}
	return &cgroups.Cgroup{Name: id}
}

// Pause freezes every process of the container (the freezer cgroup).
func (d *Driver) Pause(c *execdriver.Command) error {
	if c == nil {
		return fmt.Errorf("native: no command")
	}
	return cgroups.SetFreezer(d.host.Cgroups(), d.cgroupOf(c.ID), cgroups.Frozen)
}

// Unpause thaws them.
func (d *Driver) Unpause(c *execdriver.Command) error {
	if c == nil {
		return fmt.Errorf("native: no command")
	}
	return cgroups.SetFreezer(d.host.Cgroups(), d.cgroupOf(c.ID), cgroups.Thawed)
}

// Info answers IsRunning for a container id.
func (d *Driver) Info(id string) execdriver.Info { return &info{ID: id, driver: d} }

// GetPidsForContainer lists the pids in the container's cgroup.
func (d *Driver) GetPidsForContainer(id string) ([]int, error) {
	return cgroups.GetPids(d.host.Cgroups(), d.cgroupOf(id))
}

// Terminate kills what is left of c and removes its directory. A process
// this driver started is killed and reaped. A container started by an
// earlier daemon (restore) is found through state.json: if its pid still
// runs with the recorded start time (so the pid was not reused), it is
// killed through the backend's Kill, which only reaches processes
// dockerlab started; then its cgroup and veth are removed.
func (d *Driver) Terminate(c *execdriver.Command) error {
	if c == nil || c.ID == "" {
		return fmt.Errorf("native: no command")
	}
	dataPath := filepath.Join(d.root, c.ID)
	if p, err := d.process(c); err == nil {
		if err := p.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, backend.ErrNotFound) {
			return err
		}
		p.Wait()
		return os.RemoveAll(dataPath)
	}
	state, err := libcontainer.GetState(dataPath)
	if err == nil && state.InitPid > 0 && d.stillRuns(state) {
		// Not our child: backend.Host.Kill reaches it after checking
		// that the pid is still the process an earlier run started.
		if err := d.host.Kill(state.InitPid, syscall.SIGKILL); err != nil && !errors.Is(err, backend.ErrNotFound) {
			return err
		}
		d.waitGone(state)
	}
	cg := &cgroups.Cgroup{Name: c.ID}
	for try := 0; try < 100; try++ { // the killed processes leave the group a moment later
		if err := cgroups.Cleanup(d.host.Cgroups(), cg); !errors.Is(err, backend.ErrBusy) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if state != nil && state.NetworkState.VethHost != "" {
		d.host.Root().LinkDel(state.NetworkState.VethHost) // gone already if its namespace went
	}
	return os.RemoveAll(dataPath)
}

// waitGone polls the process table until the state's process has exited
// (at most a few seconds: it is not our child, so we cannot wait for it).
func (d *Driver) waitGone(state *libcontainer.State) {
	for try := 0; try < 250 && d.stillRuns(state); try++ {
		time.Sleep(20 * time.Millisecond)
	}
}

// stillRuns says whether the backend lists the state's pid, started at
// the recorded time and not exited.
func (d *Driver) stillRuns(state *libcontainer.State) bool {
	procs, err := d.host.Procs()
	if err != nil {
		return false
	}
	for _, p := range procs {
		if p.Pid == state.InitPid && p.State != "exited" &&
			(state.InitStartTime == "" || p.StartedAt.UTC().Format(timeLayout) == state.InitStartTime) {
			return true
		}
	}
	return false
}

// timeLayout is how state.json writes InitStartTime.
const timeLayout = time.RFC3339Nano
