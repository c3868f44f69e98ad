package fake

import (
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// Each input was given to iptables v1.8.9 (nf_tables) on Debian 12 and the
// output is what `iptables -S` printed.
var canonGolden = []struct{ in, out string }{
	{"-m addrtype --dst-type LOCAL -j DOCKER", "-m addrtype --dst-type LOCAL -j DOCKER"},
	{"-m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER", "! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER"},
	{"-s 172.17.42.1/16 ! -o docker0 -j MASQUERADE", "-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"},
	{"-p tcp -d 0/0 --dport 49153 ! -i docker0 -j DNAT --to-destination 172.17.0.2:80", "! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.2:80"},
	{"-p tcp --dport 49154 -j DNAT --to-destination 172.17.0.3:80", "-p tcp -m tcp --dport 49154 -j DNAT --to-destination 172.17.0.3:80"},
	{"! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT", "-d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT"},
	{"-i docker0 -o docker0 -p tcp -s 172.17.0.3 --dport 80 -d 172.17.0.2 -j ACCEPT", "-s 172.17.0.3/32 -d 172.17.0.2/32 -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT"},
	{"-o docker0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT", "-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"},
	{"-i docker0 ! -o docker0 -j ACCEPT", "-i docker0 ! -o docker0 -j ACCEPT"},
	{"-m addrtype --dst-type LOCAL -p tcp --dport 80 -j ACCEPT", "-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 80 -j ACCEPT"},
	{`-p udp --sport 53 -m comment --comment "hi there" -j ACCEPT`, `-p udp -m udp --sport 53 -m comment --comment "hi there" -j ACCEPT`},
	{"-m comment --comment foo -j ACCEPT", "-m comment --comment foo -j ACCEPT"},
	{"-p tcp -j ACCEPT", "-p tcp -j ACCEPT"},
	{"-p all -s 0.0.0.0/0 -j ACCEPT", "-j ACCEPT"},
	{"-d 10.0.0.0/255.255.0.0 -j DROP", "-d 10.0.0.0/16 -j DROP"},
	{"-p TCP -m tcp --sport 1:100 -j REJECT", "-p tcp -m tcp --sport 1:100 -j REJECT --reject-with icmp-port-unreachable"},
	{"-p tcp --dport 80 -j REJECT --reject-with tcp-reset", "-p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset"},
	{"-m state --state NEW,ESTABLISHED -j ACCEPT", "-m state --state NEW,ESTABLISHED -j ACCEPT"},
	{"-p tcp ! --dport 22 -j ACCEPT", "-p tcp -m tcp ! --dport 22 -j ACCEPT"},
	{`-p tcp --dport 80 -j LOG --log-prefix "x y"`, `-p tcp -m tcp --dport 80 -j LOG --log-prefix "x y"`},
	{"-p tcp --tcp-flags SYN,RST SYN -j ACCEPT", "-p tcp -m tcp --tcp-flags SYN,RST SYN -j ACCEPT"},
	{"-p 6 -j ACCEPT", "-p tcp -j ACCEPT"},
	{"-s 1.2.3.4 -j ACCEPT", "-s 1.2.3.4/32 -j ACCEPT"},
	{"-i eth+ -j ACCEPT", "-i eth+ -j ACCEPT"},
	{"-p tcp --dport 80 -j DNAT --to 1.2.3.4:8", "-p tcp -m tcp --dport 80 -j DNAT --to-destination 1.2.3.4:8"},
	{"--protocol tcp --destination-port 80 --jump ACCEPT", "-p tcp -m tcp --dport 80 -j ACCEPT"},
	{"-m multiport --dports 80,443 -p tcp -j ACCEPT", "-p tcp -m multiport --dports 80,443 -j ACCEPT"},
}

func TestCanonicalRules(t *testing.T) {
	for _, g := range canonGolden {
		_, got, err := canonRule(splitQuoted(g.in))
		require.NoError(t, err, g.in)
		assert.Equal(t, g.out, got, g.in)
		// canonical form is a fixed point
		_, again, err := canonRule(splitQuoted(got))
		require.NoError(t, err)
		assert.Equal(t, got, again)
	}
}

func TestBadRules(t *testing.T) {
	for _, spec := range [][]string{
		{"-s"}, {"--bogus", "1", "-j", "ACCEPT"}, {"foo"}, {"-s", "example.com"},
		{"!", "-d", "0.0.0.0/0", "-j", "ACCEPT"}, {"-j", "ACCEPT", "!"},
		{"-i", "abcdefghijklmnopq"},
	} {
		_, _, err := canonRule(spec)
		isErr(t, err, backend.ErrInvalid, 0)
	}
}

func TestIPTablesSemantics(t *testing.T) {
	ipt := NewBare().Root().IPTables()
	const nat, filter = backend.TableNat, backend.TableFilter

	require.NoError(t, ipt.NewChain(nat, "DOCKER"))
	isErr(t, ipt.NewChain(nat, "DOCKER"), backend.ErrExists, 0)
	isErr(t, ipt.NewChain(nat, "ACCEPT"), backend.ErrInvalid, 0)
	isErr(t, ipt.DeleteChain(nat, "PREROUTING"), backend.ErrBusy, syscall.EBUSY)
	isErr(t, ipt.Append(nat, "NOPE", "-j", "ACCEPT"), backend.ErrNotFound, 0)
	isErr(t, ipt.Insert(nat, "NOPE", 1, "-j", "ACCEPT"), backend.ErrNotFound, 0)
	isErr(t, ipt.Append(nat, "PREROUTING", "-j", "NOPE"), backend.ErrNotFound, 0)
	isErr(t, ipt.Insert(nat, "PREROUTING", 2, "-j", "DOCKER"), backend.ErrInvalid, 0)
	ok, err := ipt.Exists(nat, "NOPE", "-j", "ACCEPT")
	require.NoError(t, err)
	assert.False(t, ok, "exists in a missing chain is false, nil")

	require.NoError(t, ipt.Append(nat, "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"))
	isErr(t, ipt.DeleteChain(nat, "DOCKER"), backend.ErrBusy, syscall.EBUSY) // referenced
	ok, err = ipt.Exists(nat, "PREROUTING", "-m", "addrtype", "--dst-type", "local", "-j", "DOCKER")
	require.NoError(t, err)
	assert.True(t, ok, "exists compares canonical forms")

	// duplicates allowed; AppendUnique idempotent; Delete removes the first
	require.NoError(t, ipt.Append(filter, "FORWARD", "-i", "docker0", "-j", "ACCEPT"))
	require.NoError(t, ipt.Append(filter, "FORWARD", "-o", "docker0", "-j", "ACCEPT"))
	require.NoError(t, ipt.Append(filter, "FORWARD", "-i", "docker0", "-j", "ACCEPT"))
	require.NoError(t, ipt.AppendUnique(filter, "FORWARD", "-o", "docker0", "-j", "ACCEPT"))
	require.NoError(t, ipt.Insert(filter, "FORWARD", 4, "-j", "DROP"))
	require.NoError(t, ipt.Delete(filter, "FORWARD", "-i", "docker0", "-j", "ACCEPT"))
	lines, err := ipt.List(filter, "FORWARD")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"-P FORWARD ACCEPT",
		"-A FORWARD -o docker0 -j ACCEPT",
		"-A FORWARD -i docker0 -j ACCEPT",
		"-A FORWARD -j DROP",
	}, lines)
	isErr(t, ipt.Delete(filter, "FORWARD", "-i", "eth9", "-j", "ACCEPT"), backend.ErrNotFound, 0)

	// user chains: ClearChain creates or flushes; busy while non-empty
	require.NoError(t, ipt.ClearChain(filter, "B"))
	require.NoError(t, ipt.ClearChain(filter, "A"))
	require.NoError(t, ipt.Append(filter, "A", "-j", "RETURN"))
	isErr(t, ipt.DeleteChain(filter, "A"), backend.ErrBusy, syscall.EBUSY)
	require.NoError(t, ipt.ClearChain(filter, "A"))
	lines, _ = ipt.List(filter, "A")
	assert.Equal(t, []string{"-N A"}, lines)
	chains, err := ipt.ListChains(filter)
	require.NoError(t, err)
	assert.Equal(t, []string{"INPUT", "FORWARD", "OUTPUT", "B", "A"}, chains)
	require.NoError(t, ipt.DeleteChain(filter, "A"))
	isErr(t, ipt.DeleteChain(filter, "A"), backend.ErrNotFound, 0)
	has, err := ipt.ChainExists(filter, "B")
	require.NoError(t, err)
	assert.True(t, has)

	require.NoError(t, ipt.ChangePolicy(filter, "FORWARD", "DROP"))
	isErr(t, ipt.ChangePolicy(filter, "B", "DROP"), backend.ErrInvalid, 0)
	isErr(t, ipt.ChangePolicy(filter, "INPUT", "FOO"), backend.ErrInvalid, 0)
	_, err = ipt.List("bogus", "X")
	isErr(t, err, backend.ErrNotFound, 0)

	save, err := ipt.Save()
	require.NoError(t, err)
	assert.Equal(t, `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:B - [0:0]
-A FORWARD -o docker0 -j ACCEPT
-A FORWARD -i docker0 -j ACCEPT
-A FORWARD -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
COMMIT
`, save)
}

