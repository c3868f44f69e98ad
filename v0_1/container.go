// Container: one process in its own namespaces on an image's filesystem,
// with an address on lxcbr0, its logs, and its state on disk.
//
// Upstream: container.go at v0.1.0 (Config, ParseRun, Container,
// NetworkSettings, Start, monitor, Stop, Kill, Restart, Wait, the pipes,
// Changes, Export). See docs/upstream/v0.1.0.md §6, §9.13, §9.14, §9.18.
// Notes: 002 "/sbin/init" (what runs first inside the container), "恢复容器"
// (how containers come back from disk); the note does not walk Start.
//
// Divergences (docs/divergences.md "v0.1 containers"):
//   - no lxc-start: the process starts through backend.Host.Start, and the
//     pid in State is the container's first process, not lxc-start's;
//   - Start refuses a running container (0.1.0 started a second one, §9.14);
//   - the log files are opened at Start and closed at exit (0.1.0 opened
//     them at every Register and never closed them, §9.18);
//   - config.json is written to a temporary file and renamed into place;
//   - -m makes a cgroup "dockerlab/v0.1/<id>" with that memory limit.
package docker

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

// Config is 0.1.0's container configuration. Its fields have no json
// tags, so an image's json shows them with these exact names
// ("Hostname", "Cmd", …), as in 2013.
type Config struct {
	Hostname   string
	User       string
	Memory     int64 // bytes
	MemorySwap int64
	Detach     bool
	Ports      []int
	Tty        bool // attach a pseudo-terminal
	OpenStdin  bool // keep stdin open even when nothing is attached
	Env        []string
	Cmd        []string
	Image      string // the name the user gave, before lookup
}

// NetworkSettings is what a running container got from the network
// manager, as config.json and `inspect` show it.
type NetworkSettings struct {
	IpAddress   string
	IpPrefixLen int
	Gateway     string
	PortMapping map[string]string // private port → public port
}

// Container is 0.1.0's container. Exported fields are config.json.
type Container struct {
	root string

	Id      string
	Created time.Time
	Path    string
	Args    []string
	Config  *Config
	State   State
	Image   string // the image id

	network         *NetworkInterface
	NetworkSettings *NetworkSettings

	SysInitPath string

	process  backend.Process
	cgroup   string // "" without -m
	vethHost string

	stdout    *writeBroadcaster
	stderr    *writeBroadcaster
	stdin     io.ReadCloser
	stdinPipe io.WriteCloser

	runtime *Runtime

	// lock orders Start, the monitor's cleanup and readers of the fields
	// above (ps, inspect): a restart must not begin before the previous
	// run's cleanup and its config.json are done.
	lock sync.Mutex
}

// running reads State.Running under the state's lock.
func (container *Container) running() bool {
	c := container.State.sync()
	c.lock.Lock()
	defer c.lock.Unlock()
	return container.State.Running
}

// ports is the repeatable -p flag.
type ports []int

func (p *ports) String() string { return fmt.Sprint(*p) }
func (p *ports) Set(value string) error {
	port, err := strconv.Atoi(value)
	if err != nil {
		return fmt.Errorf("Invalid port: %v", value)
	}
	*p = append(*p, port)
	return nil
}

// ListOpts is the repeatable -e flag.
type ListOpts []string

func (opts *ListOpts) String() string { return fmt.Sprint(*opts) }
func (opts *ListOpts) Set(value string) error {
	*opts = append(*opts, value)
	return nil
}

// ParseRun reads `docker run`'s flags. The first argument after them is
// the image, the rest the command. Empty arguments give the usage, not
// 0.1.0's panic (§9.1).
func ParseRun(args []string, stdout io.Writer) (*Config, error) {
	cmd := rcli.Subcmd(stdout, "run", "[OPTIONS] IMAGE COMMAND [ARG...]", "Run a command in a new container")
	flUser := cmd.String("u", "", "Username or UID")
	flDetach := cmd.Bool("d", false, "Detached mode: leave the container running in the background")
	flStdin := cmd.Bool("i", false, "Keep stdin open even if not attached")
	flTty := cmd.Bool("t", false, "Allocate a pseudo-tty")
	flMemory := cmd.Int64("m", 0, "Memory limit (in bytes)")
	var flPorts ports
	cmd.Var(&flPorts, "p", "Map a network port to the container")
	var flEnv ListOpts
	cmd.Var(&flEnv, "e", "Set environment variables")
	if err := cmd.Parse(args); err != nil {
		return nil, err
	}
	if cmd.NArg() == 0 {
		cmd.Usage()
		return nil, flag.ErrHelp
	}
	for _, port := range flPorts {
		if port < 1 || port > 65535 {
			return nil, fmt.Errorf("Invalid port: %d", port)
		}
	}
	if *flMemory < 0 {
		return nil, fmt.Errorf("Invalid memory limit: %d", *flMemory)
	}
	return &Config{
		Ports:     flPorts,
		User:      *flUser,
		Tty:       *flTty,
		OpenStdin: *flStdin,
		Memory:    *flMemory,
		Detach:    *flDetach,
		Env:       flEnv,
		Cmd:       cmd.Args()[1:],
		Image:     cmd.Arg(0),
	}, nil
}

