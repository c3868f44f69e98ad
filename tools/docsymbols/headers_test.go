package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tree12 is a small v1.2.0 file list.
func tree12() map[string]*Tree {
	t := &Tree{Version: "v1.2.0", set: map[string]bool{}, dirs: map[string]bool{}}
	for _, f := range []string{"daemon/daemon.go", "daemon/container.go", "reexec/reexec.go", "pkg/mflag/flag.go"} {
		t.Files = append(t.Files, f)
		t.set[f] = true
		for d := filepath.Dir(f); d != "."; d = filepath.Dir(d) {
			t.dirs[filepath.ToSlash(d)] = true
		}
	}
	return map[string]*Tree{"v1.2.0": t}
}

func msgs(ps []Problem) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return strings.Join(out, "\n")
}

func TestParseHeaderGood(t *testing.T) {
	src := `// Package daemon runs containers.
//
// Upstream: daemon/daemon.go at v1.2.0 (NewDaemon, Daemon),
// daemon/container.go at v1.2.0 (Start), pkg/mflag at v1.2.0. See
// docs/upstream/v1.2.0.md §2.3 (the steps).
// Book: ch.4 §4.3-4.13 (NewDaemon); ch.12 §12.4.
// Notes: 000 "配置Docker Daemon", 001 "容器的创建".
//
// Why it is shaped so (book ch.4 tells the story).
package daemon
`
	h, probs := parseHeader("v1_2/daemon/daemon.go", src, tree12())
	assert.Empty(t, probs, msgs(probs))
	assert.Equal(t, []UpstreamRef{
		{"daemon/daemon.go", "v1.2.0", "NewDaemon, Daemon"},
		{"daemon/container.go", "v1.2.0", "Start"},
		{"pkg/mflag", "v1.2.0", ""},
	}, h.Upstream)
	assert.True(t, strings.HasPrefix(h.Book, "ch.4 "))
	assert.Equal(t, "ch.4, ch.12", chaptersOf(h.Book))
	assert.True(t, strings.HasPrefix(h.Notes, "000 "))
}

func TestParseHeaderNotUpstream(t *testing.T) {
	src := "//go:build linux\n\n// Glue for the backend seam.\n//\n// Not upstream: the backend seam (docs/design.md \"The backend\").\npackage bridge\n"
	h, probs := parseHeader("v1_2/daemon/networkdriver/bridge/host.go", src, tree12())
	assert.Empty(t, probs, msgs(probs))
	assert.Contains(t, h.NotUpstream, "the backend seam")
}

func TestParseHeaderProblems(t *testing.T) {
	cases := []struct {
		name, file, src string
		want            []string
	}{
		{"no origin", "v1_2/x.go", "// Just prose.\npackage x\n",
			[]string{"v1_2/x.go:1: no `// Upstream: PATH at v1.2.0 (Symbols)` or `// Not upstream: why`", "files-v1.2.0.txt"}},
		{"two origins", "v1_2/x.go", "// Upstream: reexec/reexec.go at v1.2.0.\n// Not upstream: also this.\npackage x\n",
			[]string{"v1_2/x.go:2: 2 `Upstream:`/`Not upstream:` lines: keep exactly one"}},
		{"path absent at the tag", "v1_2/x.go", "// Upstream: pkg/reexec/reexec.go at v1.2.0 (Init).\npackage x\n",
			[]string{"upstream path pkg/reexec/reexec.go does not exist at v1.2.0", "did you mean reexec/reexec.go?"}},
		{"another release", "v1_2/x.go", "// Upstream: reexec/reexec.go at v1.3.0.\npackage x\n",
			[]string{"files under v1_2/ reproduce v1.2.0"}},
		{"symbol before at", "v1_2/x.go", "// Upstream: daemon/daemon.go NewDaemon at v1.2.0.\npackage x\n",
			[]string{"must start each entry with `PATH at v1.2.0`"}},
		{"prose after an entry", "v1_2/x.go", "// Upstream: daemon/daemon.go at v1.2.0 is long.\npackage x\n",
			[]string{"write `,` and the next `PATH at VERSION`"}},
		{"book in the Upstream paragraph", "v1_2/x.go", "// Upstream: daemon/daemon.go at v1.2.0. Book ch.4 §4.3.\npackage x\n",
			[]string{"move it to its own `// Book: ch.N …` line", "has no `// Book: ch.N …` line"}},
		{"note in prose without a Notes line", "v1_2/x.go", "// Upstream: daemon/daemon.go at v1.2.0.\n//\n// As note 002 says.\npackage x\n",
			[]string{"cites a note (\"note 002\") but has no `// Notes: NNN \"section\"` line"}},
		{"book without a chapter", "v1_2/x.go", "// Upstream: daemon/daemon.go at v1.2.0.\n// Book: 《Docker源码分析》 ch.3.\npackage x\n",
			[]string{"`// Book:` starts with the chapter, `ch.N`"}},
		{"no such chapter", "v1_2/x.go", "// Upstream: daemon/daemon.go at v1.2.0.\n// Book: ch.19.\npackage x\n",
			[]string{"the book has chapters 1–17"}},
		{"no such note", "v1_2/x.go", "// Upstream: daemon/daemon.go at v1.2.0.\n// Notes: 007 \"x\".\npackage x\n",
			[]string{"cites the notes by number, 000–004"}},
		{"out of order", "v1_2/x.go", "// Book: ch.4.\n// Upstream: daemon/daemon.go at v1.2.0.\npackage x\n",
			[]string{"header lines out of order"}},
		{"below the package clause", "v1_2/x.go", "// Upstream: daemon/daemon.go at v1.2.0.\npackage x\n\n// Not upstream: a divergence.\nfunc f() {}\n",
			[]string{"v1_2/x.go:4: `// Not upstream:` below the package clause"}},
		{"near miss", "v0_1/x.go", "//Upstream: network.go at v0.1.0.\npackage docker\n",
			[]string{"write the header line exactly as `// Upstream: `"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, probs := parseHeader(c.file, c.src, tree12())
			all := msgs(probs)
			for _, w := range c.want {
				assert.Contains(t, all, w)
			}
		})
	}
}