func raw(t *testing.T, ipt backend.IPTables, line string) ([]byte, error) {
	t.Helper()
	return ipt.Raw(splitQuoted(line)...)
}

// Docker 0.1.0's PortMapper (network.go): cleanup, setup, Map, Unmap
// (reference docs/upstream/v0.1.0.md §3).
func TestRawDocker010(t *testing.T) {
	ipt := New().Root().IPTables()
	// cleanup on a fresh machine: every command fails, and Docker ignores it
	for _, l := range []string{"-t nat -D PREROUTING -j DOCKER", "-t nat -D OUTPUT -j DOCKER",
		"-t nat -F DOCKER", "-t nat -X DOCKER"} {
		_, err := raw(t, ipt, l)
		isErr(t, err, backend.ErrNotFound, 0)
	}
	for _, l := range []string{"-t nat -N DOCKER", "-t nat -A PREROUTING -j DOCKER", "-t nat -A OUTPUT -j DOCKER",
		"-t nat -A DOCKER -p tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80"} {
		_, err := raw(t, ipt, l)
		require.NoError(t, err, l)
	}
	out, err := raw(t, ipt, "-t nat -S")
	require.NoError(t, err)
	assert.Equal(t, `-P PREROUTING ACCEPT
-P INPUT ACCEPT
-P OUTPUT ACCEPT
-P POSTROUTING ACCEPT
-N DOCKER
-A PREROUTING -j DOCKER
-A OUTPUT -j DOCKER
-A DOCKER -p tcp -m tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80
`, string(out))
	_, err = raw(t, ipt, "-t nat -D DOCKER -p tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80")
	require.NoError(t, err)
	// v1.2's cleanup of 0.1's chain: the matchless jumps go, then the chain
	for _, l := range []string{"-t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER"} {
		_, err := raw(t, ipt, l)
		isErr(t, err, backend.ErrNotFound, 0)
	}
	for _, l := range []string{"-t nat -D PREROUTING -j DOCKER", "-t nat -D OUTPUT -j DOCKER",
		"-t nat -F DOCKER", "-t nat -X DOCKER"} {
		_, err := raw(t, ipt, l)
		require.NoError(t, err, l)
	}
}

