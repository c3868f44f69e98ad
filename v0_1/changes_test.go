// Tests for changes.go (reference docs/upstream/v0.1.0.md §7 "Changes", §9.7).
package docker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0755))
	require.NoError(t, os.WriteFile(path, []byte(body), 0644))
}

func TestChangesOfALayer(t *testing.T) {
	base, rw := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(base, "etc", "passwd"), "root\n")
	writeFile(t, filepath.Join(base, "etc", "where"), "x\n")
	writeFile(t, filepath.Join(rw, "etc", "passwd"), "root\nuser\n")
	writeFile(t, filepath.Join(rw, "etc", ".wh.where"), "")
	writeFile(t, filepath.Join(rw, "tmp", "new"), "added\n")
	writeFile(t, filepath.Join(rw, ".wh..wh.aufs"), "")

	changes, err := Changes([]string{base}, rw)
	require.NoError(t, err)
	var lines []string
	for _, c := range changes {
		lines = append(lines, c.String())
	}
	// etc is a directory in both; its mtime differs here, so it is C, as
	// AUFS's copy-up made it in 0.1.0. ".wh.where" names /etc/where, not
	// /etc/ere as 0.1.0's TrimLeft made it.
	assert.Equal(t, []string{"C /etc", "C /etc/passwd", "D /etc/where", "A /tmp", "A /tmp/new"}, lines)
}