// Paths inside the container's directory.
func (container *Container) jsonPath() string   { return filepath.Join(container.root, "config.json") }
func (container *Container) RootfsPath() string { return filepath.Join(container.root, "rootfs") }
func (container *Container) rwPath() string     { return filepath.Join(container.root, "rw") }
func (container *Container) logPath(n string) string {
	return filepath.Join(container.root, container.Id+"-"+n+".log")
}

// FromDisk reads config.json.
func (container *Container) FromDisk() error {
	data, err := os.ReadFile(container.jsonPath())
	if err != nil {
		return err
	}
	return json.Unmarshal(data, container)
}

// ToDisk writes config.json through a temporary file and a rename, so a
// reader (or a crash) never sees half a file.
func (container *Container) ToDisk() error {
	data, err := json.Marshal(container)
	if err != nil {
		return err
	}
	tmp := container.jsonPath() + ".tmp"
	if err := os.WriteFile(tmp, data, 0600); err != nil {
		return err
	}
	return os.Rename(tmp, container.jsonPath())
}

// Mounted says whether the rootfs shows the image.
func (container *Container) Mounted() bool {
	entries, err := os.ReadDir(container.RootfsPath())
	return err == nil && len(entries) > 0
}

// EnsureMounted mounts the image under rootfs unless it is there.
func (container *Container) EnsureMounted() error {
	if container.Mounted() {
		return nil
	}
	image, err := container.GetImage()
	if err != nil {
		return err
	}
	return image.Mount(container.runtime.host, container.RootfsPath(), container.rwPath())
}

// Unmount takes the overlay off rootfs (linux). On the fake the rootfs
// is a copy and stays, like a mount that was never taken down.
func (container *Container) Unmount() error {
	if container.runtime.host.Name() != "linux" || !container.Mounted() {
		return nil
	}
	return container.runtime.host.Unmount(container.RootfsPath())
}

// GetImage is the image the container was made from.
func (container *Container) GetImage() (*Image, error) {
	return container.runtime.graph.Get(container.Image)
}

// allocateNetwork takes an address and the -p ports.
func (container *Container) allocateNetwork() error {
	iface, err := container.runtime.networkManager.Allocate()
	if err != nil {
		return err
	}
	settings := &NetworkSettings{PortMapping: map[string]string{}}
	for _, port := range container.Config.Ports {
		extPort, err := iface.AllocatePort(port)
		if err != nil {
			iface.Release()
			return err
		}
		settings.PortMapping[strconv.Itoa(port)] = strconv.Itoa(extPort)
	}
	ones, _ := iface.IPNet.Mask.Size()
	settings.IpAddress = iface.IPNet.IP.String()
	settings.IpPrefixLen = ones
	settings.Gateway = iface.Gateway.String()
	container.network = iface
	container.NetworkSettings = settings
	return nil
}

// releaseNetwork gives the address and ports back. NetworkSettings stay,
// as in 0.1.0, so a stopped container still shows its last address.
func (container *Container) releaseNetwork() {
	if container.network == nil {
		return
	}
	if err := container.network.Release(); err != nil {
		log.Printf("%s: releasing the network: %v", container.Id, err)
	}
	container.network = nil
}

// openLogs attaches <id>-stdout.log and <id>-stderr.log (append, 0600).
func (container *Container) openLogs() error {
	for name, b := range map[string]*writeBroadcaster{"stdout": container.stdout, "stderr": container.stderr} {
		f, err := os.OpenFile(container.logPath(name), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0600)
		if err != nil {
			return err
		}
		b.AddWriter(f)
	}
	return nil
}

