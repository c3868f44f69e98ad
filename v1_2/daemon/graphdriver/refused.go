// The drivers Docker 1.2.0 had that dockerlab does not build. They stay
// registered so `-s aufs` explains itself; New skips them because the
// error wraps ErrNotSupported.
//
// Upstream: daemon/graphdriver/aufs at v1.2.0, daemon/graphdriver/btrfs at
// v1.2.0, daemon/graphdriver/devmapper at v1.2.0 (their names and init
// registrations only).
// Book: ch.10 §10.4 (reads the aufs driver).
package graphdriver

import "fmt"

var refusals = map[string]string{
	"aufs":         "it was never merged into the mainline kernel and current kernels do not ship it",
	"btrfs":        "it needs a btrfs file system under the graph root and the btrfs ioctls",
	"devicemapper": "it needs the device-mapper thin-pool and libdevmapper",
}

func init() {
	for name, why := range refusals {
		name, why := name, why
		Register(name, func(home string, options []string) (Driver, error) {
			return nil, fmt.Errorf("%s is not available: %s; dockerlab uses overlay instead, or vfs where overlay cannot run (see docs/divergences.md): %w",
				name, why, ErrNotSupported)
		})
	}
}
