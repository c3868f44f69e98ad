// Contract: netfilter through the go-iptables-shaped interface and Raw
// (reference docs/kernels.md §2 "coreos/go-iptables" and
// §6 iptables table; Docker 1.2.0 pkg/iptables and setupIPTables,
// docs/upstream/v1.2.0.md §3.1–3.2; Docker 0.1.0 PortMapper, docs/upstream/v0.1.0.md §3;
// book ch.6 §6.2 and §6.4 端口映射).
//
// Rules are compared in the canonical form iptables-nft 1.8.9 prints
// (`-p tcp -m tcp --dport 80`, `/32`, options in iptables-save order), which
// the fake must reproduce; Exists and Delete accept the form Docker wrote.
package backendtest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

const (
	nat    = backend.TableNat
	filter = backend.TableFilter
)

// The DOCKER chain jumps of Docker 1.2.0 (pkg/iptables NewChain), as
// written and as listed.
var (
	preroutingJump       = []string{"-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"}
	outputJump           = []string{"-m", "addrtype", "--dst-type", "LOCAL", "!", "--dst", "127.0.0.0/8", "-j", "DOCKER"}
	preroutingJumpListed = "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER"
	outputJumpListed     = "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER"
)

func list(t *testing.T, ipt backend.IPTables, table, chain string) []string {
	t.Helper()
	rules, err := ipt.List(table, chain)
	require.NoError(t, err, "iptables -t %s -S %s", table, chain)
	return rules
}