// Docker 1.2.0's bridge driver and pkg/iptables (reference
// docs/upstream/v1.2.0.md §3.1-3.2), every argv with the --wait it prepended.
func TestRawDocker120(t *testing.T) {
	ipt := New().Root().IPTables()
	ok := func(l string) {
		t.Helper()
		_, err := raw(t, ipt, "--wait "+l)
		require.NoError(t, err, l)
	}
	missing := func(l string) {
		t.Helper()
		_, err := raw(t, ipt, "--wait "+l)
		isErr(t, err, backend.ErrNotFound, 0)
	}
	_, err := raw(t, ipt, "--wait -L -n")
	require.NoError(t, err, "the xlock probe")

	// setupIPTables: -C probes then -I
	missing("-C POSTROUTING -t nat -s 172.17.42.1/16 ! -o docker0 -j MASQUERADE")
	ok("-I POSTROUTING -t nat -s 172.17.42.1/16 ! -o docker0 -j MASQUERADE")
	ok("-C POSTROUTING -t nat -s 172.17.42.1/16 ! -o docker0 -j MASQUERADE")
	missing("-D FORWARD -i docker0 -o docker0 -j DROP")
	missing("-C FORWARD -i docker0 -o docker0 -j ACCEPT")
	ok("-I FORWARD -i docker0 -o docker0 -j ACCEPT")
	missing("-C FORWARD -i docker0 ! -o docker0 -j ACCEPT")
	ok("-I FORWARD -i docker0 ! -o docker0 -j ACCEPT")
	missing("-C FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")
	ok("-I FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")

	// RemoveExistingChain("DOCKER"): every delete fails on a fresh machine
	for _, l := range []string{
		"-t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -D OUTPUT -m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER",
		"-t nat -D OUTPUT -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -D PREROUTING -j DOCKER", "-t nat -D OUTPUT -j DOCKER",
		"-t nat -F DOCKER", "-t nat -X DOCKER",
	} {
		missing(l)
	}
	// NewChain("DOCKER", "docker0")
	ok("-t nat -N DOCKER")
	ok("-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER")
	ok("-t nat -A OUTPUT -m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER")
	// Chain.Forward(Add) and the link job
	ok("-t nat -A DOCKER -p tcp -d 0/0 --dport 49153 ! -i docker0 -j DNAT --to-destination 172.17.0.2:80")
	ok("-I FORWARD ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT")
	ok("-A FORWARD -i docker0 -o docker0 -p tcp -s 172.17.0.3 --dport 80 -d 172.17.0.2 -j ACCEPT")
	ok("-A FORWARD -i docker0 -o docker0 -p tcp -s 172.17.0.2 --sport 80 -d 172.17.0.3 -j ACCEPT")

	save, err := ipt.Save()
	require.NoError(t, err)
	assert.Equal(t, `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A FORWARD -s 172.17.0.3/32 -d 172.17.0.2/32 -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A FORWARD -s 172.17.0.2/32 -d 172.17.0.3/32 -i docker0 -o docker0 -p tcp -m tcp --sport 80 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.2:80
COMMIT
`, save)

	// Chain.Forward(Delete), link -D, and RemoveExistingChain now succeed
	ok("-t nat -D DOCKER -p tcp -d 0/0 --dport 49153 ! -i docker0 -j DNAT --to-destination 172.17.0.2:80")
	ok("-D FORWARD ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT")
	ok("-D FORWARD -i docker0 -o docker0 -p tcp -s 172.17.0.3 --dport 80 -d 172.17.0.2 -j ACCEPT")
	ok("-t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER")
	ok("-t nat -D OUTPUT -m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER")
	ok("-t nat -F DOCKER")
	ok("-t nat -X DOCKER")
}

