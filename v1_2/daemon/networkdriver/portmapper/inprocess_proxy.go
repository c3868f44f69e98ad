// The userland proxy behind each published port.
//
// Upstream: daemon/networkdriver/portmapper/proxy.go at v1.2.0. Reference
// upstream-v1_2.md §3.5. Upstream re-executed the docker binary as
// "docker-proxy -proto tcp -host-ip ... -container-port ..." (reexec), one
// process per published port, killed with SIGINT on Unmap.
//
// Divergence: here the default proxy runs inside the daemon process (a
// pkg/proxy Proxy on a goroutine), so the socket work needs no re-exec.
// Its sockets must live in the backend's root namespace (on linux, the
// sandbox namespace where docker0 is), so the daemon replaces NewProxy
// with InNamespace(enter) for the linux backend, and with a stub for the
// fake one, whose containers have no real sockets. ProxyMain is the
// "docker-proxy" entry point for a daemon that prefers upstream's
// process-per-port shape.
package portmapper

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/dockerlab/dockerlab/v1_2/pkg/proxy"
)

// userlandProxyCommandName is the argv[0] upstream re-executed itself as.
const userlandProxyCommandName = "docker-proxy"

// UserlandProxy is what Map starts and Unmap stops.
type UserlandProxy interface {
	Start() error
	Stop() error
}

// NewProxy makes the proxy for one mapping; tests swap it for
// NewMockProxyCommand, the daemon for InNamespace(...).
var NewProxy = NewProxyCommand

// NewProxyCommand keeps upstream's name; it returns an in-process proxy in
// the daemon's own network namespace.
func NewProxyCommand(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
	return newInProcessProxy(nil, proto, hostIP, hostPort, containerIP, containerPort)
}

// InNamespace returns a NewProxy whose proxies make their sockets through
// enter (see pkg/proxy.Enter).
func InNamespace(enter proxy.Enter) func(string, net.IP, int, net.IP, int) UserlandProxy {
	return func(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
		return newInProcessProxy(enter, proto, hostIP, hostPort, containerIP, containerPort)
	}
}

// inProcessProxy runs a pkg/proxy Proxy on a goroutine.
type inProcessProxy struct {
	enter           proxy.Enter
	host, container net.Addr

	mu   sync.Mutex
	p    proxy.Proxy
	done chan struct{} // closed when Run returns
}

func newInProcessProxy(enter proxy.Enter, proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) *inProcessProxy {
	host, container := addrs(proto, hostIP, hostPort, containerIP, containerPort)
	return &inProcessProxy{enter: enter, host: host, container: container}
}

// addrs builds the two addresses; an unknown proto gives nil ones, which
// Start reports.
func addrs(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) (net.Addr, net.Addr) {
	switch proto {
	case "tcp":
		return &net.TCPAddr{IP: hostIP, Port: hostPort}, &net.TCPAddr{IP: containerIP, Port: containerPort}
	case "udp":
		return &net.UDPAddr{IP: hostIP, Port: hostPort}, &net.UDPAddr{IP: containerIP, Port: containerPort}
	}
	return nil, nil
}

// Start binds the host port and starts forwarding.
func (pp *inProcessProxy) Start() error {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.host == nil {
		return errors.New("unsupported protocol: want tcp or udp")
	}
	if pp.p != nil {
		return errors.New("proxy already started")
	}
	p, err := proxy.NewProxyIn(pp.enter, pp.host, pp.container)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	pp.p, pp.done = p, done
	go func() { p.Run(); close(done) }()
	return nil
}

// Stop closes the proxy and waits for it to finish, as upstream's Stop
// signalled the proxy process and waited for it.
func (pp *inProcessProxy) Stop() error {
	pp.mu.Lock()
	p, done := pp.p, pp.done
	pp.p = nil
	pp.mu.Unlock()
	if p == nil {
		return nil
	}
	p.Close()
	<-done
	return nil
}

// ProxyMain is the body of "docker-proxy": parse upstream's flags, proxy
// until SIGINT or SIGTERM. args excludes the program name.
func ProxyMain(args []string, stderr io.Writer) int {
	host, container, err := parseHostContainerAddrs(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	p, err := proxy.NewProxy(host, container)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() { <-stop; p.Close() }()
	p.Run()
	return 0
}

// parseHostContainerAddrs reads the flags NewProxyCommand's upstream
// counterpart passed.
func parseHostContainerAddrs(args []string, stderr io.Writer) (net.Addr, net.Addr, error) {
	fs := flag.NewFlagSet(userlandProxyCommandName, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		proto         = fs.String("proto", "tcp", "proxy protocol")
		hostIP        = fs.String("host-ip", "", "host ip")
		hostPort      = fs.Int("host-port", -1, "host port")
		containerIP   = fs.String("container-ip", "", "container ip")
		containerPort = fs.Int("container-port", -1, "container port")
	)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	hip, cip := net.ParseIP(*hostIP), net.ParseIP(*containerIP)
	switch {
	case hip == nil:
		return nil, nil, fmt.Errorf("%s: bad -host-ip %q", userlandProxyCommandName, *hostIP)
	case cip == nil:
		return nil, nil, fmt.Errorf("%s: bad -container-ip %q", userlandProxyCommandName, *containerIP)
	case *hostPort < 0 || *hostPort > 65535 || *containerPort < 1 || *containerPort > 65535:
		return nil, nil, fmt.Errorf("%s: bad port (-host-port %d, -container-port %d)", userlandProxyCommandName, *hostPort, *containerPort)
	}
	host, container := addrs(*proto, hip, *hostPort, cip, *containerPort)
	if host == nil {
		return nil, nil, fmt.Errorf("unsupported protocol %s", *proto)
	}
	return host, container, nil
}
