// The machine whose mounts the overlay driver uses.
//
// Not upstream: the backend seam (docs/design.md "The backend").
//
// Upstream's drivers called mount(2) directly (pkg/mount). Here one
// package-level Host stands for the kernel, as in the networking packages
// (networkdriver.SetHost): the daemon sets it before New, tests point it at
// a fake kernel or at a linuxtest host. vfs needs no kernel at all.
package graphdriver

import (
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

var (
	hostMu sync.RWMutex
	host   backend.Host
)

// SetHost chooses the machine drivers mount on (nil: none).
func SetHost(h backend.Host) {
	hostMu.Lock()
	host = h
	hostMu.Unlock()
}

// CurrentHost is the machine set by SetHost, or nil.
func CurrentHost() backend.Host {
	hostMu.RLock()
	defer hostMu.RUnlock()
	return host
}
