// Tests for sort.go and utils.go: upstream's pkg/graphdb/sort_test.go
// (v1.2.0) behaviour, written anew, plus the path helpers.
package graphdb

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSort(t *testing.T) {
	paths := []string{"/", "/myreallylongname", "/app/db"}
	sortByDepth(paths)
	assert.Equal(t, []string{"/app/db", "/myreallylongname", "/"}, paths)
}

func TestPathDepth(t *testing.T) {
	assert.Equal(t, 1, PathDepth("/"))
	assert.Equal(t, 2, PathDepth("/a"))
	assert.Equal(t, 3, PathDepth("/a/b"))
}

func TestSplitPath(t *testing.T) {
	for in, want := range map[string][2]string{
		"/a/b": {"/a", "b"},
		"/a":   {"", "a"},
		"a":    {"", "a"},
		"/":    {"", ""},
		"":     {"", ""},
	} {
		parent, name := splitPath(in)
		assert.Equal(t, want, [2]string{parent, name}, "splitPath(%q)", in)
	}
}

func TestIsNonUniqueNameError(t *testing.T) {
	for _, msg := range []string{
		"columns parent_id, name are not unique",
		"UNIQUE constraint failed: edge.parent_id, edge.name",
		"constraint failed: UNIQUE constraint failed: edge.parent_id, edge.name (2067)",
		"Abort due to constraint violation: constraint failed",
	} {
		assert.True(t, IsNonUniqueNameError(errors.New(msg)), msg)
	}
	assert.False(t, IsNonUniqueNameError(errors.New("disk I/O error")))
	assert.False(t, IsNonUniqueNameError(nil))
}
