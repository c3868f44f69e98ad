// Package etchosts writes the /etc/hosts a container sees: its own
// address and hostname, the usual localhost and IPv6 names, and one line
// per linked container (its alias and address).
//
// Upstream: pkg/networkfs/etchosts/etchosts.go at v1.2.0 (Build).
// Book: ch.12 §12.4 (initializeNetworking → buildHostnameAndHostsFiles) and
// ch.7 §7.4. The daemon bind-mounts the file over the container's /etc/hosts,
// which is why a link's alias resolves inside the container.
//
// Divergence (docs/divergences.md): upstream ranged over two Go maps, so
// the lines came out in a different order each time. Here the standard
// names keep a fixed order and the links are sorted by alias, so two
// starts of the same container write the same file.
package etchosts

import (
	"bytes"
	"fmt"
	"os"
	"sort"
)

// Entry is one extra line: Hostname (a link's alias) at IP.
type Entry struct {
	Hostname string
	IP       string
}

// defaultContent is what every container's hosts file has, in the order
// it is written.
var defaultContent = []Entry{
	{"localhost", "127.0.0.1"},
	{"localhost ip6-localhost ip6-loopback", "::1"},
	{"ip6-localnet", "fe00::0"},
	{"ip6-mcastprefix", "ff00::0"},
	{"ip6-allnodes", "ff02::1"},
	{"ip6-allrouters", "ff02::2"},
}

// Content is the text Build writes. IP "" leaves out the container's own
// line (a container without an address of its own: --net=none).
func Content(IP, hostname, domainname string, extra []Entry) []byte {
	var b bytes.Buffer
	if IP != "" {
		if domainname != "" {
			fmt.Fprintf(&b, "%s\t%s.%s %s\n", IP, hostname, domainname, hostname)
		} else {
			fmt.Fprintf(&b, "%s\t%s\n", IP, hostname)
		}
	}
	for _, e := range defaultContent {
		fmt.Fprintf(&b, "%s\t%s\n", e.IP, e.Hostname)
	}
	sorted := append([]Entry(nil), extra...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Hostname < sorted[j].Hostname })
	for _, e := range sorted {
		fmt.Fprintf(&b, "%s\t%s\n", e.IP, e.Hostname)
	}
	return b.Bytes()
}

// Build writes Content to path, mode 0644 (the container's processes,
// whatever their user, must read it).
func Build(path, IP, hostname, domainname string, extra []Entry) error {
	return os.WriteFile(path, Content(IP, hostname, domainname, extra), 0o644)
}
