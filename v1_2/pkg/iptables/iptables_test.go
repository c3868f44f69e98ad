// Tests for pkg/iptables: upstream had none at v1.2.0 (reference
// docs/upstream/v1.2.0.md §3.2, §7.1 "iptables chain logic"), so these pin the
// exact argv of §3.2 through a recording Runner, and check on the fake
// kernel what the rules leave in iptables-save.
package iptables

import (
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// record makes Raw run on a fresh bare fake kernel and remember each argv.
func record(t *testing.T) (*[]string, backend.Host) {
	t.Helper()
	h := fake.NewBare()
	var calls []string
	raw := h.Root().IPTables().Raw
	old := SetRunner(func(args ...string) ([]byte, error) {
		calls = append(calls, strings.Join(args, " "))
		return raw(args...)
	})
	t.Cleanup(func() { SetRunner(old) })
	return &calls, h
}

func save(t *testing.T, h backend.Host) string {
	t.Helper()
	s, err := h.Root().IPTables().Save()
	require.NoError(t, err)
	return s
}

func TestNewChainArgv(t *testing.T) {
	calls, h := record(t)
	c, err := NewChain("DOCKER", "docker0")
	require.NoError(t, err)
	assert.Equal(t, &Chain{Name: "DOCKER", Bridge: "docker0"}, c)
	assert.Equal(t, []string{
		"-t nat -N DOCKER",
		"-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -A OUTPUT -m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER",
	}, *calls)
	s := save(t, h)
	assert.Contains(t, s, ":DOCKER - [0:0]\n")
	assert.Contains(t, s, "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n")
	assert.Contains(t, s, "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER\n")

	// A second NewChain fails: the chain is there already.
	_, err = NewChain("DOCKER", "docker0")
	require.Error(t, err)
	assert.True(t, errors.Is(err, backend.ErrExists), "%v", err)
	assert.Contains(t, err.Error(), "iptables failed: iptables -t nat -N DOCKER")
}

func TestRemoveExistingChainArgv(t *testing.T) {
	calls, h := record(t)
	empty := save(t, h)
	_, err := NewChain("DOCKER", "docker0")
	require.NoError(t, err)
	*calls = nil

	require.NoError(t, RemoveExistingChain("DOCKER"))
	assert.Equal(t, []string{
		"-t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -D OUTPUT -m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER",
		"-t nat -D OUTPUT -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -D PREROUTING -j DOCKER",
		"-t nat -D OUTPUT -j DOCKER",
		"-t nat -F DOCKER",
		"-t nat -X DOCKER",
	}, *calls)
	assert.Equal(t, empty, save(t, h), "everything NewChain made is gone")

	// On a machine that never had the chain every step fails, and
	// RemoveExistingChain still says nil, as upstream did.
	require.NoError(t, RemoveExistingChain("DOCKER"))
	assert.Equal(t, empty, save(t, h))
}

func TestRemoveOldJumps(t *testing.T) {
	// Docker 0.1.x jumped to DOCKER without the loopback exception and
	// without any match at all; Remove deletes those too.
	_, h := record(t)
	ipt := h.Root().IPTables()
	require.NoError(t, ipt.NewChain("nat", "DOCKER"))
	require.NoError(t, ipt.Append("nat", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER"))
	require.NoError(t, ipt.Append("nat", "PREROUTING", "-j", "DOCKER"))
	require.NoError(t, ipt.Append("nat", "OUTPUT", "-j", "DOCKER"))
	require.NoError(t, RemoveExistingChain("DOCKER"))
	ok, err := ipt.ChainExists("nat", "DOCKER")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestForwardArgv(t *testing.T) {
	calls, h := record(t)
	c, err := NewChain("DOCKER", "docker0")
	require.NoError(t, err)
	*calls = nil

	require.NoError(t, c.Forward(Add, net.ParseIP("0.0.0.0"), 49153, "tcp", "172.17.0.2", 80))
	require.NoError(t, c.Forward(Add, net.ParseIP("127.0.0.1"), 5353, "udp", "172.17.0.3", 53))
	assert.Equal(t, []string{
		"-t nat -A DOCKER -p tcp -d 0/0 --dport 49153 ! -i docker0 -j DNAT --to-destination 172.17.0.2:80",
		"-I FORWARD ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT",
		"-t nat -A DOCKER -p udp -d 127.0.0.1 --dport 5353 ! -i docker0 -j DNAT --to-destination 172.17.0.3:53",
		"-I FORWARD ! -i docker0 -o docker0 -p udp -d 172.17.0.3 --dport 53 -j ACCEPT",
	}, *calls)
	s := save(t, h)
	assert.Contains(t, s, "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.2:80\n")
	assert.Contains(t, s, "-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 5353 -j DNAT --to-destination 172.17.0.3:53\n")
	assert.Contains(t, s, "-A FORWARD -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT\n")

	*calls = nil
	require.NoError(t, c.Forward(Delete, net.ParseIP("0.0.0.0"), 49153, "tcp", "172.17.0.2", 80))
	assert.Equal(t, []string{
		"-t nat -D DOCKER -p tcp -d 0/0 --dport 49153 ! -i docker0 -j DNAT --to-destination 172.17.0.2:80",
		"-D FORWARD ! -i docker0 -o docker0 -p tcp -d 172.17.0.2 --dport 80 -j ACCEPT",
	}, *calls)
	s = save(t, h)
	assert.NotContains(t, s, "172.17.0.2")

	// Deleting it again fails: the rule is gone.
	err = c.Forward(Delete, net.ParseIP("0.0.0.0"), 49153, "tcp", "172.17.0.2", 80)
	require.Error(t, err)
	assert.True(t, errors.Is(err, backend.ErrNotFound), "%v", err)
}

func TestExists(t *testing.T) {
	calls, _ := record(t)
	assert.False(t, Exists("FORWARD", "-i", "docker0", "-j", "ACCEPT"))
	_, err := Raw("-I", "FORWARD", "-i", "docker0", "-j", "ACCEPT")
	require.NoError(t, err)
	assert.True(t, Exists("FORWARD", "-i", "docker0", "-j", "ACCEPT"))
	assert.False(t, Exists("NOSUCHCHAIN", "-j", "ACCEPT"), "a missing chain is a missing rule")
	assert.Equal(t, "-C FORWARD -i docker0 -j ACCEPT", (*calls)[0])
}

func TestRawWithoutRunner(t *testing.T) {
	old := SetRunner(nil)
	defer SetRunner(old)
	_, err := Raw("-L")
	assert.Equal(t, ErrIptablesNotFound, err)
	assert.False(t, Exists("FORWARD", "-j", "ACCEPT"))
	_, err = NewChain("DOCKER", "docker0")
	assert.ErrorIs(t, err, ErrIptablesNotFound)
}

func TestRawNoProgram(t *testing.T) {
	old := SetRunner(func(args ...string) ([]byte, error) {
		return nil, backend.Errorf(backend.ErrUnsupported, 0, "iptables", "", "iptables not found")
	})
	defer SetRunner(old)
	_, err := Raw("-L")
	assert.ErrorIs(t, err, ErrIptablesNotFound)
	assert.ErrorIs(t, err, backend.ErrUnsupported)
}

func TestRawLockMessageIsNotOutput(t *testing.T) {
	old := SetRunner(func(args ...string) ([]byte, error) {
		return []byte("Another app is currently holding the xtables lock; waiting for it to exit...\n"), nil
	})
	defer SetRunner(old)
	out, err := Raw("-t", "nat", "-N", "DOCKER")
	require.NoError(t, err)
	assert.Empty(t, out)
}

func TestSetHost(t *testing.T) {
	old := SetRunner(nil)
	defer SetRunner(old)
	h := fake.NewBare()
	SetHost(h)
	_, err := NewChain("DOCKER", "docker0")
	require.NoError(t, err)
	ok, err := h.Root().IPTables().ChainExists("nat", "DOCKER")
	require.NoError(t, err)
	assert.True(t, ok)
	SetHost(nil)
	_, err = Raw("-L")
	assert.Equal(t, ErrIptablesNotFound, err)
}
