//go:build linux

// The host snapshot behind HostSnapshot: read-only looks at the machine's
// own namespace, to prove the tests never touched it.

package linuxtest

import (
	"fmt"
	"os/exec"
	"strings"

	"github.com/vishvananda/netlink"
)

// hostLinks lists the calling process's namespace's links (the machine's,
// since tests never switch their main thread).
func hostLinks() string {
	links, err := netlink.LinkList()
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	for _, l := range links {
		a := l.Attrs()
		fmt.Fprintf(&b, "%d %s %s %v %d master=%d\n", a.Index, a.Name, l.Type(), a.Flags, a.MTU, a.MasterIndex)
	}
	return b.String()
}

// hostRules is iptables-save of the machine, without counters/comments.
func hostRules() string {
	out, err := exec.Command("iptables-save").Output()
	if err != nil {
		return "iptables-save unavailable"
	}
	var keep []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, ":") {
			if i := strings.LastIndex(line, " ["); i >= 0 {
				line = line[:i]
			}
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}
