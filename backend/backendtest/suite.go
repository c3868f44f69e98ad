// Package backendtest is the backend contract suite: one set of behaviour
// checks that every backend.Host must pass, run against the fake in every
// `go test` and against the real kernel as root inside a throwaway network
// namespace (docs/design.md "Testing"; reference docs/kernels.md
// §6 "Contract suite layout", after go-cloud's drivertest and containerd's
// snapshot testsuite).
//
// Every check talks only through the backend interfaces and asserts errors
// with errors.Is on the shared sentinels and on the errno the real kernel
// returns (the measured tables of reference §3 and §6), so a check that
// passes on linux and fails on the fake shows exactly where the fake is
// wrong. Two tests of this package add whole-state comparisons between the
// fake and the kernel: parity_test.go runs every backend/scenario on both,
// differential_test.go runs seeded random operation sequences on both; the
// named checks in kernel_details.go pin what those comparisons found.
package backendtest

import (
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// NewHost gives a fresh machine for one check; it registers its own
// cleanup with t and skips t (with a reason) when it cannot run.
type NewHost func(t *testing.T) backend.Host

// Run runs every check of the contract, each as a subtest with a host of
// its own.
func Run(t *testing.T, newHost NewHost) {
	groups := []struct {
		name   string
		checks []check
	}{
		{"links", linkChecks},
		{"addrs", addrChecks},
		{"routes", routeChecks},
		{"netns", netnsChecks},
		{"sysctl", sysctlChecks},
		{"iptables", iptablesChecks},
		{"kernel details", detailChecks},
		{"cgroups", cgroupChecks},
		{"procs", procChecks},
		{"signals", signalChecks},
		{"mounts", mountChecks},
		{"confinement", confineChecks},
		{"bad input", badInputChecks},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.checks {
				t.Run(c.name, func(t *testing.T) {
					h := newHost(t)
					c.run(t, h)
				})
			}
		})
	}
}

// RunConfinement runs only the confinement checks (confine.go): the
// linux backend runs them a second time on cgroup v2, where the devices
// cgroup is an eBPF program.
func RunConfinement(t *testing.T, newHost NewHost) {
	for _, c := range confineChecks {
		t.Run(c.name, func(t *testing.T) { c.run(t, newHost(t)) })
	}
}

// check is one behaviour: a name that says what the kernel does, and the
// function that asserts it on a fresh host.
type check struct {
	name string
	run  func(t *testing.T, h backend.Host)
}

// requireErr asserts that err wraps the sentinel kind and, when errno is
// not 0, the errno the real kernel returns for this case.
func requireErr(t *testing.T, err error, kind error, errno syscall.Errno, what string) {
	t.Helper()
	require.Error(t, err, "%s: want an error wrapping %q", what, kind)
	assert.True(t, errors.Is(err, kind), "%s: error %q (%T) does not wrap %q", what, err, err, kind)
	if errno != 0 {
		assert.True(t, errors.Is(err, errno), "%s: error %q does not wrap errno %s (%d)", what, err, errno.Error(), int(errno))
	}
}

// cidr parses an address with its prefix, keeping the host part.
func cidr(t *testing.T, s string) *net.IPNet {
	t.Helper()
	ip, n, err := net.ParseCIDR(s)
	require.NoError(t, err)
	if ip4 := ip.To4(); ip4 != nil {
		ip = ip4
	}
	return &net.IPNet{IP: ip, Mask: n.Mask}
}

func ip4(s string) net.IP { return net.ParseIP(s).To4() }

// link looks a link up and fails the test when it is missing.
func link(t *testing.T, n backend.Net, name string) backend.Link {
	t.Helper()
	l, err := n.LinkByName(name)
	require.NoError(t, err, "link %s in %s", name, n.Ref())
	return l
}

// requireNoLink asserts a link is gone.
func requireNoLink(t *testing.T, n backend.Net, name string) {
	t.Helper()
	_, err := n.LinkByName(name)
	requireErr(t, err, backend.ErrNotFound, 0, fmt.Sprintf("link %s in %s", name, n.Ref()))
}

// linkNames lists the names of a namespace's links in ifindex order.
func linkNames(t *testing.T, n backend.Net) []string {
	t.Helper()
	links, err := n.LinkList()
	require.NoError(t, err)
	var names []string
	for _, l := range links {
		names = append(names, l.Name)
	}
	return names
}

// v4Addrs lists the IPv4 addresses of a link ("" for all) as strings
// "link 10.0.0.1/24". The real kernel adds IPv6 link-local addresses by
// itself; the contract is about the IPv4 ones Docker configured.
func v4Addrs(t *testing.T, n backend.Net, linkName string) []string {
	t.Helper()
	addrs, err := n.AddrList(linkName)
	require.NoError(t, err)
	var out []string
	for _, a := range addrs {
		if a.IPNet != nil && a.IPNet.IP.To4() != nil {
			ones, _ := a.IPNet.Mask.Size()
			out = append(out, fmt.Sprintf("%s %s/%d", a.LinkName, a.IPNet.IP.To4(), ones))
		}
	}
	return out
}

// v4Routes lists the IPv4 main-table routes in `ip route` form, using the
// same printer as the dumps.
func v4Routes(t *testing.T, n backend.Net) string {
	t.Helper()
	out, err := backend.DumpRoutes(n)
	require.NoError(t, err)
	return out
}
