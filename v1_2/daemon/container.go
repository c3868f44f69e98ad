// Container: one container of the v1.2 daemon, what it keeps on disk,
// and the small helpers every container job uses.
//
// Upstream: daemon/container.go at v1.2.0 (Container, FromDisk, toDisk,
// ToDisk, readHostConfig, WriteHostConfig, LogEvent, the path helpers,
// Mount/Unmount, RootfsPath).
// Book: ch.12 §12.3 创建容器对象 (the struct newContainer fills) and §12.4 (the
// methods Start calls).
// Notes: 001 容器的创建.
//
// On disk, one directory per container, <root>/containers/<id>/:
//
//	config.json      this struct as JSON (State included)
//	hostconfig.json  the HostConfig from create and/or start
//	hostname, hosts, resolv.conf   bind-mounted over the container's /etc files
//	<id>-json.log    the output, one JSON object per line (logs.go)
//
// Divergence (docs/divergences.md): upstream wrote config.json and
// hostconfig.json with ioutil.WriteFile, which a crash can leave half
// written. Here both go to a temporary file that is synced and renamed,
// so a kill -9 of the daemon leaves the old file or the new one.
package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/pkg/symlink"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/links"
	"github.com/dockerlab/dockerlab/v1_2/pkg/broadcastwriter"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// DefaultPathEnv is the PATH a container gets when neither it nor its
// image sets one.
const DefaultPathEnv = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// The errors of starting, with upstream's messages.
var (
	ErrContainerStart        = errors.New("The container failed to start. Unknown error")
	ErrContainerStartTimeout = errors.New("The container failed to start due to timed out.")
)

// Container is upstream's struct: the exported fields are config.json
// (and most of `docker inspect`); the unexported ones live only while
// the daemon runs.
type Container struct {
	sync.Mutex
	root   string // <root>/containers/<id>: metadata
	basefs string // the graph driver's mount of the container's layer

	ID      string
	Created time.Time

	Path string   // the process to run (entrypoint or Cmd[0])
	Args []string // and its arguments

	Config *runconfig.Config
	State  *State
	Image  string // the image's full id

	NetworkSettings *NetworkSettings

	ResolvConfPath string
	HostnamePath   string
	HostsPath      string
	Name           string // "/name" as in graphdb
	Driver         string // graph driver
	ExecDriver     string // execdriver name, e.g. native-0.2

	command   *execdriver.Command
	stdout    *broadcastwriter.BroadcastWriter // to the log and every attached client
	stderr    *broadcastwriter.BroadcastWriter
	stdin     io.ReadCloser
	stdinPipe io.WriteCloser

	daemon                   *Daemon
	MountLabel, ProcessLabel string // SELinux: always empty in dockerlab
	RestartCount             int

	// Volumes maps a path in the container to a directory on the host;
	// VolumesRW says which are writable (a separate map, as upstream, to
	// keep older config.json readable).
	Volumes    map[string]string
	VolumesRW  map[string]bool
	hostConfig *runconfig.HostConfig

	activeLinks map[string]*links.Link
	monitor     *containerMonitor

	// AutoRemove is dockerlab's: `HostConfig.AutoRemove` of a create
	// body from a client newer than 1.2 (`docker run --rm` moved into
	// the daemon in API 1.25): remove the container when its process ends.
	// 1.2's client removed it itself, after wait.
	AutoRemove bool `json:",omitempty"`
}

// jsonPath, hostConfigPath, logPath: the container's files.
func (container *Container) jsonPath() string {
	return filepath.Join(container.root, "config.json")
}

func (container *Container) hostConfigPath() string {
	return filepath.Join(container.root, "hostconfig.json")
}

// LogPath is the json-file log of the container's output.
func (container *Container) LogPath() string {
	return filepath.Join(container.root, container.ID+"-json.log")
}

// RootPath is the container's metadata directory.
func (container *Container) RootPath() string { return container.root }

// BasefsPath is where the container's filesystem is mounted while it is
// (empty when not mounted).
func (container *Container) BasefsPath() string { return container.basefs }

// RootfsPath is the rootfs the execdriver runs the process in.
func (container *Container) RootfsPath() string { return container.basefs }

// HostConfig is the container's host configuration (never nil once
// created or loaded).
func (container *Container) HostConfig() *runconfig.HostConfig { return container.hostConfig }

// SetHostConfig replaces it (start's job env does this).
func (container *Container) SetHostConfig(hc *runconfig.HostConfig) { container.hostConfig = hc }

// Daemon is the daemon the container belongs to.
func (container *Container) Daemon() *Daemon { return container.daemon }

