// Sockets as a simulated program sees them: listen and connect in its
// network namespace, through the fake kernel (backend/fake/sockets.go,
// packetpath.go). The applets that use them: httpd, wget, nc (book ch.7
// §7.4 `docker run -p` and --link; note 000 bridge mode).
package userland

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"syscall"
)

// socketSystem is an optional System method pair: TCP sockets in the
// caller's network namespace.
type socketSystem interface {
	Listen(network, address string) (net.Listener, error)
	Dial(network, address string) (net.Conn, error)
}

// errNoSockets is what a program gets on a System without sockets.
var errNoSockets = syscall.EAFNOSUPPORT

func sysListen(p *Process, address string) (net.Listener, error) {
	if s, ok := p.Sys.(socketSystem); ok {
		return s.Listen("tcp", address)
	}
	return nil, errNoSockets
}

func sysDial(p *Process, address string) (net.Conn, error) {
	if s, ok := p.Sys.(socketSystem); ok {
		return s.Dial("tcp", address)
	}
	return nil, errNoSockets
}

// resolveHost is the C library's gethostbyname as a static busybox does
// it: an IPv4 literal, else /etc/hosts of the rootfs (where Docker writes
// --link names and the container's own), else "localhost". No DNS: the
// fake machine has no world to ask.
func resolveHost(p *Process, host string) (net.IP, error) {
	if ip := net.ParseIP(host).To4(); ip != nil {
		return ip, nil
	}
	if data, err := newFsys(p).ReadFile("/etc/hosts"); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			for _, name := range f[1:] {
				if name == host {
					if ip := net.ParseIP(f[0]).To4(); ip != nil {
						return ip, nil
					}
				}
			}
		}
	}
	if host == "localhost" {
		return net.IPv4(127, 0, 0, 1).To4(), nil
	}
	return nil, fmt.Errorf("bad address '%s'", host)
}

// getopt is POSIX getopt(3) as busybox's applets parse their flags:
// spec "qO:T:" lists letters, a colon after one that takes a value.
// Flags may be grouped ("-qO-") and a value may be attached ("-p80").
// It returns the flags seen (a flag's value, "" for a plain flag), the
// operands, or an error naming the bad option.
func getopt(args []string, spec string) (map[byte]string, []string, error) {
	flags := map[byte]string{}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		for j := 1; j < len(a); j++ {
			c := a[j]
			k := strings.IndexByte(spec, c)
			if k < 0 || c == ':' {
				return nil, nil, fmt.Errorf("invalid option -- '%c'", c)
			}
			if k+1 < len(spec) && spec[k+1] == ':' {
				switch {
				case j+1 < len(a):
					flags[c] = a[j+1:]
				case i+1 < len(args):
					i++
					flags[c] = args[i]
				default:
					return nil, nil, fmt.Errorf("option requires an argument -- '%c'", c)
				}
				break
			}
			flags[c] = ""
		}
	}
	return flags, args[i:], nil
}

// hostPort splits busybox's "[IP:]PORT" (httpd -p, nc -p).
func hostPort(s string, defHost string) (string, error) {
	host, port := defHost, s
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i+1:]
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("invalid port '%s'", port)
	}
	return net.JoinHostPort(host, port), nil
}

// isTimeout says whether err is a passed deadline.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
