// Which userland proxy a published port gets, per backend.
//
// Upstream: daemon/networkdriver/portmapper/proxy.go at v1.2.0 (NewProxy =
// NewProxyCommand, its one answer: the docker binary re-executed as
// docker-proxy). See docs/upstream/v1.2.0.md §3.5.
// Book: ch.7 §7.4 (`docker run -p`).
//
// dockerlab has two machines behind the backend seam (docs/design.md "The
// backend"), so the daemon chooses when it starts:
//   - linux: upstream's docker-proxy process, told to open its sockets in
//     the backend's root network namespace (the sandbox, where docker0
//     and the containers are), not in the daemon's own; and, unless
//     --loopback-forward=false, a second one per port that answers on the
//     VM's own 127.0.0.1 (portmapper/loopback.go).
//   - fake: a proxy inside the in-memory kernel (portmapper.InKernel): it
//     listens and dials on the fake's own sockets in its root namespace,
//     never on the machine's ports; a kernel without sockets gets one that
//     opens nothing. See docs/divergences.md "The userland proxy".
package daemon

import (
	"fmt"

	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portmapper"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// chooseUserlandProxy sets portmapper.NewProxy (and the loopback
// forwarder) for config's host and returns a line for the daemon's trace.
func chooseUserlandProxy(config *Config, eng *engine.Engine) string {
	host := config.Host
	portmapper.NewLoopbackForwarder = nil
	portmapper.Logf = func(format string, args ...any) {
		fmt.Fprintf(eng.Stderr, "[warning] "+format+"\n", args...)
	}
	if lh, ok := host.(*linux.Host); ok {
		path := rootNetNSPath(lh.Options())
		portmapper.NewProxy = portmapper.NewProxyCommandIn(path)
		if path == "" {
			return "userland proxy: docker-proxy processes in the daemon's own network namespace"
		}
		line := "userland proxy: docker-proxy processes, sockets in network namespace " + path
		if config.LoopbackForward {
			// The daemon's own namespace is the VM's: there the
			// forwarder listens on 127.0.0.1 (loopback.go).
			portmapper.NewLoopbackForwarder = portmapper.NewLoopbackForwarderIn(path)
			return line + "; each published port also on this machine's 127.0.0.1 (--loopback-forward)"
		}
		return line + "; published ports answer inside that namespace only (--loopback-forward=false)"
	}
	if k, ok := host.(portmapper.SocketKernel); ok {
		portmapper.NewProxy = portmapper.InKernel(k)
		return "userland proxy: in the " + host.Name() + " kernel's own sockets (its root namespace; no host sockets)"
	}
	portmapper.NewProxy = fakeBackendProxy
	return "userland proxy: none on the " + host.Name() + " backend (no sockets; iptables rules only)"
}

// fakeBackendProxy is the stand-in for a machine without sockets: Start
// and Stop succeed and nothing listens. It is the unit tests' mock under a name
// that says why the daemon uses it.
var fakeBackendProxy = portmapper.NewMockProxyCommand

// rootNetNSPath is the namespace file of the linux Host's root namespace,
// the same choice linux.New makes; "" when the Host works in the machine's
// own namespace (--sandbox=false), which is the daemon's too.
func rootNetNSPath(o linux.Options) string {
	switch {
	case o.NetNSPath != "":
		return o.NetNSPath
	case o.HostNetwork:
		return ""
	}
	return linux.SandboxPath(o.SandboxName)
}
