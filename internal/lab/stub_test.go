package lab

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A package of every shape of site, written into a temporary tree so the
// zero-value resolver can read its types.
const stubSrc = `package p

import (
	"net"
	"strings"
)

type Pair struct{ A, B int }

type Count int

// All results need a zero value.
//
//lab:exercise ch01.all
func All(s string) (net.IP, int, string, bool, *Pair, Pair, Count, []byte, error) {
	return net.ParseIP(strings.TrimSpace(s)), 1, "x", true, &Pair{}, Pair{}, 2, nil, nil
}

// Nothing to return: the stub panics.
//
//lab:exercise ch01.none
func None() {
	println(strings.ToUpper("x"))
}

// A region in the middle keeps the code after it reachable.
func Middle(n int) (int, error) {
	x := n
	//lab:begin ch01.middle
	x = x * 2
	//lab:end ch01.middle
	return x, nil
}

// A region at the end of a function without an error panics.
func End(n int) int {
	if n < 0 {
		return 0
	}
	//lab:begin ch01.end
	n++
	return n
	//lab:end ch01.end
}

// A stub of one's own.
//
//lab:exercise ch01.custom
//lab:stub _ = n
//lab:stub return -1, lab.TODO("ch01.custom")
func Custom(n int) (int, error) {
	return n, nil
}
`

func stubLab(t *testing.T, files map[string]string) *Lab {
	t.Helper()
	root := t.TempDir()
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	}
	return &Lab{Tree: &Tree{Root: root}, zr: newZeroResolver(root), st: &stubber{}}
}

func stubOf(t *testing.T, l *Lab, rel, src string, lazy bool, ids ...string) string {
	t.Helper()
	sel := map[string]bool{}
	for _, id := range ids {
		sel[id] = true
	}
	out, err := l.stubFile(rel, []byte(src), sel, lazy)
	require.NoError(t, err)
	return string(out)
}

// bodyOf returns the lines of the function whose declaration line starts
// with head, without the comment lines the stubber adds.
func bodyOf(src, head string) []string {
	i := strings.Index(src, head)
	if i < 0 {
		return nil
	}
	var out []string
	for _, line := range strings.Split(src[i:], "\n")[1:] {
		if line == "}" {
			break
		}
		if t := strings.TrimSpace(line); !strings.HasPrefix(t, "// ") {
			out = append(out, t)
		}
	}
	return out
}

func TestDefaultStubs(t *testing.T) {
	l := stubLab(t, map[string]string{"p/p.go": stubSrc})
	out := stubOf(t, l, "p/p.go", stubSrc, false, "ch01.all", "ch01.none", "ch01.middle", "ch01.end", "ch01.custom")
	assert.Equal(t, []string{`return nil, 0, "", false, nil, Pair{}, 0, nil, lab.TODO("ch01.all")`}, bodyOf(out, "func All("))
	assert.Equal(t, []string{`panic(lab.TODO("ch01.none"))`}, bodyOf(out, "func None("))
	assert.Equal(t, []string{"x := n", "//lab:begin ch01.middle", `if err := lab.TODO("ch01.middle"); err != nil {`, "return 0, err", "}", "//lab:end ch01.middle", "return x, nil"}, bodyOf(out, "func Middle("))
	assert.Equal(t, []string{"if n < 0 {", "return 0", "}", "//lab:begin ch01.end", `panic(lab.TODO("ch01.end"))`, "//lab:end ch01.end"}, bodyOf(out, "func End("))
	assert.Equal(t, []string{"_ = n", `return -1, lab.TODO("ch01.custom")`}, bodyOf(out, "func Custom("))
	// strings was used only in the removed bodies; net is still in a
	// signature; lab comes in, in a group of its own.
	assert.Contains(t, out, "import (\n\t\"net\"\n\n\t\"github.com/dockerlab/dockerlab/lab\"\n)\n")
	assert.NotContains(t, out, `"strings"`)
	// The generated comment names the exercise and the commands.
	assert.Contains(t, out, "// TODO(ch01.all): 练习 / exercise.")
	assert.Contains(t, out, "// dockerlab lab hint ch01.all (more hints) · dockerlab lab check ch01.all (test it)")
}

func TestLazyStubs(t *testing.T) {
	l := stubLab(t, map[string]string{"p/p.go": stubSrc})
	out := stubOf(t, l, "p/p.go", stubSrc, true, "ch01.all", "ch01.none", "ch01.custom")
	assert.Equal(t, []string{`return nil, 0, "", false, nil, Pair{}, 0, nil, nil`}, bodyOf(out, "func All("))
	assert.Equal(t, []string(nil), bodyOf(out, "func None("))
	assert.Equal(t, []string{"_ = n", `return -1, error(nil)`}, bodyOf(out, "func Custom("))
	assert.NotContains(t, out, `"github.com/dockerlab/dockerlab/lab"`, "a lazy answer does not import lab")
}

// Nothing selected changes nothing, to the byte.
func TestStubNothingSelected(t *testing.T) {
	l := stubLab(t, map[string]string{"p/p.go": stubSrc})
	assert.Equal(t, stubSrc, stubOf(t, l, "p/p.go", stubSrc, false, "ch09.other"))
}