// environment is what lxc-start passed on: HOME and PATH, then -e, with
// no de-duplication.
func (container *Container) environment() []string {
	env := []string{"HOME=/", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	return append(env, container.Config.Env...)
}

// Start runs the container's command: 0.1.0's steps (mount, network,
// config.lxc, start, setRunning, ToDisk, monitor) on the backend.
func (container *Container) Start() error {
	container.lock.Lock()
	defer container.lock.Unlock()
	if container.running() {
		return fmt.Errorf("Container %s is already running", container.Id)
	}
	host := container.runtime.host
	if err := container.EnsureMounted(); err != nil {
		return err
	}
	if err := container.allocateNetwork(); err != nil {
		return err
	}
	undo := func(err error) error {
		container.releaseNetwork()
		container.deleteCgroup()
		return err
	}
	if err := container.generateLXCConfig(); err != nil {
		return undo(err)
	}
	uid, gid, err := lookupUser(container.RootfsPath(), container.Config.User)
	if err != nil {
		return undo(err)
	}
	// lxc.cgroup.*: the device whitelist always, the memory limit with -m.
	devices, err := lxcDevices()
	if err != nil {
		return undo(err)
	}
	confine, err := lxcConfinement()
	if err != nil {
		return undo(err)
	}
	cg := host.Cgroups()
	// The parents first, as mkdir -p would; they stay for the next one.
	for _, dir := range []string{"dockerlab", "dockerlab/v0.1", "dockerlab/v0.1/" + container.Id} {
		if err := cg.Create(dir); err != nil && !errors.Is(err, backend.ErrExists) {
			return undo(err)
		}
	}
	container.cgroup = "dockerlab/v0.1/" + container.Id
	if err := cg.Set(container.cgroup, backend.Resources{Memory: container.Config.Memory, Devices: devices}); err != nil {
		return undo(err)
	}
	if err := container.openLogs(); err != nil {
		return undo(err)
	}
	spec := backend.ProcSpec{
		Args:       append([]string{container.Path}, container.Args...),
		Env:        container.environment(),
		Namespaces: backend.AllNamespaces(),
		Hostname:   container.lxcHostname(),
		Rootfs:     container.RootfsPath(),
		Uid:        uid,
		Gid:        gid,
		Stdout:     container.stdout,
		Stderr:     container.stderr,
		Cgroup:     container.cgroup,
		Confine:    confine, // lxc.cap.drop and the read-only /proc/sys
		// -t: one pty for all three streams (0.1.0 opened three ptys);
		// the fake has no terminals and ignores it.
		Tty: container.Config.Tty,
		Setup: func(p backend.Process) error {
			name, err := setupNetwork(host, p, container.network)
			container.vethHost = name
			return err
		},
	}
	if container.Config.OpenStdin {
		spec.Stdin = container.stdin
	}
	process, err := host.Start(spec)
	if errors.Is(err, backend.ErrProgNotFound) {
		// sysinit's answer to a missing program: a message and 127.
		fmt.Fprintf(container.stderr, "Unable to locate %v\n", container.Path)
		container.State.setRunning(0)
		container.exitedLocked(127)
		return nil
	}
	if err != nil {
		container.stdout.CloseWriters()
		container.stderr.CloseWriters()
		return undo(err)
	}
	container.process = process
	container.State.setRunning(process.Pid())
	if err := container.ToDisk(); err != nil {
		log.Printf("%s: %v", container.Id, err)
	}
	go container.monitor()
	return nil
}

// Run is Start then Wait.
func (container *Container) Run() error {
	if err := container.Start(); err != nil {
		return err
	}
	container.Wait()
	return nil
}

// monitor waits for the process and cleans up after it.
func (container *Container) monitor() {
	status, err := container.process.Wait()
	if err != nil {
		log.Printf("%s: waiting for the process: %v", container.Id, err)
	}
	container.exited(status.Code)
}

// exited is monitor's second half: release the network, close the
// pipes and logs, unmount, drop the cgroup, record the exit.
func (container *Container) exited(code int) {
	container.lock.Lock()
	defer container.lock.Unlock()
	container.exitedLocked(code)
}

func (container *Container) exitedLocked(code int) {
	container.releaseNetwork()
	if container.vethHost != "" {
		// The peer died with the namespace, which takes this end too;
		// deleting it is for a backend that kept it.
		container.runtime.host.Root().LinkDel(container.vethHost)
		container.vethHost = ""
	}
	container.stdout.CloseWriters()
	container.stderr.CloseWriters()
	if err := container.Unmount(); err != nil {
		log.Printf("%s: unmount: %v", container.Id, err)
	}
	container.deleteCgroup()
	if container.Config.OpenStdin {
		// A new pipe for the next start; the old one is finished.
		container.stdin.Close()
		container.stdin, container.stdinPipe = io.Pipe()
	}
	container.process = nil
	container.State.setStopped(code)
	if err := container.ToDisk(); err != nil {
		log.Printf("%s: %v", container.Id, err)
	}
}

func (container *Container) deleteCgroup() {
	if container.cgroup == "" {
		return
	}
	if err := container.runtime.host.Cgroups().Delete(container.cgroup); err != nil && !errors.Is(err, backend.ErrNotFound) {
		log.Printf("%s: deleting cgroup: %v", container.Id, err)
	}
	container.cgroup = ""
}

// signal sends sig to the container's first process.
func (container *Container) signal(sig syscall.Signal) error {
	container.lock.Lock()
	p := container.process
	container.lock.Unlock()
	if p == nil {
		return nil
	}
	if err := p.Signal(sig); err != nil && !errors.Is(err, backend.ErrNotFound) {
		return err
	}
	return nil
}

// Kill sends SIGKILL and waits for the exit. Nothing when not running.
func (container *Container) Kill() error {
	if !container.running() {
		return nil
	}
	if err := container.signal(syscall.SIGKILL); err != nil {
		return err
	}
	container.Wait()
	return nil
}

// Stop sends SIGTERM (lxc-kill -n <id> 15), waits 10 seconds, then
// kills. A shell that is pid 1 ignores SIGTERM, on the real kernel and
// on the fake, so `docker stop` of `sh -c …` takes the full 10 seconds.
func (container *Container) Stop() error {
	if !container.running() {
		return nil
	}
	if err := container.signal(syscall.SIGTERM); err != nil {
		log.Printf("%s: SIGTERM failed, killing: %v", container.Id, err)
		return container.Kill()
	}
	if err := container.WaitTimeout(10 * time.Second); err != nil {
		return container.Kill()
	}
	return nil
}

// Restart is Stop then Start.
func (container *Container) Restart() error {
	if err := container.Stop(); err != nil {
		return err
	}
	return container.Start()
}

// Wait blocks until the container is not running and returns its exit code.
func (container *Container) Wait() int {
	return container.State.waitStopped()
}

// WaitTimeout is Wait with a limit.
func (container *Container) WaitTimeout(timeout time.Duration) error {
	done := make(chan struct{})
	go func() {
		container.Wait()
		close(done)
	}()
	select {
	case <-time.After(timeout):
		return errors.New("Timed Out")
	case <-done:
		return nil
	}
}

// StdinPipe is the writing end of the container's stdin (a sink without -i).
func (container *Container) StdinPipe() (io.WriteCloser, error) {
	container.lock.Lock()
	defer container.lock.Unlock()
	return container.stdinPipe, nil
}

// StdoutPipe and StderrPipe give a reader of everything the process
// writes from now on, until it exits or the reader is closed (0.1.0's
// Close did nothing: a reader stayed until the process exited).
func (container *Container) StdoutPipe() (io.ReadCloser, error) {
	reader, writer := io.Pipe()
	container.stdout.AddWriter(writer)
	return newBufReader(reader), nil
}

func (container *Container) StderrPipe() (io.ReadCloser, error) {
	reader, writer := io.Pipe()
	container.stderr.AddWriter(writer)
	return newBufReader(reader), nil
}

// Changes lists what the container changed against its image.
func (container *Container) Changes() ([]Change, error) {
	image, err := container.GetImage()
	if err != nil {
		return nil, err
	}
	layers, err := image.layers()
	if err != nil {
		return nil, err
	}
	rw, done, err := container.rwLayer()
	if err != nil {
		return nil, err
	}
	defer done()
	return Changes(layers, rw)
}

// tarDir streams Tar(dir) through a pipe.
func tarDir(dir string) io.ReadCloser {
	reader, writer := io.Pipe()
	go func() { writer.CloseWithError(Tar(dir, writer)) }()
	return reader
}

// ExportRw is the container's own layer as a tar stream (what commit
// stores). The caller reads it to the end, then calls done.
func (container *Container) ExportRw() (data io.ReadCloser, done func(), err error) {
	rw, done, err := container.rwLayer()
	if err != nil {
		return nil, nil, err
	}
	return tarLayer(rw), done, nil
}

// Export is the whole filesystem as a tar stream.
func (container *Container) Export() (io.ReadCloser, error) {
	if err := container.EnsureMounted(); err != nil {
		return nil, err
	}
	return tarDir(container.RootfsPath()), nil
}

// commandLine is ps's COMMAND: the path and the arguments.
func (container *Container) commandLine() string {
	return strings.TrimSpace(container.Path + " " + strings.Join(container.Args, " "))
}
