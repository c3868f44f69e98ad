//go:build linux

// iptables inside a throwaway namespace (reference
// docs/kernels.md §2 error table and canonical forms; the rules Docker 1.2.0's
// bridge driver wrote, docs/upstream/v1.2.0.md §3).

package linux_test

import (
	"os/exec"
	"syscall"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func requireIptables(t *testing.T) {
	if _, err := exec.LookPath("iptables"); err != nil {
		t.Skip("skipping: iptables not installed (apt-get install iptables)")
	}
}

func TestIPTablesChainsAndRules(t *testing.T) {
	h := linuxtest.NewHost(t)
	requireIptables(t)
	ipt := h.Root().IPTables()

	require.NoError(t, ipt.NewChain("nat", "DOCKER"))
	err := ipt.NewChain("nat", "DOCKER")
	assert.ErrorIs(t, err, backend.ErrExists)
	ok, err := ipt.ChainExists("nat", "DOCKER")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = ipt.ChainExists("nat", "NOPE")
	require.NoError(t, err)
	assert.False(t, ok)

	require.NoError(t, ipt.Append("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"))
	require.NoError(t, ipt.Append("nat", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"))
	dnat := []string{"-p", "tcp", "--dport", "8080", "-j", "DNAT", "--to-destination", "172.17.0.2:80"}
	require.NoError(t, ipt.Append("nat", "DOCKER", dnat...))
	ok, err = ipt.Exists("nat", "DOCKER", dnat...)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = ipt.Exists("nat", "NOPE", dnat...)
	require.NoError(t, err, "Exists in a missing chain is false, nil")
	assert.False(t, ok)

	lines, err := ipt.List("nat", "DOCKER")
	require.NoError(t, err)
	assert.Equal(t, []string{"-N DOCKER", "-A DOCKER -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80"}, lines)
	chains, err := ipt.ListChains("nat")
	require.NoError(t, err)
	assert.Equal(t, []string{"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING", "DOCKER"}, chains)

	err = ipt.DeleteChain("nat", "DOCKER")
	assert.ErrorIs(t, err, backend.ErrBusy, "non-empty and referenced")
	assert.ErrorIs(t, ipt.DeleteChain("nat", "PREROUTING"), backend.ErrInvalid)
	assert.ErrorIs(t, ipt.Append("nat", "NOPE", "-j", "ACCEPT"), backend.ErrNotFound)
	assert.ErrorIs(t, ipt.Append("filter", "FORWARD", "-j", "NOPE"), backend.ErrNotFound)
	assert.ErrorIs(t, ipt.Insert("nat", "DOCKER", 5, "-j", "RETURN"), backend.ErrInvalid)
	require.NoError(t, ipt.Insert("nat", "DOCKER", 1, "-j", "RETURN"))

	require.NoError(t, ipt.Delete("nat", "DOCKER", dnat...))
	err = ipt.Delete("nat", "DOCKER", dnat...)
	assert.ErrorIs(t, err, backend.ErrNotFound)
	assert.ErrorIs(t, err, syscall.ENOENT)
	require.NoError(t, ipt.AppendUnique("filter", "FORWARD", "-o", "docker0", "-j", "ACCEPT"))
	require.NoError(t, ipt.AppendUnique("filter", "FORWARD", "-o", "docker0", "-j", "ACCEPT"))
	lines, err = ipt.List("filter", "FORWARD")
	require.NoError(t, err)
	assert.Len(t, lines, 2, "AppendUnique is idempotent: %v", lines)

	require.NoError(t, ipt.ClearChain("nat", "DOCKER"))
	require.NoError(t, ipt.ClearChain("nat", "FRESH"), "ClearChain creates")
	require.NoError(t, ipt.ChangePolicy("filter", "FORWARD", "DROP"))

	save, err := ipt.Save()
	require.NoError(t, err)
	assert.Equal(t, `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -o docker0 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
:FRESH - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
COMMIT
`, save)
}

func TestIPTablesSaveOfFreshNamespace(t *testing.T) {
	h := linuxtest.NewHost(t)
	requireIptables(t)
	save, err := h.Root().IPTables().Save()
	require.NoError(t, err)
	assert.Equal(t, "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"+
		"*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n", save)
}

// Raw runs the argv Docker itself ran (1.2.0 pkg/iptables and 0.1.0's
// PortMapper).
func TestIPTablesRaw(t *testing.T) {
	h := linuxtest.NewHost(t)
	requireIptables(t)
	ipt := h.Root().IPTables()
	_, err := ipt.Raw("-t", "nat", "-N", "DOCKER")
	require.NoError(t, err)
	_, err = ipt.Raw("-t", "nat", "-N", "DOCKER")
	assert.ErrorIs(t, err, backend.ErrExists)
	_, err = ipt.Raw("-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER")
	require.NoError(t, err)
	_, err = ipt.Raw("-t", "nat", "-A", "POSTROUTING", "-s", "172.17.42.1/16", "!", "-d", "172.17.42.1/16", "-j", "MASQUERADE")
	require.NoError(t, err)
	out, err := ipt.Raw("-t", "nat", "-S", "POSTROUTING")
	require.NoError(t, err)
	assert.Equal(t, "-P POSTROUTING ACCEPT\n-A POSTROUTING -s 172.17.0.0/16 ! -d 172.17.0.0/16 -j MASQUERADE\n", string(out))
	_, err = ipt.Raw("-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER")
	require.NoError(t, err)
	_, err = ipt.Raw("-t", "nat", "-D", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER")
	assert.ErrorIs(t, err, backend.ErrNotFound)
	_, err = ipt.Raw("-t", "nat", "-X", "DOCKER")
	require.NoError(t, err)
}

// The rules live in the test's namespace only: a second namespace sees none.
func TestIPTablesArePerNamespace(t *testing.T) {
	h := linuxtest.NewHost(t)
	requireIptables(t)
	other, err := h.NewNetNS("other")
	require.NoError(t, err)
	require.NoError(t, h.Root().IPTables().NewChain("filter", "MINE"))
	ok, err := other.IPTables().ChainExists("filter", "MINE")
	require.NoError(t, err)
	assert.False(t, ok)
}