// A lone `import "x"` becomes a block with lab, and drops x when the
// stub no longer uses it.
func TestStubLoneImport(t *testing.T) {
	src := "package p\n\nimport \"strings\"\n\n//lab:exercise ch01.up\nfunc Up(s string) string {\n\treturn strings.ToUpper(s)\n}\n"
	l := stubLab(t, map[string]string{"p/p.go": src})
	out := stubOf(t, l, "p/p.go", src, false, "ch01.up")
	assert.Contains(t, out, "\nimport \"github.com/dockerlab/dockerlab/lab\"\n")
	assert.NotContains(t, out, "strings")

	src2 := "package p\n\nimport \"strings\"\n\nfunc Keep() string { return strings.ToLower(\"A\") }\n\n//lab:exercise ch01.up\nfunc Up(s string) string {\n\treturn strings.ToUpper(s)\n}\n"
	out = stubOf(t, l, "p/p.go", src2, false, "ch01.up")
	assert.Contains(t, out, "import \"strings\"\n\nimport \"github.com/dockerlab/dockerlab/lab\"\n")
}

// Stubbing, then putting the original text back (what lab reset
// --solution and the solution diffs do), gives the original file back,
// to the byte: for the synthetic file and for every file of this
// repository that holds a site.
func TestStubThenRestore(t *testing.T) {
	check := func(l *Lab, rel string, src []byte) {
		t.Helper()
		sites, err := ScanFile(rel, src, l.zr)
		require.NoError(t, err)
		ids := map[string]bool{}
		orig := map[string]string{}
		for _, s := range sites {
			ids[s.ID] = true
			orig[s.Key()] = string(src[s.Start:s.End])
		}
		stubbed, err := l.stubFile(rel, src, ids, false)
		require.NoError(t, err)
		require.NotEqual(t, string(src), string(stubbed), rel)
		back, err := ScanFile(rel, stubbed, l.zr)
		require.NoError(t, err, "the stubbed file's markers must still parse")
		repl := map[*Site]string{}
		for _, s := range back {
			repl[s] = orig[s.Key()]
		}
		restored, err := rewriteSites(stubbed, repl, src, l.zr)
		require.NoError(t, err)
		assert.Equal(t, string(src), string(restored), rel)
	}
	l := stubLab(t, map[string]string{"p/p.go": stubSrc})
	check(l, "p/p.go", []byte(stubSrc))

	r := repo(t)
	seen := map[string]bool{}
	for _, s := range r.Index.Sites {
		if seen[s.File] {
			continue
		}
		seen[s.File] = true
		src, err := os.ReadFile(r.Tree.Abs(s.File))
		require.NoError(t, err)
		check(r, s.File, src)
	}
	assert.NotEmpty(t, seen)
}

func TestMarkerErrors(t *testing.T) {
	wrap := func(body string) string { return "package p\n\nfunc F() error {\n" + body + "\n\treturn nil\n}\n" }
	for _, c := range []struct{ src, want string }{
		{"package p\n\n//lab:exercise ch1.x\nfunc F() {}\n", "an exercise ID is chNN.kebab-name"},
		{"package p\n\n//lab:exercise ch01.Bad_Name\nfunc F() {}\n", "an exercise ID is chNN.kebab-name"},
		{"package p\n\n//lab:frobnicate ch01.x\nfunc F() {}\n", "unknown marker //lab:frobnicate"},
		{"package p\n\n//lab:exercise ch01.x\nvar X = 1\n", "outside any function"},
		{"package p\n\n//lab:stub return\n//lab:exercise ch01.x\nfunc F() {}\n", "comes before (or without) its //lab:exercise"},
		{wrap("\t//lab:begin ch01.x\n\tprintln()"), "has no //lab:end ch01.x"},
		{wrap("\tprintln()\n\t//lab:end ch01.x"), "without a //lab:begin"},
		{wrap("\t//lab:begin ch01.x\n\tprintln()\n\t//lab:end ch01.y"), "closes the region //lab:begin ch01.x"},
		{wrap("\t//lab:begin ch01.x\n\tif true {\n\t\tprintln()\n\t//lab:end ch01.x\n\t}"), "cuts the statement at line 5 in two"},
		{wrap("\t//lab:begin ch01.x\n\t//lab:end ch01.x"), "holds no statement"},
		{wrap("\t//lab:begin ch01.x\n\t//lab:begin ch01.y\n\tprintln()\n\t//lab:end ch01.y\n\t//lab:end ch01.x"), "regions do not nest"},
		{wrap("\tprintln()\n\t//lab:stub return nil"), "right after its //lab:begin"},
		{wrap("\tprintln() //lab:begin ch01.x"), "alone on its line"},
	} {
		_, err := ScanFile("p/p.go", []byte(c.src), nil)
		if assert.Error(t, err, c.src) {
			assert.Contains(t, err.Error(), c.want, c.src)
		}
	}
}

