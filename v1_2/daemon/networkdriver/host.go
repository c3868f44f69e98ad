// The kernel this package asks about links, addresses and routes.
//
// Not upstream: the backend seam (docs/design.md "The backend").
//
// Upstream called netlink and net.InterfaceByName directly, with one test hook,
// networkGetRoutesFct. Here one package-level Host replaces both; the
// bridge driver sets it (bridge.SetHost) before InitDriver runs, and
// tests point it at a fake kernel.
package networkdriver

import (
	"errors"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

var (
	hostMu sync.RWMutex
	host   backend.Host
)

// ErrNoHost is returned by every kernel query before SetHost.
var ErrNoHost = errors.New("networkdriver: no backend host set (call SetHost first)")

// SetHost chooses the machine whose root namespace is queried.
func SetHost(h backend.Host) {
	hostMu.Lock()
	host = h
	hostMu.Unlock()
}

// rootNet is the root namespace of the current host.
func rootNet() (backend.Net, error) {
	hostMu.RLock()
	h := host
	hostMu.RUnlock()
	if h == nil {
		return nil, ErrNoHost
	}
	return h.Root(), nil
}
