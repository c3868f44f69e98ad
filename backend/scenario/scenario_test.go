// Tests for the scenario registry and Diff; the scenarios themselves run
// on both backends in backend/backendtest (parity_test.go).
package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookupFindsEveryScenario(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range All {
		require.False(t, seen[s.Name], "duplicate scenario %s", s.Name)
		seen[s.Name] = true
		got, ok := Lookup(s.Name)
		require.True(t, ok)
		assert.Equal(t, s.Name, got.Name)
		assert.NotEmpty(t, s.Title)
		assert.NotEmpty(t, s.Doc)
		assert.NotNil(t, s.Run)
	}
	for _, want := range []string{"bridge-veth-netns", "iptables-docker", "v01-portmapper", "ip-forward", "teardown"} {
		assert.True(t, seen[want], want)
	}
	_, ok := Lookup("nope")
	assert.False(t, ok)
}

func TestDiff(t *testing.T) {
	assert.Empty(t, Diff("a\nb\n", "a\nb\n"))
	d := Diff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nX\n6\n7\n8\n")
	assert.Equal(t, "  3\n  4\n- 5\n+ X\n  6\n  7\n", d)
	d = Diff("a\n", "a\nb\n")
	assert.Contains(t, d, "+ b")
}
