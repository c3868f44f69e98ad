// Parsers for what doctor reads from tools and /proc (reference
// docs/kernels.md §2 for iptables' two modes, §4 for
// cgroups). Kept apart from the checks so they are tested with literal
// strings, on any machine.
package doctor

import (
	"bufio"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// IPTablesMode is which kernel interface an iptables binary drives.
type IPTablesMode string

const (
	ModeNft    IPTablesMode = "nft"    // iptables-nft: rules land in nf_tables
	ModeLegacy IPTablesMode = "legacy" // the old x_tables interface
)

// ParseIPTablesVersion reads `iptables --version`: "iptables v1.8.9
// (nf_tables)" is nft, "iptables v1.8.9 (legacy)" and the old
// "iptables v1.4.21" (no parenthesis, before the nft variant existed) are
// legacy.
func ParseIPTablesVersion(out string) (version string, mode IPTablesMode, err error) {
	line := strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
	fields := strings.Fields(line)
	if len(fields) < 2 || !strings.HasPrefix(fields[0], "iptables") || !strings.HasPrefix(fields[1], "v") {
		return "", "", fmt.Errorf("unexpected iptables --version output %q", line)
	}
	version = strings.TrimPrefix(fields[1], "v")
	mode = ModeLegacy
	if strings.Contains(line, "(nf_tables)") {
		mode = ModeNft
	}
	return version, mode, nil
}

// ParseChainPolicy reads the first line of `iptables -S CHAIN`,
// "-P FORWARD DROP", and returns the policy ("DROP").
func ParseChainPolicy(out, chain string) (string, error) {
	line := strings.TrimSpace(strings.SplitN(out, "\n", 2)[0])
	f := strings.Fields(line)
	if len(f) != 3 || f[0] != "-P" || f[1] != chain {
		return "", fmt.Errorf("no policy line for chain %s in %q", chain, line)
	}
	return f[2], nil
}

// Controller is one row of /proc/cgroups.
type Controller struct {
	Name      string
	Hierarchy int // the v1 hierarchy it is mounted on; 0 = none (unused, or given to cgroup v2)
	Enabled   bool
}

// ParseProcCgroups reads /proc/cgroups: a header
// "#subsys_name hierarchy num_cgroups enabled" and one row per controller.
func ParseProcCgroups(text string) ([]Controller, error) {
	var out []Controller
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return nil, fmt.Errorf("/proc/cgroups: malformed line %q", line)
		}
		h, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("/proc/cgroups: bad hierarchy in %q", line)
		}
		out = append(out, Controller{Name: f[0], Hierarchy: h, Enabled: f[3] == "1"})
	}
	return out, sc.Err()
}

// V1Controllers are the enabled controllers mounted on a v1 hierarchy,
// sorted.
func V1Controllers(cs []Controller) []string {
	var names []string
	for _, c := range cs {
		if c.Enabled && c.Hierarchy != 0 {
			names = append(names, c.Name)
		}
	}
	sort.Strings(names)
	return names
}

// ParseFilesystems reads /proc/filesystems ("nodev\toverlay", "\text4")
// and returns the filesystem names.
func ParseFilesystems(text string) []string {
	var names []string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			names = append(names, f[len(f)-1])
		}
	}
	return names
}

// ParseControllers reads a cgroup v2 cgroup.controllers file
// ("cpuset cpu io memory pids") and returns the names, sorted.
func ParseControllers(text string) []string {
	names := strings.Fields(text)
	sort.Strings(names)
	return names
}
