package cli

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// `chapter v0.1` and `chapter 0` both run the prologue's demo.
func TestChapterV01RunsThePrologueDemo(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	for _, name := range []string{"v0.1", "0"} {
		state := filepath.Join(t.TempDir(), "fake.json")
		out := onFake(t, state, "chapter", name)
		assert.Contains(t, out, "## Docker 0.1.0 on the fake backend")
		assert.Contains(t, out, "hello from v0.1")
		assert.Contains(t, out, "## done")
	}
}
