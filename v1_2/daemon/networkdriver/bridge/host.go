// The machine the bridge driver works on.
//
// Not upstream: the backend seam (docs/design.md "The backend").
//
// Upstream's driver used netlink, /proc/sys and /sbin/iptables of the
// machine it ran on. Here everything goes through a backend.Host, which a
// daemon hands over once, before it runs the "init_networkdriver" job:
//
//	bridge.SetHost(h)
//
// A job's env carries only strings, so the Host cannot travel in it;
// SetHost also points networkdriver (routes, addresses) and pkg/iptables
// (Raw) at the same Host, so there is one thing to wire.
package bridge

import (
	"errors"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
)

var (
	hostMu sync.RWMutex
	host   backend.Host
)

// errNoHost is what InitDriver says when the daemon forgot SetHost.
var errNoHost = errors.New("bridge: no backend host set (the daemon must call bridge.SetHost before init_networkdriver)")

// SetHost chooses the machine for the bridge driver, networkdriver and
// pkg/iptables. nil unsets it.
func SetHost(h backend.Host) {
	hostMu.Lock()
	host = h
	hostMu.Unlock()
	networkdriver.SetHost(h)
	iptables.SetHost(h)
}

// rootNet is the root namespace of the current host.
func rootNet() (backend.Net, error) {
	hostMu.RLock()
	defer hostMu.RUnlock()
	if host == nil {
		return nil, errNoHost
	}
	return host.Root(), nil
}
