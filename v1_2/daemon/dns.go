// DNS: checkLocaldns at daemon start (containers cannot reach a resolver
// on the host's loopback, so a resolv.conf that points there is replaced
// by public servers unless --dns was given), and the resolv.conf helpers
// a container's setupContainerDns uses.
//
// Upstream: daemon/daemon.go at v1.2.0 (checkLocaldns), utils/utils.go at
// v1.2.0 (CheckLocalDns), pkg/networkfs/resolvconf/resolvconf.go at v1.2.0
// (GetNameservers, GetSearchDomains, Build). See docs/upstream/v1.2.0.md §2.3
// step 19.
// Book: ch.4 §4.11 (检测DNS配置) and ch.12 §12.4 (setupContainerDns).
// Notes: 000 "DNS".
package daemon

import (
	"bufio"
	"bytes"
	"os"
	"strings"
)

// DefaultDns are the servers used when the host's resolver is local.
var DefaultDns = []string{"8.8.8.8", "8.8.4.4"}

// ResolvConfPath is the file checkLocaldns reads; tests point it elsewhere.
var ResolvConfPath = "/etc/resolv.conf"

// checkLocaldns sets config.Dns to DefaultDns when none was given and
// resolv.conf names only a local resolver. The second result says what
// happened, for the trace.
func (daemon *Daemon) checkLocaldns() (string, error) {
	resolvConf, err := os.ReadFile(ResolvConfPath)
	if err != nil {
		return "", err
	}
	if len(daemon.config.Dns) > 0 {
		return "--dns given: " + strings.Join(daemon.config.Dns, ", "), nil
	}
	if CheckLocalDns(resolvConf) {
		daemon.config.Dns = DefaultDns
		return "Local (127.0.0.1) DNS resolver found in " + ResolvConfPath +
			" and containers can't use it. Using default external servers: " + strings.Join(DefaultDns, ", "), nil
	}
	return "containers use the nameservers of " + ResolvConfPath, nil
}

// CheckLocalDns reproduces upstream's test, quirks included: the first
// nameserver line decides, and it counts as local only when it mentions
// 127.0.0.1 or 127.0.1.1 (so systemd-resolved's 127.0.0.53 is not seen as
// local, as in 2014); a file without nameservers counts as local.
func CheckLocalDns(resolvConf []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(resolvConf))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if !strings.Contains(line, "nameserver") {
			continue
		}
		return strings.Contains(line, "127.0.0.1") || strings.Contains(line, "127.0.1.1")
	}
	return true
}

// GetNameservers are the addresses of resolv.conf's nameserver lines
// (upstream pkg/networkfs/resolvconf).
func GetNameservers(resolvConf []byte) []string {
	return resolvConfValues(resolvConf, "nameserver")
}

// GetSearchDomains are the domains of its last search line.
func GetSearchDomains(resolvConf []byte) []string {
	var domains []string
	for _, line := range strings.Split(string(resolvConf), "\n") {
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) > 1 && f[0] == "search" {
			domains = f[1:]
		}
	}
	return domains
}

func resolvConfValues(resolvConf []byte, key string) []string {
	var out []string
	for _, line := range strings.Split(string(resolvConf), "\n") {
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) > 1 && f[0] == key {
			out = append(out, f[1])
		}
	}
	return out
}

// BuildResolvConf is a container's resolv.conf from --dns and
// --dns-search; a search of "." alone means no search line.
func BuildResolvConf(dns, dnsSearch []string) []byte {
	var b strings.Builder
	for _, ns := range dns {
		b.WriteString("nameserver " + ns + "\n")
	}
	if len(dnsSearch) > 0 && !(len(dnsSearch) == 1 && dnsSearch[0] == ".") {
		b.WriteString("search " + strings.Join(dnsSearch, " ") + "\n")
	}
	return []byte(b.String())
}
