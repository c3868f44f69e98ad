// Differential test: the same pseudo-random sequence of operations on the
// fake and on the real kernel, comparing after every step which error (if
// any) each returned and the normalised dumps of every namespace
// (reference docs/kernels.md §6: "a randomised
// differential test ... compare normalised state after each step"). The
// names come from small pools so that collisions, missing links and busy
// chains — the error paths — happen often. Seeds are fixed: a failure is
// reproducible, and the first differing step is reported with the history.
package backendtest_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/backend/scenario"
)

var (
	diffLinks = []string{"a0", "a1", "b0", "b1", "br0", "br1"}
	diffNS    = []string{"", "n1", "n2"}
	diffAddrs = []string{"10.1.0.1/24", "10.1.0.2/24", "10.2.0.1/16"}
	diffRules = [][]string{{"-s", "10.1.0.0/24", "-j", "ACCEPT"}, {"-i", "br0", "-o", "br0", "-j", "DROP"}, {"-p", "tcp", "--dport", "80", "-d", "10.1.0.2", "-j", "ACCEPT"}}
	// diffRaw are rule argv in the shapes Docker 0.1 and 1.2 wrote them
	// (chain first, "-t nat" anywhere, --dst, 0/0, negations, conntrack).
	diffRaw = [][]string{
		{"POSTROUTING", "-t", "nat", "-s", "10.1.0.1/24", "!", "-o", "br0", "-j", "MASQUERADE"},
		{"FORWARD", "-i", "br0", "!", "-o", "br0", "-j", "ACCEPT"},
		{"FORWARD", "-o", "br0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"},
		{"FORWARD", "!", "-i", "br0", "-o", "br0", "-p", "tcp", "-d", "10.1.0.2", "--dport", "80", "-j", "ACCEPT"},
		{"FORWARD", "-i", "br0", "-o", "br0", "-p", "udp", "-s", "10.1.0.3", "--sport", "53", "-d", "10.1.0.2", "-j", "ACCEPT"},
		{"OUTPUT", "-t", "nat", "-m", "addrtype", "--dst-type", "LOCAL", "!", "--dst", "127.0.0.0/8", "-j", "X"},
		{"X", "-t", "nat", "-p", "tcp", "-d", "0/0", "--dport", "49153", "!", "-i", "br0", "-j", "DNAT", "--to-destination", "10.1.0.2:80"},
		{"PREROUTING", "-t", "nat", "-j", "X"},
		{"INPUT", "-s", "10.0.0.0/8", "-d", "10.1.0.1/32", "-p", "icmp", "-j", "DROP"},
	}
	diffClasses = []error{backend.ErrExists, backend.ErrNotFound, backend.ErrBusy, backend.ErrInvalid,
		backend.ErrPermission, backend.ErrUnsupported, backend.ErrUnreachable, backend.ErrNoSpace}
)

