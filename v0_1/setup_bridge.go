// SetupBridge: make the lxcbr0 bridge that Docker 0.1.0 expected to find.
//
// Not upstream: Docker 0.1.0 expected lxcbr0 to exist. See
// docs/upstream/v0.1.0.md §1 (host requirements), §10.
// Notes: 002 "关于lxcbr0", "lxc安装" (lxcbr0 appears once lxc is installed).
//
// In 2013 Ubuntu's lxc package ran lxc-net at boot, which created lxcbr0
// with 10.0.3.1/24 and brought it up (plus dnsmasq and a MASQUERADE rule,
// which 0.1.0 did not need to start).
// `dockerlab v0.1 setup-bridge` runs this on the selected backend (inside
// the sandbox namespace on linux).
package docker

import (
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/dockerlab/dockerlab/backend"
)

// lxcBridgeAddr is lxc-net's default address for lxcbr0.
var lxcBridgeAddr = &net.IPNet{IP: net.IPv4(10, 0, 3, 1).To4(), Mask: net.CIDRMask(24, 32)}

// SetupBridge creates lxcbr0 with 10.0.3.1/24 and sets it up, in host's
// root namespace. What exists already is kept, so it can run twice; each
// step prints what it did.
func SetupBridge(host backend.Host, out io.Writer) error {
	ns := host.Root()
	name := networkBridgeIface
	switch err := ns.AddBridge(name, 0); {
	case err == nil:
		fmt.Fprintf(out, "created bridge %s\n", name)
	case errors.Is(err, backend.ErrExists):
		link, lerr := ns.LinkByName(name)
		if lerr != nil {
			return lerr
		}
		if link.Kind != backend.KindBridge {
			return fmt.Errorf("%s exists but is a %s, not a bridge: delete it first", name, link.Kind)
		}
		fmt.Fprintf(out, "bridge %s already exists\n", name)
	default:
		return err
	}
	switch err := ns.AddrAdd(name, lxcBridgeAddr); {
	case err == nil:
		fmt.Fprintf(out, "added address %s to %s\n", lxcBridgeAddr, name)
	case errors.Is(err, backend.ErrExists):
		fmt.Fprintf(out, "%s already has address %s\n", name, lxcBridgeAddr)
	default:
		return err
	}
	if err := ns.LinkSetUp(name); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is up\n", name)
	return nil
}
