// -H values: what the daemon listens on.
//
// Upstream: api/common.go at v1.2.0 (ValidateHost), pkg/parsers/parsers.go at
// v1.2.0 (ParseHost). See docs/upstream/v1.2.0.md §2.1.
// Book: ch.2 §2.2 and ch.5 §5.2.
package docker

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon"
)

// DefaultHTTPHost is where a bare ":port" listens.
const DefaultHTTPHost = "127.0.0.1"

// DefaultUnixSocket is the socket used without -H:
// /run/dockerlab/v1.2/docker.sock as root (never /var/run/docker.sock,
// which a real Docker may own), the user's runtime directory otherwise.
func DefaultUnixSocket() string { return filepath.Join(daemon.DefaultRunDir(), "docker.sock") }

// ValidateHost turns a -H value into PROTO://ADDR: "" and "unix://" give
// the default socket, ":6666" gives tcp://127.0.0.1:6666, fd:// is kept.
//
//lab:exercise ch02.validate-host
func ValidateHost(val string) (string, error) {
	addr := strings.TrimSpace(val)
	switch {
	case addr == "" || addr == "unix://":
		return "unix://" + DefaultUnixSocket(), nil
	case strings.HasPrefix(addr, "unix://"):
		return addr, nil
	case strings.HasPrefix(addr, "fd://"):
		return addr, nil
	case strings.HasPrefix(addr, "tcp://"):
		addr = strings.TrimPrefix(addr, "tcp://")
	case strings.Contains(addr, "://"):
		return "", fmt.Errorf("Invalid bind address format: %s", val)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", fmt.Errorf("Invalid bind address format: %s", val)
	}
	if host == "" {
		host = DefaultHTTPHost
	}
	return "tcp://" + net.JoinHostPort(host, port), nil
}
