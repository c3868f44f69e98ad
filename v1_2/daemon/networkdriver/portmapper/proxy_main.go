// docker-proxy, the child's half: parse upstream's flags, enter the
// network namespace it was given, listen, report on fd 3, proxy until
// SIGINT or SIGTERM.
//
// Upstream: daemon/networkdriver/portmapper/proxy.go at v1.2.0 (init
// registering "docker-proxy", execProxy, parseHostContainerAddrs). See
// docs/upstream/v1.2.0.md §3.5 and §5.4 (reexec/: the registered names). The
// -netns flag and the fd-3 report are dockerlab's (see proxy.go).
package portmapper

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/dockerlab/dockerlab/internal/reexec"
	"github.com/dockerlab/dockerlab/v1_2/pkg/proxy"
	"github.com/vishvananda/netns"
)

// Any binary that imports portmapper (the daemon, its tests) can be
// re-executed as docker-proxy, as upstream registered it in this package.
func init() {
	reexec.Register(userlandProxyCommandName, execProxy)
}

// readyFd is where the parent's pipe arrives (ExtraFiles[0]).
const readyFd = 3

func execProxy() {
	ready := os.NewFile(readyFd, "docker-proxy-ready")
	os.Exit(proxyMain(os.Args[1:], os.Stderr, ready))
}

// ProxyMain is the body of docker-proxy with its report going nowhere:
// for running the proxy by hand. args excludes the program name.
func ProxyMain(args []string, stderr io.Writer) int {
	return proxyMain(args, stderr, nil)
}

// proxyMain returns the exit status. ready (may be nil) gets "0\n" once the
// frontend socket is bound, or "1\n" and the reason; then it is closed so
// the parent sees EOF.
func proxyMain(args []string, stderr io.Writer, ready io.WriteCloser) int {
	report := func(err error) {
		if ready == nil {
			return
		}
		if err == nil {
			io.WriteString(ready, "0\n")
		} else {
			io.WriteString(ready, "1\n"+err.Error())
		}
		ready.Close()
	}
	host, container, ns, err := parseHostContainerAddrs(args, stderr)
	if err != nil {
		report(err)
		fmt.Fprintln(stderr, err)
		return 2
	}
	// -netns: both sockets there (the sandbox's docker-proxy); -dial-netns:
	// listen here, dial there (the loopback forwarder, loopback.go).
	listen, err := enterNetNS(ns.both)
	if err != nil {
		report(err)
		fmt.Fprintln(stderr, err)
		return 1
	}
	dial := listen
	if ns.dial != "" {
		if dial, err = enterNetNS(ns.dial); err != nil {
			report(err)
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	p, err := proxy.NewProxyBetween(listen, dial, host, container)
	if err != nil {
		report(err)
		fmt.Fprintln(stderr, err)
		return 1
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() { <-stop; p.Close() }()
	report(nil)
	p.Run()
	return 0
}

// enterNetNS returns the Enter that makes every socket of the proxy (the
// listener, and each dial to the container) inside the namespace at path;
// nil for "" (the namespace the process was born in).
//
// Why not simply setns the whole process once: a namespace belongs to an OS
// thread, and a Go program has several; only the thread that called setns
// would move. So each socket is made on a locked thread switched into the
// namespace and back, as the linux backend does (nsfile_linux.go). The
// namespace file is opened once, so the proxy keeps working even if the
// file is unmounted later.
func enterNetNS(path string) (proxy.Enter, error) {
	if path == "" {
		return nil, nil
	}
	target, err := netns.GetFromPath(path)
	if err != nil {
		return nil, fmt.Errorf("%s: open network namespace %s: %w", userlandProxyCommandName, path, err)
	}
	enter := func(fn func() error) error {
		done := make(chan error, 1)
		go func() {
			runtime.LockOSThread()
			orig, err := netns.Get()
			if err != nil {
				runtime.UnlockOSThread()
				done <- fmt.Errorf("setns: %w", err)
				return
			}
			defer orig.Close()
			if err := netns.Set(target); err != nil {
				runtime.UnlockOSThread()
				done <- fmt.Errorf("setns %s: %w", path, err)
				return
			}
			ferr := fn()
			if err := netns.Set(orig); err != nil {
				// Stay locked: the thread dies with this goroutine
				// instead of serving others in the wrong namespace.
				done <- fmt.Errorf("setns back: %w (after: %v)", err, ferr)
				return
			}
			runtime.UnlockOSThread()
			done <- ferr
		}()
		return <-done
	}
	// Try it once now so that a bad namespace is reported on fd 3.
	if err := enter(func() error { return nil }); err != nil {
		target.Close()
		return nil, fmt.Errorf("%s: %w", userlandProxyCommandName, err)
	}
	return enter, nil
}

// proxyNetNS are the namespace flags: both sockets in one (-netns), or
// only the dials (-dial-netns).
type proxyNetNS struct{ both, dial string }

// parseHostContainerAddrs reads the flags newProxyCommand passes.
func parseHostContainerAddrs(args []string, stderr io.Writer) (host, container net.Addr, ns proxyNetNS, err error) {
	fs := flag.NewFlagSet(userlandProxyCommandName, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		proto         = fs.String("proto", "tcp", "proxy protocol")
		hostIP        = fs.String("host-ip", "", "host ip")
		hostPort      = fs.Int("host-port", -1, "host port")
		containerIP   = fs.String("container-ip", "", "container ip")
		containerPort = fs.Int("container-port", -1, "container port")
		nsPath        = fs.String("netns", "", "network namespace file to open the sockets in (dockerlab)")
		dialPath      = fs.String("dial-netns", "", "network namespace file to dial the container from; the listener stays in this process's (dockerlab)")
	)
	if err := fs.Parse(args); err != nil {
		return nil, nil, ns, err
	}
	hip, cip := net.ParseIP(*hostIP), net.ParseIP(*containerIP)
	switch {
	case hip == nil:
		return nil, nil, ns, fmt.Errorf("%s: bad -host-ip %q", userlandProxyCommandName, *hostIP)
	case cip == nil:
		return nil, nil, ns, fmt.Errorf("%s: bad -container-ip %q", userlandProxyCommandName, *containerIP)
	case *hostPort < 0 || *hostPort > 65535 || *containerPort < 1 || *containerPort > 65535:
		return nil, nil, ns, fmt.Errorf("%s: bad port (-host-port %d, -container-port %d)", userlandProxyCommandName, *hostPort, *containerPort)
	}
	host, container = addrs(*proto, hip, *hostPort, cip, *containerPort)
	if host == nil {
		return nil, nil, ns, fmt.Errorf("unsupported protocol %s", *proto)
	}
	if *nsPath != "" && *dialPath != "" {
		return nil, nil, ns, fmt.Errorf("%s: -netns and -dial-netns together: give one", userlandProxyCommandName)
	}
	return host, container, proxyNetNS{both: *nsPath, dial: *dialPath}, nil
}
