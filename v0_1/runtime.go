// Runtime: the daemon's state — its directories, the image graph, the
// tags, the network manager, the registry credentials and the containers.
//
// Upstream: runtime.go at v0.1.0 (Runtime, NewRuntime,
// NewRuntimeFromDirectory, List, restore). See docs/upstream/v0.1.0.md §2.
// Notes: 002 "创建runtime" (NewRuntime → NewRuntimeFromDirectory: the
// containers directory, graph, repositories, the network manager, the
// credentials, restore).
//
// The containers' half (Create, Load, Register, Get, Destroy, Commit) is
// in runtime_containers.go.
//
// Divergences (docs/divergences.md "dockerlab's paths", "the seam"):
//   - the default root is /var/lib/dockerlab/v0.1 as root (never
//     /var/lib/docker) and a directory of the user's otherwise;
//   - the Runtime reaches the kernel only through a backend.Host, given by
//     the caller, so the same code runs on the real and the fake kernel.
package docker

import (
	"container/list"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v0_1/auth"
	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

// Runtime holds everything the commands work on. Field names are 0.1.0's;
// host is dockerlab's seam to the kernel.
type Runtime struct {
	root           string
	repository     string     // root/containers
	containers     *list.List // of *Container; filled by restore once containers exist
	networkManager *NetworkManager
	graph          *Graph
	repositories   *TagStore
	authConfig     *auth.AuthConfig
	host           backend.Host
	// registry is the endpoint pull and push use: REGISTRY_ENDPOINT, or
	// the daemon's --registry (dockerlab's; the 2013 registry is gone).
	registry string

	lock     sync.Mutex // guards containers: commands run concurrently
	tagsLock sync.Mutex // serialises Create's tag lookups
}

// DefaultRoot is where NewRuntime keeps its state.
func DefaultRoot() string {
	if os.Geteuid() == 0 {
		return "/var/lib/dockerlab/v0.1"
	}
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "dockerlab", "v0.1")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "dockerlab", "v0.1")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("dockerlab-%d", os.Getuid()), "v0.1")
}

// NewRuntime opens the runtime at DefaultRoot().
func NewRuntime(host backend.Host) (*Runtime, error) {
	return NewRuntimeFromDirectory(host, DefaultRoot())
}

// NewRuntimeFromDirectory builds the runtime in 0.1.0's order: the
// containers directory (which also makes root, both 0700), the graph, the
// tag store, the network manager on lxcbr0 (resetting the DOCKER chain),
// the auth config, then restore.
func NewRuntimeFromDirectory(host backend.Host, root string) (*Runtime, error) {
	if host == nil {
		return nil, errors.New("NewRuntimeFromDirectory: no backend host")
	}
	if root == "" {
		return nil, errors.New("NewRuntimeFromDirectory: empty root directory")
	}
	runtimeRepo := filepath.Join(root, "containers")
	if err := os.MkdirAll(runtimeRepo, 0700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	g, err := NewGraph(filepath.Join(root, "graph"))
	if err != nil {
		return nil, err
	}
	repositories, err := NewTagStore(filepath.Join(root, "repositories"), g)
	if err != nil {
		return nil, fmt.Errorf("Couldn't create Tag store: %s", err)
	}
	netManager, err := newNetworkManager(host, networkBridgeIface)
	if err != nil {
		return nil, err
	}
	// A missing .dockercfg gives an empty config and an error; 0.1.0 kept
	// the config and dropped the error, so authConfig is never nil.
	authConfig, err := auth.LoadConfig(root)
	if authConfig == nil {
		if err == nil {
			err = errors.New("no auth config")
		}
		return nil, err
	}
	runtime := &Runtime{
		root:           root,
		repository:     runtimeRepo,
		containers:     list.New(),
		networkManager: netManager,
		graph:          g,
		repositories:   repositories,
		authConfig:     authConfig,
		host:           host,
		registry:       REGISTRY_ENDPOINT,
	}
	if err := runtime.restore(); err != nil {
		return nil, err
	}
	return runtime, nil
}

// Root is the runtime's directory.
func (runtime *Runtime) Root() string { return runtime.root }

// Graph is the runtime's image store.
func (runtime *Runtime) Graph() *Graph { return runtime.graph }

// Repositories is the runtime's tag store.
func (runtime *Runtime) Repositories() *TagStore { return runtime.repositories }

// List returns the containers, newest first.
func (runtime *Runtime) List() []*Container {
	runtime.lock.Lock()
	var containers []*Container
	for e := runtime.containers.Front(); e != nil; e = e.Next() {
		containers = append(containers, e.Value.(*Container))
	}
	runtime.lock.Unlock()
	sort.SliceStable(containers, func(i, j int) bool { return containers[i].Created.After(containers[j].Created) })
	return containers
}

// restore loads every directory of containers/ (0.1.0 logged failures and
// went on). A container saved as running has no process this Runtime can
// wait for or signal: 0.1.0 left it "running" for ever; here it comes
// back stopped with exit code -1 (docs/divergences.md "v0.1 containers"),
// and the process it left is ended (reconcile).
func (runtime *Runtime) restore() error {
	entries, err := os.ReadDir(runtime.repository)
	if err != nil {
		return err
	}
	var loaded []*Container
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		container, err := runtime.Load(e.Name())
		if err != nil {
			log.Printf("Failed to load container %v: %v", e.Name(), err)
			continue
		}
		loaded = append(loaded, container)
		Debugf("Loaded container %v", container.Id)
	}
	// Not in 0.1.0: end what the previous daemon's containers left
	// running and mounted (runtime_restore.go).
	runtime.reconcile(loaded)
	return nil
}

// Debugf logs when the daemon runs with -D (utils.go in 0.1.0).
func Debugf(format string, args ...any) {
	if rcli.DEBUG_FLAG {
		log.Printf("[debug] "+format, args...)
	}
}
