// The two kinds of listener -H can ask for.
//
// Upstream: api/server/server.go at v1.2.0 (ListenAndServe's "unix" and "tcp"
// cases, changeGroup).
// Book: ch.5 §5.4 创建listener.
package server

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// defaultSocketGroup is -G's default; when that group does not exist the
// daemon only warns (a machine without a docker group is normal), while a
// group the user named must exist.
const defaultSocketGroup = "docker"

// listenUnix removes a socket left by an earlier daemon, listens, and
// makes the socket 0660, owned by group when running as root.
//
// Divergence: a socket some daemon still answers on is refused rather
// than removed. Upstream removed it unconditionally, so a second daemon
// started by mistake took the socket away from the first one before
// failing on the pid file.
func listenUnix(path, group string, job *engine.Job) (net.Listener, error) {
	if c, err := net.Dial("unix", path); err == nil {
		c.Close()
		return nil, fmt.Errorf("%s is in use: another daemon is listening on it", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("remove the old socket %s: %w", path, err)
	}
	// Not upstream: dockerlab's default socket lives in a directory of its
	// own (/run/dockerlab/v1.2) that may not exist yet.
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := setSocketGroup(path, group, job); err != nil {
		l.Close()
		return nil, err
	}
	if err := os.Chmod(path, 0o660); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func setSocketGroup(path, group string, job *engine.Job) error {
	if group == "" {
		return nil
	}
	g, err := user.LookupGroup(group)
	if err != nil {
		if group == defaultSocketGroup {
			job.Logf("Warning: could not change group %s to %s: no such group", path, group)
			return nil
		}
		return fmt.Errorf("Could not find group %s", group)
	}
	if os.Geteuid() != 0 {
		job.Logf("Warning: not root, so %s keeps its group (asked for %s)", path, group)
		return nil
	}
	gid, err := strconv.Atoi(g.Gid)
	if err != nil {
		return fmt.Errorf("group %s has a non-numeric gid %q", group, g.Gid)
	}
	return os.Chown(path, 0, gid)
}

// listenTCP listens on host:port and warns, as upstream, when the address
// is reachable from elsewhere without TLS: anyone who can connect is root
// on this machine.
func listenTCP(addr string, job *engine.Job) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("invalid tcp address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		if !job.GetenvBool("TlsVerify") {
			job.Logf("/!\\ DON'T BIND ON ANY IP ADDRESS WITHOUT setting -tlsverify IF YOU DON'T KNOW WHAT YOU'RE DOING /!\\")
		}
	}
	return net.Listen("tcp", addr)
}