// Command is what populateCommand built for the execdriver (nil before
// the first start).
func (container *Container) Command() *execdriver.Command { return container.command }

// FromDisk reads config.json and hostconfig.json into container.
func (container *Container) FromDisk() error {
	data, err := os.ReadFile(container.jsonPath())
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, container); err != nil {
		return fmt.Errorf("%s: %w", container.jsonPath(), err)
	}
	if container.State == nil {
		container.State = NewState()
	}
	return container.readHostConfig()
}

// toDisk writes config.json then hostconfig.json. The caller holds the
// container's lock.
func (container *Container) toDisk() error {
	data, err := json.Marshal(container)
	if err != nil {
		return err
	}
	if err := writeFileSynced(container.jsonPath(), data, 0o600); err != nil {
		return err
	}
	return container.WriteHostConfig()
}

// ToDisk saves the container under its lock.
func (container *Container) ToDisk() error {
	container.Lock()
	defer container.Unlock()
	return container.toDisk()
}

// readHostConfig loads hostconfig.json; a container without one (made
// by an older daemon) gets an empty HostConfig.
func (container *Container) readHostConfig() error {
	container.hostConfig = &runconfig.HostConfig{}
	data, err := os.ReadFile(container.hostConfigPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, container.hostConfig); err != nil {
		return fmt.Errorf("%s: %w", container.hostConfigPath(), err)
	}
	return nil
}

// WriteHostConfig saves hostconfig.json.
func (container *Container) WriteHostConfig() error {
	hc := container.hostConfig
	if hc == nil {
		hc = &runconfig.HostConfig{}
	}
	data, err := json.Marshal(hc)
	if err != nil {
		return err
	}
	return writeFileSynced(container.hostConfigPath(), data, 0o600)
}

// LogEvent tells the events service (the "log" job) what happened:
// create, start, die, stop, kill, restart, pause, unpause, destroy.
func (container *Container) LogEvent(action string) {
	d := container.daemon
	if d.eng.IsShutdown() {
		return // the events service is gone with the engine
	}
	from := container.Image
	if d.repositories != nil {
		from = d.repositories.ImageName(container.Image)
	}
	if err := d.eng.Job("log", action, container.ID, from).Run(); err != nil {
		d.logf("Error logging event %s for %s: %s", action, container.ID, err)
	}
}

// getRootResourcePath is a file of the container's metadata directory,
// symlinks followed but never out of it.
func (container *Container) getRootResourcePath(path string) (string, error) {
	return symlink.FollowSymlinkInScope(filepath.Join(container.root, filepath.Clean("/"+path)), container.root)
}

// getResourcePath is path inside the container's filesystem, with
// symlinks followed but never out of it (a link to "/etc" in an image
// means the container's /etc, not the host's).
func (container *Container) getResourcePath(path string) (string, error) {
	return symlink.FollowSymlinkInScope(filepath.Join(container.basefs, filepath.Clean("/"+path)), container.basefs)
}

// Mount asks the graph driver for the container's filesystem (book §12.4
// step 2): its layer on top of the init layer and the image's layers.
func (container *Container) Mount() error {
	return container.daemon.Mount(container)
}

// Unmount gives it back.
func (container *Container) Unmount() error {
	return container.daemon.Unmount(container)
}

// Mount is the daemon's side of Container.Mount: the driver's Get, and a
// check that a container mounts where it mounted before.
func (daemon *Daemon) Mount(container *Container) error {
	dir, err := daemon.driver.Get(container.ID, container.MountLabel)
	if err != nil {
		return fmt.Errorf("Error getting container %s from driver %s: %s", container.ID, daemon.driver, err)
	}
	if container.basefs == "" {
		container.basefs = dir
	} else if container.basefs != dir {
		daemon.driver.Put(container.ID)
		return fmt.Errorf("Error: driver %s is returning inconsistent paths for container %s ('%s' then '%s')",
			daemon.driver, container.ID, container.basefs, dir)
	}
	return nil
}

// Unmount is the driver's Put.
func (daemon *Daemon) Unmount(container *Container) error {
	daemon.driver.Put(container.ID)
	return nil
}

// writeFileSynced writes data to a temporary file next to name, syncs it
// to the disk and renames it over name: a crash at any moment leaves
// either the old file or the new one, never a torn one.
func writeFileSynced(name string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// processOf is the running process as the backend knows it (nil when
// none): for the last-resort SIGKILL, which must go through the backend.
func (container *Container) processOf() backend.Process {
	container.Lock()
	defer container.Unlock()
	if container.command == nil {
		return nil
	}
	return container.command.Process
}
