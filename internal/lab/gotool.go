package lab

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// goTool runs the go command in a tree. Every build uses -trimpath: the
// build cache then does not depend on where the tree is, so a student
// tree that `lab gen` just wrote, or an overlay in `lab verify`, reuses
// what the full clone already compiled.
type goTool struct {
	root    string
	backend string // DOCKERLAB_LAB_BACKEND for the tests: fake or linux
	timeout time.Duration
}

func (g *goTool) cmd(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = g.root
	cmd.Env = append(os.Environ(), "DOCKERLAB_LAB_BACKEND="+g.backend)
	return cmd
}

// vet runs go vet on the packages; ok with its output.
func (g *goTool) vet(ctx context.Context, overlay string, dirs []string) (bool, string) {
	args := []string{"vet", "-trimpath"}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	for _, d := range dirs {
		args = append(args, pkgArg(d))
	}
	out, err := g.cmd(ctx, args...).CombinedOutput()
	return err == nil, string(out)
}

// build runs go build on the packages.
func (g *goTool) build(ctx context.Context, pkgs ...string) (bool, string) {
	args := append([]string{"build", "-trimpath"}, pkgs...)
	out, err := g.cmd(ctx, args...).CombinedOutput()
	return err == nil, string(out)
}

// testEvent is one line of `go test -json` (cmd/test2json's format).
type testEvent struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
}

// testResult is one test's (or subtest's) outcome and output.
type testResult struct {
	Package string
	Name    string
	Action  string // pass, fail, skip; "" when it never finished
	Output  []string
}

// testRun is what one go test run reported.
type testRun struct {
	results  map[string]*testResult // by package + " " + test name
	pkgOut   map[string][]string    // package-level output (build errors, panics)
	pkgFail  map[string]bool
	exitErr  error
	rawError string // stderr of the go command
}

func newTestRun() *testRun {
	return &testRun{results: map[string]*testResult{}, pkgOut: map[string][]string{}, pkgFail: map[string]bool{}}
}

func (r *testRun) result(pkg, name string) *testResult {
	return r.results[pkg+" "+name]
}

// parse reads test2json events.
func (r *testRun) parse(rd io.Reader) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		var ev testEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		pkg := ev.Package
		if pkg == "" {
			pkg = ev.ImportPath
		}
		switch ev.Action {
		case "build-output":
			r.pkgOut[pkg] = append(r.pkgOut[pkg], strings.TrimRight(ev.Output, "\n"))
			continue
		case "build-fail":
			r.pkgFail[pkg] = true
			continue
		}
		if ev.Test == "" {
			if ev.Action == "output" {
				r.pkgOut[pkg] = append(r.pkgOut[pkg], strings.TrimRight(ev.Output, "\n"))
			}
			if ev.Action == "fail" {
				r.pkgFail[pkg] = true
			}
			continue
		}
		key := pkg + " " + ev.Test
		res := r.results[key]
		if res == nil {
			res = &testResult{Package: pkg, Name: ev.Test}
			r.results[key] = res
		}
		switch ev.Action {
		case "output":
			res.Output = append(res.Output, strings.TrimRight(ev.Output, "\n"))
		case "pass", "fail", "skip":
			res.Action = ev.Action
		}
	}
}

// test runs `go test -json` with the run and skip patterns on the
// packages.
func (g *goTool) test(ctx context.Context, overlay string, dirs []string, run, skip string) *testRun {
	args := []string{"test", "-trimpath", "-count=1", "-json", "-timeout", g.timeout.String(), "-run", run}
	if skip != "" {
		args = append(args, "-skip", skip)
	}
	if overlay != "" {
		args = append(args, "-overlay", overlay)
	}
	for _, d := range dirs {
		args = append(args, pkgArg(d))
	}
	cmd := g.cmd(ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r := newTestRun()
	r.exitErr = cmd.Run()
	r.parse(&stdout)
	r.rawError = stderr.String()
	return r
}

// testLinux builds each package's test binary as the user and runs it
// under `unshare -n` (a fresh network namespace with lo up, as
// scripts/test.sh does), through test2json so the results read the same.
// The caller has checked that this is Linux and that we are root. overlay
// (lab verify's variants) is a go -overlay file, or "".
func (g *goTool) testLinux(ctx context.Context, overlay string, dirs []string, run string) *testRun {
	r := newTestRun()
	tmp, err := os.MkdirTemp("", "dockerlab-lab-")
	if err != nil {
		r.exitErr = err
		return r
	}
	defer os.RemoveAll(tmp)
	for i, d := range dirs {
		pkg := importPath(d)
		bin := filepath.Join(tmp, fmt.Sprintf("pkg%d.test", i))
		args := []string{"test", "-trimpath", "-c", "-o", bin}
		if overlay != "" {
			args = append(args, "-overlay", overlay)
		}
		if out, err := g.cmd(ctx, append(args, pkgArg(d))...).CombinedOutput(); err != nil {
			r.pkgFail[pkg] = true
			r.pkgOut[pkg] = append(r.pkgOut[pkg], strings.Split(strings.TrimRight(string(out), "\n"), "\n")...)
			continue
		}
		if _, err := os.Stat(bin); err != nil {
			continue // no test files
		}
		goBin, err := exec.LookPath("go")
		if err != nil {
			r.exitErr = err
			return r
		}
		cmd := exec.CommandContext(ctx, "unshare", "-n", "sh", "-c", `ip link set lo up && exec "$@"`, "sh",
			goBin, "tool", "test2json", "-p", pkg, bin,
			"-test.v=test2json", "-test.count=1", "-test.timeout="+g.timeout.String(), "-test.run", run)
		cmd.Dir = filepath.Join(g.root, filepath.FromSlash(d))
		cmd.Env = append(os.Environ(), "DOCKERLAB_LAB_BACKEND=linux")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil && r.exitErr == nil {
			r.exitErr = err
		}
		r.parse(&stdout)
		if s := strings.TrimSpace(stderr.String()); s != "" {
			r.rawError += s + "\n"
		}
	}
	return r
}
