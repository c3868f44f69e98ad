// Tests of the exercise ch04.truncindex-get (TruncIndex.Get and the radix
// walk node.find): `dockerlab lab check ch04.truncindex-get`, or
// `go test ./v1_2/pkg/truncindex -run TestCh04TruncindexGet`.
package truncindex

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labGet asks idx for prefix and checks the answer: want is the full id,
// or "" for the one error Get has ("No such id: <prefix>").
func labGet(t *testing.T, idx *TruncIndex, prefix, want string) {
	t.Helper()
	got, err := idx.Get(prefix)
	if want == "" {
		require.Error(t, err, "Get(%q) must fail: no id, or more than one, starts with it", prefix)
		assert.Equal(t, "No such id: "+prefix, err.Error(), "Get(%q): the error text is upstream's", prefix)
		return
	}
	require.NoError(t, err, "Get(%q) must find %s", prefix, want)
	assert.Equal(t, want, got, "Get(%q)", prefix)
}

// Three container ids: two share the prefix "99b36c2c3", so the radix
// tree has an edge "99b36c2c3" with two children.
const (
	labA = "99b36c2c326ccc11e726eee6ee78a0baf166ef96"
	labB = "99b36c2c3f7ce6dde03f5ef3bf2c6a2ba1e0f93a"
	labC = "4a5b6c7d8e9f00112233445566778899aabbccdd"
)

// A unique prefix finds its id, wherever it ends: inside the first edge,
// exactly at a node, inside a later edge, or at the id's last character.
func TestCh04TruncindexGet(t *testing.T) {
	idx := NewTruncIndex([]string{labA, labB, labC})
	labGet(t, idx, "4", labC)          // ends inside the only edge of labC
	labGet(t, idx, "4a5b6c7d", labC)   // still inside it
	labGet(t, idx, "99b36c2c32", labA) // one byte past the shared edge
	labGet(t, idx, "99b36c2c3f", labB)
	labGet(t, idx, "99b36c2c326ccc11", labA)
	labGet(t, idx, labA, labA) // the whole id
	labGet(t, idx, labB, labB)
}

// Two ids under the prefix is an error, the same as none: the caller
// cannot tell "ambiguous" from "unknown" at v1.2.0.
func TestCh04TruncindexGet_Ambiguous(t *testing.T) {
	idx := NewTruncIndex([]string{labA, labB, labC})
	labGet(t, idx, "9", "")
	labGet(t, idx, "99b36c2c3", "") // exactly the shared edge
	labGet(t, idx, "99b36c", "")    // inside the shared edge
	// Once one of them goes, the prefix is unique again.
	require.NoError(t, idx.Delete(labB))
	labGet(t, idx, "99b36c", labA)
}

// Prefixes that match nothing: another first byte, a wrong byte inside an
// edge, a wrong byte right after a node, a text longer than the id.
func TestCh04TruncindexGet_Unknown(t *testing.T) {
	idx := NewTruncIndex([]string{labA, labB, labC})
	labGet(t, idx, "f", "")
	labGet(t, idx, "4a5x", "")
	labGet(t, idx, "99b36c2c3x", "")
	labGet(t, idx, "99b36c2c326ccc11x", "")
	labGet(t, idx, labC+"0", "")
	// An empty index knows nothing either.
	labGet(t, NewTruncIndex(nil), "4a", "")
}

// The empty prefix is its own error, ErrNoID, even when the index holds
// a single id (which every id "starts with").
func TestCh04TruncindexGet_Empty(t *testing.T) {
	_, err := NewTruncIndex([]string{labC}).Get("")
	assert.ErrorIs(t, err, ErrNoID)
}

// The quirk the book's version has: when one id is a prefix of another,
// the shorter can never be found, not even by its full text, because the
// longer one also starts with it.
func TestCh04TruncindexGet_PrefixOfAnother(t *testing.T) {
	idx := NewTruncIndex([]string{"abc", "abcd"})
	labGet(t, idx, "abc", "")
	labGet(t, idx, "abcd", "abcd")
	labGet(t, idx, "ab", "")
}
