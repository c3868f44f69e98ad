// Nameservers from resolv.conf, as CIDRs, so that docker0 never takes the
// range the host's DNS server lives in.
//
// Upstream: pkg/networkfs/resolvconf/resolvconf.go at v1.2.0 (Get,
// GetNameserversAsCIDR); bridge/driver.go's createBridge used it. See
// docs/upstream/v1.2.0.md §3.1.
package bridge

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"strings"
)

// ResolvConfPath is the file createBridge reads; tests point it at a
// temporary file. On the linux backend the sandbox namespace shares the
// VM's /etc, so this is the host's resolver, which is what must be avoided.
var ResolvConfPath = "/etc/resolv.conf"

// nameserversAsCIDR returns "ADDR/32" for each IPv4 "nameserver ADDR" line
// of ResolvConfPath. An unreadable file gives none: upstream did not care
// either, since the route check still protects the host's networks.
func nameserversAsCIDR() []string {
	data, err := os.ReadFile(ResolvConfPath)
	if err != nil {
		return nil
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != "nameserver" {
			continue
		}
		if ip := net.ParseIP(f[1]); ip != nil && ip.To4() != nil {
			out = append(out, ip.String()+"/32")
		}
	}
	return out
}
