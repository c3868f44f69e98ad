// TweakCapabilities: --cap-add and --cap-drop applied to the default
// capability list (ALL allowed on either side).
//
// Upstream: daemon/execdriver/utils.go at v1.2.0 (TweakCapabilities; the list
// of every capability came from vendored libcontainer's
// security/capabilities). See docs/upstream/v1.2.0.md §5.1, §5.2.
// Book: ch.14 §14.3 其他 (capabilities).
package execdriver

import (
	"fmt"
	"strings"
)

// AllCapabilities are the Linux capabilities libcontainer knew in 2014,
// without the CAP_ prefix.
var AllCapabilities = []string{
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
	"SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
	"SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
	"SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND",
}

// TweakCapabilities returns basics with drops removed and adds added,
// upper-cased, case-insensitively. "all" in adds starts from every
// capability; "all" in drops starts from none. An unknown name is an
// error with upstream's wording. A "CAP_" prefix is dropped first: 1.2's
// client sent NET_ADMIN, today's docker CLI sends CAP_NET_ADMIN (and 1.2's
// daemon refused it; docs/divergences.md).
func TweakCapabilities(basics, adds, drops []string) ([]string, error) {
	adds, drops = withoutCapPrefix(adds), withoutCapPrefix(drops)
	for _, c := range drops {
		if !strings.EqualFold(c, "all") && !containsFold(AllCapabilities, c) {
			return nil, fmt.Errorf("Unknown capability drop: %q", c)
		}
	}
	if containsFold(adds, "all") {
		basics = AllCapabilities
	}
	var caps []string
	if !containsFold(drops, "all") {
		for _, c := range basics {
			if !strings.EqualFold(c, "all") && !containsFold(drops, c) {
				caps = append(caps, strings.ToUpper(c))
			}
		}
	}
	for _, c := range adds {
		if strings.EqualFold(c, "all") {
			continue
		}
		if !containsFold(AllCapabilities, c) {
			return nil, fmt.Errorf("Unknown capability to add: %q", c)
		}
		if !containsFold(caps, c) {
			caps = append(caps, strings.ToUpper(c))
		}
	}
	return caps, nil
}

// withoutCapPrefix returns names with a leading "CAP_" (any case) cut off.
func withoutCapPrefix(names []string) []string {
	out := make([]string, 0, len(names))
	for _, c := range names {
		if len(c) > 4 && strings.EqualFold(c[:4], "CAP_") {
			c = c[4:]
		}
		out = append(out, c)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
