// Choosing a storage driver. Drivers register themselves from init(); the
// daemon imports the driver packages it wants and calls New.
//
// Upstream: daemon/graphdriver/driver.go at v1.2.0 (Register, GetDriver,
// New). See docs/upstream/v1.2.0.md §2.3 step 8.
// Book: ch.4 §4.6 (NewDaemon's graphdriver), ch.10.
package graphdriver

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

var (
	// DefaultDriver is the -s/--storage-driver flag; "" lets New choose.
	DefaultDriver string

	registryMu sync.Mutex
	drivers    = map[string]InitFunc{}

	// priority is the order New tries drivers in. Upstream's list was aufs,
	// btrfs, devicemapper, vfs; dockerlab keeps those names (they refuse
	// with an explanation) and puts overlay before vfs.
	priority = []string{"aufs", "btrfs", "devicemapper", "overlay", "vfs"}
)

// Register adds a driver under name; a name can be taken once.
func Register(name string, initFunc InitFunc) error {
	registryMu.Lock()
	defer registryMu.Unlock()
	if name == "" || initFunc == nil {
		return fmt.Errorf("graphdriver: Register needs a name and an init function (got %q)", name)
	}
	if _, exists := drivers[name]; exists {
		return fmt.Errorf("Name already registered %s", name)
	}
	drivers[name] = initFunc
	return nil
}

// GetDriver starts the driver called name with its home at <home>/<name>.
func GetDriver(name, home string, options []string) (Driver, error) {
	registryMu.Lock()
	initFunc, exists := drivers[name]
	registryMu.Unlock()
	if !exists {
		return nil, fmt.Errorf("graph driver %q is not registered (registered: %s): %w",
			name, strings.Join(Registered(), ", "), ErrNotSupported)
	}
	return initFunc(filepath.Join(home, name), options)
}

// Registered lists the registered driver names, sorted.
func Registered() []string {
	registryMu.Lock()
	defer registryMu.Unlock()
	names := make([]string, 0, len(drivers))
	for name := range drivers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// New picks the driver for a daemon rooted at root: $DOCKER_DRIVER if
// set, else DefaultDriver if set (either one is final: its error is
// returned), else the first of the priority list that works, else any
// other registered driver that works.
func New(root string, options []string) (Driver, error) {
	d, _, err := NewExplained(root, options)
	return d, err
}

// NewExplained is New that also says why each driver tried before the
// chosen one was passed over (for the daemon's trace, e.g. "overlay needs
// the linux backend; ...").
func NewExplained(root string, options []string) (Driver, []string, error) {
	for _, name := range []string{os.Getenv("DOCKER_DRIVER"), DefaultDriver} {
		if name != "" {
			d, err := GetDriver(name, root, options)
			return d, nil, err
		}
	}
	tried := map[string]bool{}
	var skipped []string
	try := func(name string) (Driver, error) {
		tried[name] = true
		d, err := GetDriver(name, root, options)
		if err != nil && skippable(err) {
			skipped = append(skipped, err.Error())
			return nil, nil
		}
		return d, err
	}
	for _, name := range priority {
		if d, err := try(name); d != nil || err != nil {
			return d, skipped, err
		}
	}
	// Upstream walked the map (random order); dockerlab goes by name.
	for _, name := range Registered() {
		if tried[name] {
			continue
		}
		if d, err := try(name); d != nil || err != nil {
			return d, skipped, err
		}
	}
	return nil, skipped, fmt.Errorf("No supported storage backend found (%s)", strings.Join(skipped, "; "))
}
