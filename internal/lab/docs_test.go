package lab

import (
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the generated parts of the docs (exercise tables, expected outputs)")

// repo opens the repository this test runs in.
func repo(t *testing.T) *Lab {
	t.Helper()
	reg, err := DefaultRegistry()
	require.NoError(t, err)
	l, err := Open("../..", reg)
	require.NoError(t, err)
	if l.Tree.Student != nil {
		t.Skip("a student tree made by lab gen: the tool's own tests need the full clone")
	}
	return l
}

// The chapter READMEs and docs/teaching*.md hold tables of the exercises
// and, per exercise, what `lab check` prints when it passes; they must be
// what the manifests and the tests say. -update rewrites them.
func TestDocs(t *testing.T) {
	l := repo(t)
	for _, d := range l.Docs(nil) {
		require.NoError(t, d.Err)
		if d.Have == d.Want {
			continue
		}
		if *update {
			require.NoError(t, os.WriteFile(l.Tree.Abs(d.Path), []byte(d.Want), 0o644))
			t.Logf("rewrote %s", d.Path)
			continue
		}
		t.Errorf("%s is out of date: run go test ./internal/lab -run TestDocs -update, and review the diff", d.Path)
	}
}
