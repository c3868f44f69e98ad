package lab

import (
	"bufio"
	"bytes"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
)

// TestFunc is one top-level test function found in a _test.go file.
type TestFunc struct {
	Name  string
	File  string // slash path from the root
	Dir   string // its package directory
	Linux bool   // needs the real kernel: its name continues with _Linux
}

var testFuncLine = regexp.MustCompile(`^func (Test[A-Za-z0-9_]*)\(`)

// DiscoverTests lists the top-level tests of the tree's test files
// (testdata and vendor excluded), reading each file line by line.
func DiscoverTests(t *Tree, files []string) ([]TestFunc, error) {
	var out []TestFunc
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") || !isScannedGo(strings.TrimSuffix(f, "_test.go")+".go") {
			continue
		}
		data, err := os.ReadFile(t.Abs(f))
		if err != nil {
			return nil, err
		}
		if !bytes.Contains(data, []byte("func TestCh")) {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if m := testFuncLine.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, TestFunc{Name: m[1], File: f, Dir: path.Dir(f)})
			}
		}
	}
	return out, nil
}

// testsFor picks the tests of one exercise from all tests.
func testsFor(all []TestFunc, id string) []TestFunc {
	prefix := TestName(id)
	var out []TestFunc
	for _, tf := range all {
		rest, ok := strings.CutPrefix(tf.Name, prefix)
		if !ok || (rest != "" && !strings.HasPrefix(rest, "_")) {
			continue
		}
		tf.Linux = strings.HasPrefix(rest, "_Linux")
		out = append(out, tf)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Dir != out[j].Dir {
			return out[i].Dir < out[j].Dir
		}
		return false
	})
	return out
}

// runPattern is the -run (or -skip) regexp that selects exactly the tests
// of the given exercises.
func runPattern(ids []string, suffix string) string {
	var names []string
	for _, id := range ids {
		names = append(names, TestName(id))
	}
	sort.Strings(names)
	if suffix == "" {
		return "^(" + strings.Join(names, "|") + ")(_.*)?$"
	}
	return "^(" + strings.Join(names, "|") + ")" + suffix
}

// importPath of a slash package directory.
func importPath(dir string) string {
	if dir == "." || dir == "" {
		return Module
	}
	return Module + "/" + dir
}

// pkgArg is the go command's argument for a package directory.
func pkgArg(dir string) string {
	if dir == "." || dir == "" {
		return "."
	}
	return "./" + dir
}
