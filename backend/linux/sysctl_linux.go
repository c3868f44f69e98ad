//go:build linux

// net.* sysctls per namespace (reference docs/kernels.md
// §3: ip_forward starts at 0 in a new namespace). Docker 0.1.0 and 1.2.0
// wrote /proc/sys/net/ipv4/ip_forward when they set up docker0 (book ch.6).
// /proc/sys/net resolves against the namespace of the thread that opens the
// file, so the open happens on a thread switched into this namespace.

package linux

import (
	"os"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// sysctlPath turns "net.ipv4.ip_forward" into /proc/sys/net/ipv4/ip_forward.
func sysctlPath(key string) (string, error) {
	if !strings.HasPrefix(key, "net.") || strings.Contains(key, "..") || strings.ContainsAny(key, "/\x00 ") {
		return "", backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "sysctl", key, "only net.* keys such as net.ipv4.ip_forward are per namespace; got %q", key)
	}
	return "/proc/sys/" + strings.ReplaceAll(key, ".", "/"), nil
}

// Sysctl reads a key, without the trailing newline.
func (n *Net) Sysctl(key string) (string, error) {
	if err := n.hold(); err != nil {
		return "", err
	}
	defer n.release()
	path, err := sysctlPath(key)
	if err != nil {
		return "", err
	}
	var value string
	err = inNetNS(n.ns, func() error {
		data, err := os.ReadFile(path)
		if err != nil {
			return kernelErr("sysctl", key, err)
		}
		value = strings.TrimSpace(string(data))
		return nil
	})
	return value, err
}

// SetSysctl writes a key.
func (n *Net) SetSysctl(key, value string) error {
	if err := n.hold(); err != nil {
		return err
	}
	defer n.release()
	path, err := sysctlPath(key)
	if err != nil {
		return err
	}
	return inNetNS(n.ns, func() error {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return kernelErr("sysctl -w", key, err)
		}
		defer f.Close()
		if _, err := f.WriteString(value); err != nil {
			return kernelErr("sysctl -w", key+"="+value, err)
		}
		return nil
	})
}
