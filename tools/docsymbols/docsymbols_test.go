package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTree makes files under a temp dir from a path → content map.
func writeTree(t *testing.T, files map[string]string) string {
	root := t.TempDir()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
	return root
}

const kernelGo = `package fake

type Kernel struct{ Name string; *embedded }
type embedded struct{}
func NewBare() *Kernel { return nil }
func (k *Kernel) Start() {}
type Host interface{ Root() int }
var Default = 1
const (A = iota; B)
`

func TestDeclared(t *testing.T) {
	root := writeTree(t, map[string]string{
		"backend/fake/kernel.go":      kernelGo,
		"backend/fake/kernel_test.go": "package fake\nfunc TestOnly() {}\n",
		"backend/fake/linux_only.go":  "//go:build linux\n\npackage fake\nfunc linuxOnly() {}\n",
	})
	names, ok, err := declared(filepath.Join(root, "backend/fake"))
	require.NoError(t, err)
	require.True(t, ok)
	for _, n := range []string{"Kernel", "Kernel.Name", "Kernel.embedded", "NewBare", "Kernel.Start", "Host", "Host.Root", "Default", "A", "B", "linuxOnly"} {
		assert.True(t, names[n], n)
	}
	assert.False(t, names["TestOnly"], "test files are not part of the package docs may cite")

	_, ok, err = declared(filepath.Join(root, "backend"))
	require.NoError(t, err)
	assert.False(t, ok, "a directory without Go files is not a package")
}

func TestScanDoc(t *testing.T) {
	pkgs := map[string]bool{"backend": true, "backend/fake": true}
	doc := strings.Join([]string{
		"See `backend/fake.Kernel` and `backend.Host.Start(spec)`.",
		"Not citations: `go test ./...`, `docs/divergences.md`, `scenario.Run`, `backend/fake.go`.",
		"```",
		"`backend/fake.InFence` is inside a fence",
		"```",
		"Bad: see driver.go:123, bridge/driver.go:10:2 and https://x/y.go#L50, or `L12`.",
	}, "\n")
	cites, probs := scanDoc("README.md", doc, func(d string) bool { return pkgs[d] })
	require.Len(t, cites, 2)
	assert.Equal(t, Citation{"README.md", 1, "backend/fake.Kernel", "backend/fake", "Kernel"}, cites[0])
	assert.Equal(t, "backend", cites[1].Dir)
	assert.Equal(t, "Host.Start", cites[1].Symbol)

	var msgs []string
	for _, p := range probs {
		assert.Equal(t, 6, p.Line)
		msgs = append(msgs, p.Msg)
	}
	all := strings.Join(msgs, "\n")
	assert.Len(t, probs, 4, all)
	for _, want := range []string{`"driver.go:123"`, `"bridge/driver.go:10:2"`, `"#L50"`, "`L12`"} {
		assert.Contains(t, all, want)
	}
}

func TestCheckRepo(t *testing.T) {
	root := writeTree(t, map[string]string{
		"backend/fake/kernel.go":            kernelGo,
		"README.md":                         "Start at `backend/fake.NewBare`, then `backend/fake.Kernal`.\n",
		"docs/arch.md":                      "`backend/fake.Kernel.Stop` is gone.\n",
		"docs/notes.txt":                    "`backend/fake.Ignored` — not markdown, not read\n",
		"chapters/06/README.md":             "`backend/fake.Host.Root` ok\n",
		"walkthroughs/two-kernels.txtar":    "# `backend/fake.Missing` in a walkthrough\n",
		"walkthroughs/walkthroughs_test.go": "// `backend/fake.NotADoc`\n",
	})
	problems, checked, err := checkRepo(root)
	require.NoError(t, err)
	assert.Equal(t, 5, checked)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	assert.Equal(t, []string{
		"README.md:1: `backend/fake.Kernal`: package backend/fake declares no Kernal",
		"docs/arch.md:1: `backend/fake.Kernel.Stop`: package backend/fake declares no Kernel.Stop",
		"walkthroughs/two-kernels.txtar:1: `backend/fake.Missing`: package backend/fake declares no Missing",
	}, got)
}

func TestCheckRepoParseError(t *testing.T) {
	root := writeTree(t, map[string]string{
		"pkg/broken.go": "package pkg\nfunc {",
		"README.md":     "`pkg.X`\n",
	})
	_, _, err := checkRepo(root)
	assert.ErrorContains(t, err, "parsing pkg")
}