func TestTestNames(t *testing.T) {
	assert.Equal(t, "TestCh06SetupIptables", TestName("ch06.setup-iptables"))
	assert.Equal(t, "TestCh00IpAllocator", TestName("ch00.ip-allocator"))
	all := []TestFunc{{Name: "TestCh06Setup"}, {Name: "TestCh06SetupIptables"}, {Name: "TestCh06SetupIptables_Icc"},
		{Name: "TestCh06SetupIptables_LinuxParity"}, {Name: "TestCh06SetupIptablesX"}}
	got := testsFor(all, "ch06.setup-iptables")
	require.Len(t, got, 3)
	assert.False(t, got[0].Linux)
	assert.False(t, got[1].Linux)
	assert.True(t, got[2].Linux)
	assert.Len(t, testsFor(all, "ch06.setup"), 1, "a prefix of another exercise's name does not take its tests")
	assert.Equal(t, "^(TestCh06RequestIp|TestCh06SetupIptables)(_.*)?$", runPattern([]string{"ch06.setup-iptables", "ch06.request-ip"}, ""))
}

func TestGitignore(t *testing.T) {
	rules := parseGitignore("", []byte("/build/\n*.test\n!keep.test\n/.lab/progress.json\ndocs/**/tmp\n"))
	rules = append(rules, parseGitignore("sub", []byte("local\n"))...)
	for path, want := range map[string]bool{
		"build": true, "x/build": false, "a.test": true, "x/keep.test": false, ".lab/progress.json": true,
		".lab/manifest.json": false, "docs/a/b/tmp": true, "docs/tmp": true, "sub/local": true, "local": false,
	} {
		assert.Equal(t, want, ignored(rules, path, path == "build" || path == "x/build"), path)
	}
}

// applyUnified applies a unified diff made by unifiedDiff to a.
func applyUnified(t *testing.T, a, diff string) string {
	t.Helper()
	src := splitLines(a)
	var out []string
	pos := 0
	lines := strings.SplitAfter(diff, "\n")
	for i := 2; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "@@ -") {
			continue
		}
		f := strings.Fields(l)
		start, _ := strconv.Atoi(strings.Split(strings.TrimPrefix(f[1], "-"), ",")[0])
		if strings.HasSuffix(f[1], ",0") {
			start++
		}
		for pos < start-1 {
			out = append(out, src[pos])
			pos++
		}
		for i+1 < len(lines) && lines[i+1] != "" && !strings.HasPrefix(lines[i+1], "@@") {
			i++
			body := lines[i][1:]
			if strings.HasPrefix(lines[i], "\\") {
				last := out[len(out)-1]
				out[len(out)-1] = strings.TrimSuffix(last, "\n")
				continue
			}
			switch lines[i][0] {
			case ' ':
				require.Equal(t, src[pos], body, "context line %d", pos+1)
				out = append(out, src[pos])
				pos++
			case '-':
				require.Equal(t, src[pos], body, "removed line %d", pos+1)
				pos++
			case '+':
				out = append(out, body)
			}
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, "")
}

func TestUnifiedDiff(t *testing.T) {
	base := ""
	for i := range 40 {
		base += "line " + strconv.Itoa(i) + "\n"
	}
	change := func(s string, f func([]string) []string) string {
		return strings.Join(f(splitLines(s)), "")
	}
	for name, b := range map[string]string{
		"same":        base,
		"one changed": change(base, func(l []string) []string { l[10] = "ten\n"; return l }),
		"two hunks":   change(base, func(l []string) []string { l[2] = "two\n"; l[30] = "thirty\n"; return l }),
		"near":        change(base, func(l []string) []string { l[5] = "five\n"; l[9] = "nine\n"; return l }),
		"inserted":    change(base, func(l []string) []string { return append(l[:5], append([]string{"new\n", "new2\n"}, l[5:]...)...) }),
		"deleted":     change(base, func(l []string) []string { return append(l[:5], l[8:]...) }),
		"at start":    "first\n" + base,
		"at end":      base + "last\n",
		"no newline":  base + "tail",
		"emptied":     "",
	} {
		d := unifiedDiff("f.go", []byte(base), []byte(b))
		if b == base {
			assert.Empty(t, d, name)
			continue
		}
		assert.True(t, strings.HasPrefix(d, "--- a/f.go\n+++ b/f.go\n@@ "), name)
		assert.Equal(t, b, applyUnified(t, base, d), name)
	}
}

// When a student empties a region (deletes the stub before writing
// anything), the markers no longer scan; the search for lab.TODO that
// takes over must not find the //lab:stub directive of another region.
func TestTodoLineIgnoresDirectives(t *testing.T) {
	call := todoCall("ch99.x")
	src := "func f() (int, error) {\n\t//lab:begin ch99.x\n\t//lab:end ch99.x\n\t//lab:begin ch99.x\n" +
		"\t//lab:stub return 0, " + call + "\n\treturn 1, nil\n\t//lab:end ch99.x\n}\n"
	assert.Zero(t, todoLine([]byte(src), call), "a //lab:stub line is a comment")
	src = strings.Replace(src, "\treturn 1, nil", "\treturn 0, "+call, 1)
	assert.Equal(t, 6, todoLine([]byte(src), call), "the stub itself is found, with its line")
}