func TestRawCommands(t *testing.T) {
	ipt := NewBare().Root().IPTables()
	for _, l := range []string{"-N X", "-A X -j ACCEPT", "-I X 1 -j DROP", "-A INPUT -j X", "-P INPUT DROP", "-Z"} {
		_, err := raw(t, ipt, l)
		require.NoError(t, err, l)
	}
	out, err := raw(t, ipt, "-S X")
	require.NoError(t, err)
	assert.Equal(t, "-N X\n-A X -j DROP\n-A X -j ACCEPT\n", string(out))
	out, err = raw(t, ipt, "-L -n")
	require.NoError(t, err)
	assert.Contains(t, string(out), "Chain INPUT (policy DROP)\n")
	assert.Contains(t, string(out), "Chain X (1 references)\n")
	assert.Contains(t, string(out), "target     prot opt source               destination")
	assert.Contains(t, string(out), "X          0    --  0.0.0.0/0            0.0.0.0/0")
	_, err = raw(t, ipt, "-D X 2")
	require.NoError(t, err)
	_, err = raw(t, ipt, "-D X 9")
	isErr(t, err, backend.ErrInvalid, 0)
	_, err = raw(t, ipt, "-X X")
	isErr(t, err, backend.ErrBusy, 0)
	_, err = raw(t, ipt, "-A INPUT -N X")
	isErr(t, err, backend.ErrInvalid, 0)
	_, err = raw(t, ipt, "-j ACCEPT")
	isErr(t, err, backend.ErrInvalid, 0)
	_, err = raw(t, ipt, "-t bogus -S")
	isErr(t, err, backend.ErrNotFound, 0)
	_, err = raw(t, ipt, "-I X 0 -j ACCEPT")
	isErr(t, err, backend.ErrInvalid, 0)
	_, err = raw(t, ipt, "-F")
	require.NoError(t, err)
	_, err = raw(t, ipt, "-X")
	require.NoError(t, err)
	out, _ = raw(t, ipt, "-S")
	assert.Equal(t, "-P INPUT DROP\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n", string(out))
	assert.False(t, strings.Contains(string(out), "-N"))
}

// Rows measured with `iptables -L -n` (nft 1.8.9).
func TestListRows(t *testing.T) {
	_, spec, err := canonRule([]string{"-s", "172.17.0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE"})
	require.NoError(t, err)
	assert.Equal(t, "MASQUERADE  0    --  172.17.0.0/16        0.0.0.0/0           ", listRow(spec))
	_, spec, err = canonRule(splitQuoted("! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT"))
	require.NoError(t, err)
	assert.Equal(t, "ACCEPT     6    --  0.0.0.0/0            172.17.0.2           tcp dpt:80", listRow(spec))
}

func TestIPTablesPerNamespace(t *testing.T) {
	k := New()
	ns, err := k.NewNetNS("c1")
	require.NoError(t, err)
	require.NoError(t, ns.IPTables().NewChain(backend.TableNat, "DOCKER"))
	has, err := k.Root().IPTables().ChainExists(backend.TableNat, "DOCKER")
	require.NoError(t, err)
	assert.False(t, has)
}
