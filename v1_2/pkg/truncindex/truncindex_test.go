// Tests for truncindex.go and radix.go: the behaviours upstream's
// pkg/truncindex/truncindex_test.go (v1.2.0) checks, written anew, plus
// checks of the radix tree's shape after deletes.
package truncindex

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	id1 = "99b36c2c326ccc11e726eee6ee78a0baf166ef96"
	id2 = "99b36c2f7ce6dde03f5ef3bf2c6a2ba1e0f93a2a" // shares "99b36c2" with id1
)

func assertGet(t *testing.T, idx *TruncIndex, prefix, want string) {
	t.Helper()
	got, err := idx.Get(prefix)
	if want == "" {
		require.Error(t, err, "Get(%q) should fail", prefix)
		assert.Equal(t, fmt.Sprintf("No such id: %s", prefix), err.Error())
		return
	}
	require.NoError(t, err, "Get(%q)", prefix)
	assert.Equal(t, want, got)
}

func TestTruncIndex(t *testing.T) {
	idx := NewTruncIndex([]string{})

	// An empty index knows nothing.
	assertGet(t, idx, "abracadabra", "")

	require.EqualError(t, idx.Add("I have a space"), "Illegal character: ' '")
	require.Equal(t, ErrNoID, idx.Add(""))
	_, err := idx.Get("")
	require.Equal(t, ErrNoID, err)

	require.NoError(t, idx.Add(id1))
	require.EqualError(t, idx.Add(id1), "Id already exists: '"+id1+"'")

	// The full id, any prefix of it, but not a piece from its middle.
	assertGet(t, idx, id1, id1)
	assertGet(t, idx, id1[:5], id1)
	assertGet(t, idx, id1[:1], id1)
	assertGet(t, idx, id1[len(id1)/2:], "")
	assertGet(t, idx, id1+"x", "")

	// A second id sharing 7 characters: 7 or fewer are ambiguous, 8 resolve.
	require.NoError(t, idx.Add(id2))
	assertGet(t, idx, id1[:7], "")
	assertGet(t, idx, id1[:6], "")
	assertGet(t, idx, id1[:8], id1)
	assertGet(t, idx, id2[:8], id2)

	// Delete: unknown and empty ids fail with the quoted message.
	require.EqualError(t, idx.Delete("non-existing"), "No such id: 'non-existing'")
	require.EqualError(t, idx.Delete(""), "No such id: ''")
	require.NoError(t, idx.Delete(id2))
	require.EqualError(t, idx.Delete(id2), "No such id: '"+id2+"'")

	// With id2 gone the short prefix is unique again.
	assertGet(t, idx, id1[:1], id1)
	assertGet(t, idx, id2[:8], "")
}

func TestNewTruncIndexSkipsBadIDs(t *testing.T) {
	idx := NewTruncIndex([]string{"abc", "", "with space", "abc", "xyz"})
	assertGet(t, idx, "a", "abc")
	assertGet(t, idx, "x", "xyz")
	assertGet(t, idx, "w", "")
}

func TestIDThatPrefixesAnotherIsUnreachable(t *testing.T) {
	idx := NewTruncIndex([]string{"abc", "abcd"})
	assertGet(t, idx, "abc", "") // the upstream quirk: two ids start with "abc"
	assertGet(t, idx, "abcd", "abcd")
}

// After any sequence of adds and deletes every remaining id resolves from
// its full text, and the tree has no dead nodes.
func TestRandomAddDeleteKeepsTreeTidy(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	idx := NewTruncIndex(nil)
	live := map[string]bool{}
	for i := 0; i < 3000; i++ {
		id := fmt.Sprintf("%x", r.Int63n(1<<20))
		if live[id] {
			require.NoError(t, idx.Delete(id))
			delete(live, id)
		} else if idx.Add(id) == nil {
			live[id] = true
		}
	}
	var ids []string
	for id := range live {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for i, id := range ids {
		prefixOfNext := i+1 < len(ids) && strings.HasPrefix(ids[i+1], id)
		got, err := idx.Get(id)
		if prefixOfNext {
			require.Error(t, err)
		} else {
			require.NoError(t, err)
			require.Equal(t, id, got)
		}
	}
	checkTidy(t, idx.trie, true)
	for _, id := range ids {
		require.NoError(t, idx.Delete(id))
	}
	assert.Empty(t, idx.trie.children)
}

func checkTidy(t *testing.T, n *node, root bool) {
	t.Helper()
	if !root {
		require.NotEmpty(t, n.label)
		require.True(t, n.isID || len(n.children) >= 2, "node %q should have been merged or pruned", n.label)
	}
	for _, c := range n.children {
		checkTidy(t, c, false)
	}
}

func randomIDs(n int) []string {
	r := rand.New(rand.NewSource(42))
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())
	}
	return ids
}

func BenchmarkTruncIndexGet100000(b *testing.B) {
	ids := randomIDs(100000)
	idx := NewTruncIndex(ids)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := ids[i%len(ids)]
		if _, err := idx.Get(id[:12]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTruncIndexAdd100000(b *testing.B) {
	ids := randomIDs(100000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		idx := NewTruncIndex(nil)
		for _, id := range ids {
			idx.Add(id)
		}
	}
}