var iptablesChecks = []check{
	{"builtin chains and policies of a fresh namespace", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		for _, table := range []string{nat, filter} {
			chains, err := ipt.ListChains(table)
			require.NoError(t, err)
			assert.Equal(t, backend.BuiltinChains[table], chains, table)
			for _, c := range backend.BuiltinChains[table] {
				ok, err := ipt.ChainExists(table, c)
				require.NoError(t, err)
				assert.True(t, ok, c)
				assert.Equal(t, []string{"-P " + c + " ACCEPT"}, list(t, ipt, table, c))
			}
		}
	}},
	{"append, exists, list in canonical form", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		rule := []string{"-p", "tcp", "-d", "10.0.0.1", "--dport", "80", "-j", "ACCEPT"}
		require.NoError(t, ipt.Append(filter, "FORWARD", rule...))
		assert.Equal(t, []string{"-P FORWARD ACCEPT", "-A FORWARD -d 10.0.0.1/32 -p tcp -m tcp --dport 80 -j ACCEPT"}, list(t, ipt, filter, "FORWARD"))
		ok, err := ipt.Exists(filter, "FORWARD", rule...)
		require.NoError(t, err)
		assert.True(t, ok, "exists in the written form")
		ok, err = ipt.Exists(filter, "FORWARD", "-d", "10.0.0.1/32", "-p", "tcp", "-m", "tcp", "--dport", "80", "-j", "ACCEPT")
		require.NoError(t, err)
		assert.True(t, ok, "exists in the listed form")
		ok, err = ipt.Exists(filter, "FORWARD", "-p", "tcp", "-d", "10.0.0.1", "--dport", "81", "-j", "ACCEPT")
		require.NoError(t, err)
		assert.False(t, ok, "another port is another rule")
	}},
	{"canonical forms of Docker's rules", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		require.NoError(t, ipt.Append(nat, "POSTROUTING", "-s", "172.17.42.1/16", "!", "-o", "docker0", "-j", "MASQUERADE"))
		require.NoError(t, ipt.Append(filter, "FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"))
		require.NoError(t, ipt.Append(filter, "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"))
		require.NoError(t, ipt.Append(filter, "FORWARD", "!", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-d", "172.17.0.2", "--dport", "80", "-j", "ACCEPT"))
		require.NoError(t, ipt.Append(filter, "FORWARD", "-i", "docker0", "-o", "docker0", "-p", "udp", "-s", "172.17.0.3", "--sport", "53", "-d", "172.17.0.2", "-j", "ACCEPT"))
		assert.Equal(t, []string{"-P POSTROUTING ACCEPT", "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE"}, list(t, ipt, nat, "POSTROUTING"))
		assert.Equal(t, []string{
			"-P FORWARD ACCEPT",
			"-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
			"-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
			"-A FORWARD -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT",
			"-A FORWARD -s 172.17.0.3/32 -d 172.17.0.2/32 -i docker0 -o docker0 -p udp -m udp --sport 53 -j ACCEPT",
		}, list(t, ipt, filter, "FORWARD"))
	}},
	{"insert at a position; past the end is invalid", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		require.NoError(t, ipt.Append(filter, "FORWARD", "-s", "10.0.0.1", "-j", "ACCEPT"))
		require.NoError(t, ipt.Insert(filter, "FORWARD", 1, "-s", "10.0.0.2", "-j", "ACCEPT"))
		require.NoError(t, ipt.Insert(filter, "FORWARD", 3, "-s", "10.0.0.3", "-j", "ACCEPT"), "len+1 appends")
		assert.Equal(t, []string{
			"-P FORWARD ACCEPT",
			"-A FORWARD -s 10.0.0.2/32 -j ACCEPT",
			"-A FORWARD -s 10.0.0.1/32 -j ACCEPT",
			"-A FORWARD -s 10.0.0.3/32 -j ACCEPT",
		}, list(t, ipt, filter, "FORWARD"))
		requireErr(t, ipt.Insert(filter, "FORWARD", 5, "-s", "10.0.0.4", "-j", "ACCEPT"), backend.ErrInvalid, 0, "insert at len+2")
	}},
	{"duplicates: Append allows them, AppendUnique does not, Delete removes the first", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		a := []string{"-s", "10.0.0.1", "-j", "ACCEPT"}
		b := []string{"-s", "10.0.0.2", "-j", "DROP"}
		require.NoError(t, ipt.Append(filter, "INPUT", a...))
		require.NoError(t, ipt.Append(filter, "INPUT", b...))
		require.NoError(t, ipt.Append(filter, "INPUT", a...))
		require.NoError(t, ipt.AppendUnique(filter, "INPUT", b...))
		require.NoError(t, ipt.Delete(filter, "INPUT", a...))
		assert.Equal(t, []string{"-P INPUT ACCEPT", "-A INPUT -s 10.0.0.2/32 -j DROP", "-A INPUT -s 10.0.0.1/32 -j ACCEPT"}, list(t, ipt, filter, "INPUT"))
		require.NoError(t, ipt.Delete(filter, "INPUT", a...))
		requireErr(t, ipt.Delete(filter, "INPUT", a...), backend.ErrNotFound, 0, "delete a rule that is gone")
	}},
	{"missing chains: Exists is false, Append/List/Delete are not found", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		ok, err := ipt.Exists(nat, "NOPE", "-j", "ACCEPT")
		require.NoError(t, err, "-C on a missing chain is just false")
		assert.False(t, ok)
		ok, err = ipt.ChainExists(nat, "NOPE")
		require.NoError(t, err)
		assert.False(t, ok)
		requireErr(t, ipt.Append(nat, "NOPE", "-j", "ACCEPT"), backend.ErrNotFound, 0, "append to a missing chain")
		requireErr(t, ipt.Insert(nat, "NOPE", 1, "-j", "ACCEPT"), backend.ErrNotFound, 0, "insert into a missing chain")
		requireErr(t, ipt.DeleteChain(nat, "NOPE"), backend.ErrNotFound, 0, "delete a missing chain")
		_, err = ipt.List(nat, "NOPE")
		require.Error(t, err, "list a missing chain")
	}},
	{"jump to a chain that does not exist is not found", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		requireErr(t, ipt.Append(nat, "PREROUTING", preroutingJump...), backend.ErrNotFound, 0, "-j DOCKER before -N DOCKER")
		assert.Equal(t, []string{"-P PREROUTING ACCEPT"}, list(t, ipt, nat, "PREROUTING"))
	}},
	{"custom chain DOCKER with Docker 1.2's jumps", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		require.NoError(t, ipt.NewChain(nat, "DOCKER"))
		requireErr(t, ipt.NewChain(nat, "DOCKER"), backend.ErrExists, 0, "-N DOCKER twice")
		ok, err := ipt.ChainExists(nat, "DOCKER")
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, []string{"-N DOCKER"}, list(t, ipt, nat, "DOCKER"))
		chains, err := ipt.ListChains(nat)
		require.NoError(t, err)
		assert.Equal(t, append(append([]string{}, backend.BuiltinChains[nat]...), "DOCKER"), chains)

		require.NoError(t, ipt.Append(nat, "PREROUTING", preroutingJump...))
		require.NoError(t, ipt.Append(nat, "OUTPUT", outputJump...))
		assert.Equal(t, []string{"-P PREROUTING ACCEPT", preroutingJumpListed}, list(t, ipt, nat, "PREROUTING"))
		assert.Equal(t, []string{"-P OUTPUT ACCEPT", outputJumpListed}, list(t, ipt, nat, "OUTPUT"))
		ok, err = ipt.Exists(nat, "OUTPUT", outputJump...)
		require.NoError(t, err)
		assert.True(t, ok)

		require.NoError(t, ipt.Append(nat, "DOCKER", "-p", "tcp", "--dport", "49153", "!", "-i", "docker0", "-j", "DNAT", "--to-destination", "172.17.0.2:80"))
		assert.Equal(t, []string{"-N DOCKER", "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.2:80"}, list(t, ipt, nat, "DOCKER"))
	}},
	{"deleting chains: referenced or non-empty is busy, builtin refused, flush then delete", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		require.NoError(t, ipt.NewChain(nat, "DOCKER"))
		require.NoError(t, ipt.Append(nat, "PREROUTING", preroutingJump...))
		requireErr(t, ipt.DeleteChain(nat, "DOCKER"), backend.ErrBusy, 0, "-X a chain PREROUTING jumps to")
		require.NoError(t, ipt.Delete(nat, "PREROUTING", preroutingJump...))

		require.NoError(t, ipt.Append(nat, "DOCKER", "-p", "tcp", "--dport", "49153", "-j", "DNAT", "--to-destination", "172.17.0.2:80"))
		requireErr(t, ipt.DeleteChain(nat, "DOCKER"), backend.ErrBusy, 0, "-X a chain with rules")

		err := ipt.DeleteChain(filter, "INPUT")
		require.Error(t, err, "-X a builtin chain")
		assert.True(t, errorsIsAny(err, backend.ErrBusy, backend.ErrInvalid, backend.ErrPermission), "-X INPUT: %v", err)
		ok, err := ipt.ChainExists(filter, "INPUT")
		require.NoError(t, err)
		assert.True(t, ok)

		require.NoError(t, ipt.ClearChain(nat, "DOCKER"))
		assert.Equal(t, []string{"-N DOCKER"}, list(t, ipt, nat, "DOCKER"))
		require.NoError(t, ipt.DeleteChain(nat, "DOCKER"))
		ok, err = ipt.ChainExists(nat, "DOCKER")
		require.NoError(t, err)
		assert.False(t, ok)
	}},
	{"ClearChain creates a missing chain", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		require.NoError(t, ipt.ClearChain(filter, "MINE"))
		assert.Equal(t, []string{"-N MINE"}, list(t, ipt, filter, "MINE"))
	}},
	{"policy of a builtin chain", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		require.NoError(t, ipt.ChangePolicy(filter, "FORWARD", "DROP"))
		assert.Equal(t, []string{"-P FORWARD DROP"}, list(t, ipt, filter, "FORWARD"))
		require.NoError(t, ipt.ChangePolicy(filter, "FORWARD", "ACCEPT"))
		assert.Equal(t, []string{"-P FORWARD ACCEPT"}, list(t, ipt, filter, "FORWARD"))
	}},
	{"Raw with Docker 1.2.0's argv", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		dnat := []string{"DOCKER", "-p", "tcp", "-d", "0/0", "--dport", "49153", "!", "-i", "docker0", "-j", "DNAT", "--to-destination", "172.17.0.2:80"}
		_, err := ipt.Raw("-t", "nat", "-N", "DOCKER")
		require.NoError(t, err)
		_, err = ipt.Raw("-t", "nat", "-N", "DOCKER")
		requireErr(t, err, backend.ErrExists, 0, "Raw -N twice")
		_, err = ipt.Raw(append([]string{"-t", "nat", "-A"}, dnat...)...)
		require.NoError(t, err)
		_, err = ipt.Raw(append([]string{"-t", "nat", "-C"}, dnat...)...)
		require.NoError(t, err, "-C finds the rule in its written form")
		out, err := ipt.Raw("-t", "nat", "-S", "DOCKER")
		require.NoError(t, err)
		assert.Equal(t, "-N DOCKER\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.2:80\n", string(out))

		// setupIPTables puts "-t nat" after the chain name.
		_, err = ipt.Raw("-I", "POSTROUTING", "-t", "nat", "-s", "172.17.42.1/16", "!", "-o", "docker0", "-j", "MASQUERADE")
		require.NoError(t, err)
		_, err = ipt.Raw("-C", "POSTROUTING", "-t", "nat", "-s", "172.17.42.1/16", "!", "-o", "docker0", "-j", "MASQUERADE")
		require.NoError(t, err)
		_, err = ipt.Raw("-C", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT")
		requireErr(t, err, backend.ErrNotFound, 0, "-C a rule that is not there")
		_, err = ipt.Raw("-D", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "DROP")
		requireErr(t, err, backend.ErrNotFound, 0, "-D a rule that is not there")

		// RemoveExistingChain: -D the jumps (absent: errors ignored by
		// Docker), then -F and -X, with --wait as Docker passed it.
		_, err = ipt.Raw("-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER")
		requireErr(t, err, backend.ErrNotFound, 0, "-D a jump that was never added")
		_, err = ipt.Raw("--wait", "-t", "nat", "-F", "DOCKER")
		require.NoError(t, err)
		_, err = ipt.Raw("-t", "nat", "-X", "DOCKER")
		require.NoError(t, err)
		ok, err := ipt.ChainExists(nat, "DOCKER")
		require.NoError(t, err)
		assert.False(t, ok)
	}},
	{"Raw with Docker 0.1.0's argv: matchless jumps", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		for _, args := range [][]string{
			{"-t", "nat", "-N", "DOCKER"},
			{"-t", "nat", "-A", "PREROUTING", "-j", "DOCKER"},
			{"-t", "nat", "-A", "OUTPUT", "-j", "DOCKER"},
			{"-t", "nat", "-A", "DOCKER", "-p", "tcp", "--dport", "49153", "-j", "DNAT", "--to-destination", "10.0.3.2:80"},
		} {
			_, err := ipt.Raw(args...)
			require.NoError(t, err, "%v", args)
		}
		assert.Equal(t, []string{"-P OUTPUT ACCEPT", "-A OUTPUT -j DOCKER"}, list(t, ipt, nat, "OUTPUT"))
		_, err := ipt.Raw("-t", "nat", "-X", "DOCKER")
		requireErr(t, err, backend.ErrBusy, 0, "-X DOCKER while jumped to and non-empty")
		for _, args := range [][]string{
			{"-t", "nat", "-D", "PREROUTING", "-j", "DOCKER"},
			{"-t", "nat", "-D", "OUTPUT", "-j", "DOCKER"},
			{"-t", "nat", "-F", "DOCKER"},
			{"-t", "nat", "-X", "DOCKER"},
		} {
			_, err := ipt.Raw(args...)
			require.NoError(t, err, "%v", args)
		}
	}},
	{"Save prints both tables, filter first, in iptables-save form", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		require.NoError(t, ipt.NewChain(nat, "DOCKER"))
		require.NoError(t, ipt.Append(nat, "PREROUTING", preroutingJump...))
		require.NoError(t, ipt.Append(filter, "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT"))
		out, err := ipt.Save()
		require.NoError(t, err)
		assert.Equal(t, ""+
			"*filter\n"+
			":INPUT ACCEPT [0:0]\n"+
			":FORWARD ACCEPT [0:0]\n"+
			":OUTPUT ACCEPT [0:0]\n"+
			"-A FORWARD -i docker0 -o docker0 -j ACCEPT\n"+
			"COMMIT\n"+
			"*nat\n"+
			":PREROUTING ACCEPT [0:0]\n"+
			":INPUT ACCEPT [0:0]\n"+
			":OUTPUT ACCEPT [0:0]\n"+
			":POSTROUTING ACCEPT [0:0]\n"+
			":DOCKER - [0:0]\n"+
			preroutingJumpListed+"\n"+
			"COMMIT\n", out)
	}},
	{"tables are per namespace", func(t *testing.T, h backend.Host) {
		ns, err := h.NewNetNS("ns1")
		require.NoError(t, err)
		require.NoError(t, h.Root().IPTables().NewChain(nat, "DOCKER"))
		ok, err := ns.IPTables().ChainExists(nat, "DOCKER")
		require.NoError(t, err)
		assert.False(t, ok)
	}},
}

func errorsIsAny(err error, kinds ...error) bool {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}