func TestCheckHeadersWalksOnlyNonTestFiles(t *testing.T) {
	root := writeTree(t, map[string]string{
		"v1_2/a/a.go":             "// Upstream: daemon/daemon.go at v1.2.0.\npackage a\n",
		"v1_2/a/a_test.go":        "package a\n",
		"v1_2/a/testdata/x.go":    "package x\n",
		"v0_1/b.go":               "// Not upstream: ours.\npackage docker\n",
		"chapters/03-daemon/d.go": "package chapter03\n",
	})
	hs, probs, err := checkHeaders(root, tree12())
	require.NoError(t, err)
	assert.Empty(t, probs, msgs(probs))
	require.Len(t, hs, 2)
	assert.Equal(t, "v0_1/b.go", hs[0].File)
	assert.Equal(t, "v1_2/a/a.go", hs[1].File)
}

func TestRuleMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, file string
		want          bool
	}{
		{"vendor/", "vendor/src/x.go", true},
		{"vendor/", "pkg/vendor/x.go", false},
		{"archive/testdata/", "archive/testdata/broken.tar", true},
		{"pkg/mount/", "pkg/mount/mount.go", true},
		{"*_test.go", "engine/job_test.go", true},
		{"MAINTAINERS", "pkg/graphdb/MAINTAINERS", true},
		{"daemon/build.go", "daemon/build.go", true},
		{"daemon/build.go", "x/daemon/build.go", false},
		{"registry/*.go", "registry/auth.go", true},
	} {
		assert.Equal(t, c.want, Rule{Pattern: c.pattern}.Match(c.file), "%s ~ %s", c.pattern, c.file)
	}
}

func TestLoadRulesBadLine(t *testing.T) {
	root := writeTree(t, map[string]string{rulesPath: "# comment\nv1.2.0 vendor/ : vendored\nv1.2.0 nothing here\n"})
	rules, probs, err := loadRules(root)
	require.NoError(t, err)
	require.Len(t, rules, 1)
	assert.Equal(t, "vendored", rules[0].Reason)
	require.Len(t, probs, 1)
	assert.Equal(t, 3, probs[0].Line)
}

func TestUpstreamMapAndFreshness(t *testing.T) {
	root := writeTree(t, map[string]string{
		"docs/upstream/files-v1.2.0.txt": "# list\ndaemon/daemon.go\ndaemon/build.go\nengine/engine.go\nengine/engine_test.go\nvendor/a/b.go\nvendor/a/c.go\n",
		rulesPath:                        "v1.2.0 vendor/ : vendored\nv1.2.0 *_test.go : upstream's tests\nv1.2.0 daemon/daemon.go : stale reason\nv1.2.0 docs/ : explains nothing\n",
		"v1_2/daemon/daemon.go":          "// Upstream: daemon/daemon.go at v1.2.0 (NewDaemon).\n// Book: ch.4 §4.3.\npackage daemon\n",
		"v1_2/daemon/glue.go":            "// Not upstream: the backend seam.\npackage daemon\n",
	})
	trees, err := loadTrees(root)
	require.NoError(t, err)
	hs, hp, err := checkHeaders(root, trees)
	require.NoError(t, err)
	require.Empty(t, hp, msgs(hp))
	text, probs, err := upstreamMap(root, trees, hs)
	require.NoError(t, err)
	all := msgs(probs)
	assert.Contains(t, all, "v1.2.0 daemon/build.go: no dockerlab header reproduces it and no line says why: add `v1.2.0 daemon/build.go : why`")
	assert.Contains(t, all, "not-reproduced.txt:3: v1.2.0 daemon/daemon.go is reproduced now (a header names it): remove this line")
	assert.Contains(t, all, "not-reproduced.txt:4: v1.2.0 docs/ matches no upstream file")

	md := string(text)
	assert.Contains(t, md, "| `daemon/daemon.go` | `v1_2/daemon/daemon.go` (NewDaemon) | ch.4 |")
	assert.Contains(t, md, "| `vendor/` (2 files) | vendored |")
	assert.Contains(t, md, "| `*_test.go` (1 file) | upstream's tests |")
	assert.Contains(t, md, "| `daemon/build.go` | (no reason given yet) |")
	assert.Contains(t, md, "| `v1_2/daemon/glue.go` | the backend seam. |")

	stale := checkMapFresh(root, text)
	require.Len(t, stale, 1)
	assert.Contains(t, stale[0].Msg, "make upstream-map")
	require.NoError(t, os.WriteFile(filepath.Join(root, mapPath), text, 0o644))
	assert.Empty(t, checkMapFresh(root, text))
}
