// Contract: bad input gets a clear error of the right kind, naming what was
// wrong, and changes nothing (docs/design.md "Testing": every bad input gets a
// clear error naming the problem). The kinds are what iptables 1.8.9 and
// Linux 6.18 answer.
package backendtest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

var badInputChecks = []check{
	{"iptables: bad table, option, address, port, policy, chain name", func(t *testing.T, h backend.Host) {
		ipt := h.Root().IPTables()
		before, err := ipt.Save()
		require.NoError(t, err)
		for _, c := range []struct {
			args []string
			kind error
			word string // the part of the input the message must name
		}{
			{[]string{"-t", "bogus", "-A", "INPUT", "-j", "ACCEPT"}, backend.ErrNotFound, "bogus"},
			{[]string{"-A", "INPUT", "--bogus", "-j", "ACCEPT"}, backend.ErrInvalid, "--bogus"},
			{[]string{"-A", "INPUT", "-s", "300.1.1.1", "-j", "ACCEPT"}, backend.ErrInvalid, "300.1.1.1"},
			{[]string{"-A", "INPUT", "-s"}, backend.ErrInvalid, "-s"}, // an option missing its value
			{[]string{"-A", "INPUT", "-p", "tcp", "--dport", "99999", "-j", "ACCEPT"}, backend.ErrInvalid, "99999"},
			{[]string{"-P", "INPUT", "BOGUS"}, backend.ErrInvalid, "policy"},
			{[]string{"-N", "abcdefghijklmnopqrstuvwxyz0123456789"}, backend.ErrInvalid, "too long"},
			{[]string{"-t", "nat", "-A", "PREROUTING", "-j", "DNAT", "--to-destination", "10.1.0.2:80"}, backend.ErrInvalid, "port"},
		} {
			_, err := ipt.Raw(c.args...)
			requireErr(t, err, c.kind, 0, "iptables "+strings.Join(c.args, " "))
			assert.Contains(t, err.Error(), c.word)
		}
		requireErr(t, ipt.Append("bogus", "INPUT", "-j", "ACCEPT"), backend.ErrNotFound, 0, "Append to table bogus")
		after, err := ipt.Save()
		require.NoError(t, err)
		assert.Equal(t, before, after, "refused commands change nothing")
	}},
	{"link and namespace names that are not names", func(t *testing.T, h backend.Host) {
		for _, name := range []string{"a/b", "a b"} {
			err := h.Root().AddBridge(name, 0)
			requireErr(t, err, backend.ErrInvalid, 0, "bridge named "+name)
			assert.Contains(t, err.Error(), name)
		}
		_, err := h.NewNetNS("../x")
		requireErr(t, err, backend.ErrInvalid, 0, "namespace named ../x")
		assert.Equal(t, []string{"lo"}, linkNames(t, h.Root()))
	}},
}
