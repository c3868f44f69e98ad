// Sysctls: the net.* keys a namespace has under /proc/sys (docs/design.md "The
// backend": sysctl; reference docs/kernels.md §3 — in a
// fresh namespace net.ipv4.ip_forward is 0 and writing it changes only that
// namespace; book ch.6 ip_forward; upstream Docker 1.2.0
// daemon/networkdriver/bridge/driver.go wrote "1\n" to it).
package fake

import (
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// sysctlPath is the file a key names, for error messages.
func sysctlPath(key string) string {
	return "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
}

func (h *netHandle) Sysctl(key string) (string, error) {
	var v string
	err := h.read("Sysctl", func(m *machine, ns *netns) error {
		var ok bool
		v, ok = ns.Sysctl[key]
		if !ok {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "sysctl", sysctlPath(key), "no such file or directory (the fake models net.ipv4.ip_forward)")
		}
		return nil
	})
	return v, err
}

// SetSysctl writes a key. Like the kernel's proc handler it accepts a
// trailing newline ("1\n", what Docker wrote) and only 0 or 1.
func (h *netHandle) SetSysctl(key, value string) error {
	v := strings.TrimSpace(value)
	return h.with("SetSysctl", func(m *machine, ns *netns) error {
		if _, ok := ns.Sysctl[key]; !ok {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "sysctl", sysctlPath(key), "no such file or directory (the fake models net.ipv4.ip_forward)")
		}
		if v != "0" && v != "1" {
			return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "sysctl", sysctlPath(key), "value %q is not 0 or 1", value)
		}
		ns.Sysctl[key] = v
		return nil
	})
}