// op is one step: a description and what it does to a host.
type op struct {
	desc string
	do   func(h backend.Host) error
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func netOf(h backend.Host, ns string) (backend.Net, error) { return h.NetNS(backend.NSName(ns)) }

// randomOp draws the next step.
func randomOp(r *rand.Rand) op {
	ns, l, l2 := pick(r, diffNS), pick(r, diffLinks), pick(r, diffLinks)
	where := nsLabel(ns)
	onNet := func(desc string, f func(n backend.Net) error) op {
		return op{fmt.Sprintf("[%s] %s", where, desc), func(h backend.Host) error {
			n, err := netOf(h, ns)
			if err != nil {
				return err
			}
			return f(n)
		}}
	}
	addr := pick(r, diffAddrs)
	ip, ipnet, _ := net.ParseCIDR(addr)
	a := &net.IPNet{IP: ip.To4(), Mask: ipnet.Mask}
	mtu := pick(r, []int{0, 0, 1400, 1450})
	switch r.IntN(20) {
	case 0:
		return onNet(fmt.Sprintf("ip link add %s mtu %d type bridge", l, mtu), func(n backend.Net) error { return n.AddBridge(l, mtu) })
	case 1:
		return onNet(fmt.Sprintf("ip link add %s mtu %d type veth peer name %s", l, mtu, l2), func(n backend.Net) error { return n.AddVeth(l, l2, mtu) })
	case 2:
		return onNet("ip link del "+l, func(n backend.Net) error { return n.LinkDel(l) })
	case 3:
		return onNet("ip link set "+l+" up", func(n backend.Net) error { return n.LinkSetUp(l) })
	case 4:
		return onNet("ip link set "+l+" down", func(n backend.Net) error { return n.LinkSetDown(l) })
	case 5:
		return onNet("ip link set "+l+" master "+l2, func(n backend.Net) error { return n.LinkSetMaster(l, l2) })
	case 6:
		return onNet("ip link set "+l+" nomaster", func(n backend.Net) error { return n.LinkSetNoMaster(l) })
	case 7:
		target := pick(r, diffNS)
		return onNet("ip link set "+l+" netns "+nsLabel(target), func(n backend.Net) error { return n.LinkSetNs(l, backend.NSName(target)) })
	case 8:
		return onNet("ip link set "+l+" name "+l2, func(n backend.Net) error { return n.LinkSetName(l, l2) })
	case 9:
		mtu := pick(r, []int{1400, 1500})
		return onNet(fmt.Sprintf("ip link set %s mtu %d", l, mtu), func(n backend.Net) error { return n.LinkSetMTU(l, mtu) })
	case 10, 11:
		return onNet("ip addr add "+addr+" dev "+l, func(n backend.Net) error { return n.AddrAdd(l, a) })
	case 12:
		return onNet("ip addr del "+addr+" dev "+l, func(n backend.Net) error { return n.AddrDel(l, a) })
	case 13:
		gw := pick(r, []string{"10.1.0.254", "10.2.0.9", "192.168.9.9"})
		del := r.IntN(3) == 0
		verb := "add"
		if del {
			verb = "del"
		}
		return onNet("ip route "+verb+" default via "+gw+" dev "+l, func(n backend.Net) error {
			idx := 0
			if link, err := n.LinkByName(l); err == nil {
				idx = link.Index
			} else if !del {
				return err
			}
			rt := backend.Route{Dst: backend.DefaultDst(), Gw: net.ParseIP(gw).To4(), LinkIndex: idx, LinkName: l}
			if del {
				return n.RouteDel(rt)
			}
			return n.RouteAdd(rt)
		})
	case 14:
		rule := pick(r, diffRules)
		switch r.IntN(3) {
		case 0:
			return onNet("iptables -A FORWARD "+strings.Join(rule, " "), func(n backend.Net) error { return n.IPTables().Append("filter", "FORWARD", rule...) })
		case 1:
			pos := 1 + r.IntN(3)
			return onNet(fmt.Sprintf("iptables -I FORWARD %d %s", pos, strings.Join(rule, " ")), func(n backend.Net) error {
				return n.IPTables().Insert("filter", "FORWARD", pos, rule...)
			})
		default:
			return onNet("iptables -D FORWARD "+strings.Join(rule, " "), func(n backend.Net) error { return n.IPTables().Delete("filter", "FORWARD", rule...) })
		}
	case 15:
		switch r.IntN(4) {
		case 0:
			return onNet("iptables -t nat -N X", func(n backend.Net) error { return n.IPTables().NewChain("nat", "X") })
		case 1:
			return onNet("iptables -t nat -X X", func(n backend.Net) error { return n.IPTables().DeleteChain("nat", "X") })
		case 2:
			return onNet("iptables -t nat -F X", func(n backend.Net) error { return n.IPTables().ClearChain("nat", "X") })
		default:
			return onNet("iptables -t nat -A X -p tcp --dport 8080 -j DNAT --to-destination 10.1.0.2:80", func(n backend.Net) error {
				return n.IPTables().Append("nat", "X", "-p", "tcp", "--dport", "8080", "-j", "DNAT", "--to-destination", "10.1.0.2:80")
			})
		}
	case 16:
		del := r.IntN(2) == 0
		verb := "-A"
		if del {
			verb = "-D"
		}
		return onNet("iptables -t nat "+verb+" PREROUTING -m addrtype --dst-type LOCAL -j X", func(n backend.Net) error {
			spec := []string{"-m", "addrtype", "--dst-type", "LOCAL", "-j", "X"}
			if del {
				return n.IPTables().Delete("nat", "PREROUTING", spec...)
			}
			return n.IPTables().Append("nat", "PREROUTING", spec...)
		})
	case 18, 19:
		verb := pick(r, []string{"-A", "-A", "-I", "-D", "-C"})
		argv := append([]string{verb}, pick(r, diffRaw)...)
		return onNet("iptables "+strings.Join(argv, " "), func(n backend.Net) error {
			_, err := n.IPTables().Raw(argv...)
			return err
		})
	default:
		v := pick(r, []string{"0", "1"})
		return onNet("sysctl -w net.ipv4.ip_forward="+v, func(n backend.Net) error { return n.SetSysctl("net.ipv4.ip_forward", v) })
	}
}

func nsLabel(ns string) string {
	if ns == "" {
		return "root"
	}
	return ns
}

// class names the sentinel an error wraps, "ok" for nil.
func class(err error) string {
	if err == nil {
		return "ok"
	}
	for _, c := range diffClasses {
		if errors.Is(err, c) {
			return c.Error()
		}
	}
	return "unclassified"
}

func dumpNamespaces(t *testing.T, h backend.Host) string {
	t.Helper()
	var b strings.Builder
	for _, ns := range diffNS {
		n, err := netOf(h, ns)
		require.NoError(t, err)
		d, err := backend.Dump(n)
		require.NoError(t, err, "%s: dump %q", h.Name(), ns)
		fmt.Fprintf(&b, "=== namespace %q\n%s", ns, backend.Normalize(d))
	}
	return b.String()
}

// diffSeeds are the seeds to run: 1-4, or the comma-separated list in
// $DOCKERLAB_DIFF_SEEDS to explore further or to replay one.
func diffSeeds(t *testing.T) []uint64 {
	env := os.Getenv("DOCKERLAB_DIFF_SEEDS")
	if env == "" {
		return []uint64{1, 2, 3, 4}
	}
	var seeds []uint64
	for _, f := range strings.Split(env, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		require.NoError(t, err, "DOCKERLAB_DIFF_SEEDS=%q", env)
		seeds = append(seeds, n)
	}
	return seeds
}

func TestDifferential(t *testing.T) {
	const steps = 150
	for _, seed := range diffSeeds(t) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			real := linuxtest.NewHost(t) // skips, saying why, unless root
			fk := fake.NewBare()
			for _, h := range []backend.Host{real, fk} {
				for _, ns := range diffNS[1:] {
					_, err := h.NewNetNS(ns)
					require.NoError(t, err)
				}
			}
			r := rand.New(rand.NewPCG(seed, 0))
			var history []string
			for i := 0; i < steps; i++ {
				o := randomOp(r)
				errReal, errFake := o.do(real), o.do(fk)
				history = append(history, fmt.Sprintf("%3d %s → linux %s, fake %s", i, o.desc, class(errReal), class(errFake)))
				if class(errReal) != class(errFake) {
					t.Fatalf("step %d %s: linux said %q (%v), fake said %q (%v)\nhistory:\n%s",
						i, o.desc, class(errReal), errReal, class(errFake), errFake, strings.Join(history, "\n"))
				}
				dr, df := dumpNamespaces(t, real), dumpNamespaces(t, fk)
				if d := scenario.Diff(dr, df); d != "" {
					t.Fatalf("after step %d %s the fake differs from the kernel (- linux, + fake):\n%s\nhistory:\n%s",
						i, o.desc, d, strings.Join(history, "\n"))
				}
			}
		})
	}
}
