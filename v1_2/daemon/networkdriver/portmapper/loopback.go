// The loopback forwarder: a published port also answers on the VM's own
// 127.0.0.1, when the linux backend keeps docker0 and the containers in a
// sandbox network namespace.
//
// Not upstream: a bridge across the backend seam (docs/divergences.md
// "The userland proxy").
// Book: ch.7 §7.4 (`docker run -p`).
//
// Docker 1.2 ran in the machine's own namespace, so its docker-proxy on
// 0.0.0.0:8080 answered `curl 127.0.0.1:8080` on the machine. dockerlab's
// sandbox is another namespace: its docker-proxy and DNAT rule answer only
// there, and from the VM the port was silent. So, beside the sandbox's
// docker-proxy, Map starts a second docker-proxy process that listens on
// the VM's 127.0.0.1:<host port> — loopback only, never another of the
// VM's addresses, and no iptables rule of the VM — and dials the container
// from inside the sandbox (-dial-netns). Unmap stops it. `dockerlab v1.2
// daemon --loopback-forward=false` turns it off.
package portmapper

import (
	"net"
	"strconv"
)

// NewLoopbackForwarder makes the forwarder of one published port; nil
// (the default, and the fake backend's) means none.
var NewLoopbackForwarder func(proto string, hostPort int, containerIP net.IP, containerPort int) UserlandProxy

// Logf reports what the forwarder could not do; the daemon points it at
// its log. A forwarder is a convenience: its failure (the VM's port taken)
// does not fail the mapping.
var Logf = func(format string, args ...any) {}

// NewLoopbackForwarderIn returns a NewLoopbackForwarder whose docker-proxy
// processes listen on 127.0.0.1 in their own namespace (the daemon's, the
// VM's) and dial from the namespace whose file is netnsPath.
func NewLoopbackForwarderIn(netnsPath string) func(string, int, net.IP, int) UserlandProxy {
	return func(proto string, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
		return &proxyCommand{args: []string{
			userlandProxyCommandName,
			"-proto", proto,
			"-host-ip", "127.0.0.1",
			"-host-port", strconv.Itoa(hostPort),
			"-container-ip", containerIP.String(),
			"-container-port", strconv.Itoa(containerPort),
			"-dial-netns", netnsPath,
		}}
	}
}

// startLoopbackForwarder starts m's forwarder when there is a factory and
// the port is published on all addresses or on loopback (a port bound to
// another address of the sandbox was not meant for loopback).
func startLoopbackForwarder(m *mapping, hostIP net.IP, hostPort int) {
	if NewLoopbackForwarder == nil || !(hostIP.IsUnspecified() || hostIP.IsLoopback()) {
		return
	}
	containerIP, containerPort := getIPAndPort(m.container)
	fw := NewLoopbackForwarder(m.proto, hostPort, containerIP, containerPort)
	if err := fw.Start(); err != nil {
		Logf("port %d/%s is published in the sandbox only: the VM's 127.0.0.1:%d could not be forwarded (%v)", hostPort, m.proto, hostPort, err)
		return
	}
	m.loopbackForwarder = fw
}
