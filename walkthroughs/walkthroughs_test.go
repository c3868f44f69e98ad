// The walkthroughs harness (docs/design.md "Testing": walkthroughs are scripts
// that run the binary and check its output, on the fake backend in every
// run and on linux as root). Each walkthroughs/*.txtar is a testscript
// (github.com/rogpeppe/go-internal/testscript): shell-like lines that run
// `dockerlab`, then `stdout`/`cmp` lines that check what it printed.
// walkthroughs/README.md explains each one in English and 中文.
//
// Two tests:
//
//   - TestWalkthroughs runs every NAME.txtar with DOCKERLAB_BACKEND=fake
//     and a fresh fake machine in $WORK/fake.json. No root, any OS.
//   - TestWalkthroughsLinux runs every NAME.linux.txtar with
//     DOCKERLAB_BACKEND=linux, as root only (it skips, saying why,
//     otherwise). The real backend works in a sandbox namespace whose
//     name, $SANDBOX, is fresh for each script, so a walkthrough never
//     touches the machine's own network or another run's sandbox.
//
// Conditions a script can use besides testscript's own ([linux] is the
// GOOS, [exec:prog], …): [root] (euid 0) and [busybox] (the demo image
// build/images/busybox-rootfs exists: `make images`). One command of our
// own, extract, cuts a section out of a saved output (see cmdExtract).
package walkthroughs

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// binDir holds the dockerlab binary the scripts run.
var binDir string

// TestMain builds dockerlab once for every script, or uses
// $DOCKERLAB_BIN when the caller (make) already built it.
func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if bin := os.Getenv("DOCKERLAB_BIN"); bin != "" {
		abs, err := filepath.Abs(bin)
		if err != nil || filepath.Base(abs) != "dockerlab" {
			fmt.Fprintf(os.Stderr, "DOCKERLAB_BIN=%s must be a path ending in /dockerlab\n", bin)
			return 2
		}
		binDir = filepath.Dir(abs)
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "dockerlab-walkthroughs-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "dockerlab"), "github.com/dockerlab/dockerlab/cmd/dockerlab")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "walkthroughs: building dockerlab:", err)
		return 2
	}
	binDir = dir
	return m.Run()
}

// scripts lists the walkthroughs for one backend: NAME.linux.txtar for
// linux, every other NAME.txtar for fake.
func scripts(t *testing.T, backend string) []string {
	all, err := filepath.Glob("*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if strings.HasSuffix(f, ".linux.txtar") == (backend == "linux") {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		t.Fatalf("no walkthroughs for the %s backend in walkthroughs/", backend)
	}
	return files
}

func params(t *testing.T, backend string) testscript.Params {
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	rootfs := filepath.Join(repo, "build", "images", "busybox-rootfs")
	return testscript.Params{
		Files:               scripts(t, backend),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("DOCKERLAB_BACKEND", backend)
			env.Setenv("DOCKERLAB_FAKE_STATE", filepath.Join(env.WorkDir, "fake.json"))
			env.Setenv("DOCKERLAB_ROOTFS", rootfs)
			sandbox := sandboxName()
			env.Setenv("SANDBOX", sandbox)
			if backend == "linux" {
				// Whatever happens to the script, its sandbox (and the
				// namespaces made in it) goes away afterwards.
				env.Defer(func() { resetSandbox(env, sandbox) })
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"extract": cmdExtract,
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			case "busybox":
				_, err := os.Stat(filepath.Join(rootfs, "bin", "busybox"))
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q (walkthroughs know [root] and [busybox])", cond)
		},
	}
}

// cmdExtract implements `extract FROM TO IN OUT`: copy to OUT the lines
// of IN from the last line matching the regexp FROM up to, not including,
// the next line matching TO (or the end). The two-kernels walkthrough uses
// it to compare the part of two backends' outputs that must be equal.
func cmdExtract(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! extract")
	}
	if len(args) != 4 {
		ts.Fatalf("usage: extract FROM TO IN OUT")
	}
	from, err := regexp.Compile(args[0])
	ts.Check(err)
	to, err := regexp.Compile(args[1])
	ts.Check(err)
	lines := strings.SplitAfter(ts.ReadFile(args[2]), "\n")
	start := -1
	for i, l := range lines {
		if from.MatchString(l) {
			start = i
		}
	}
	if start < 0 {
		ts.Fatalf("extract: no line of %s matches %q", args[2], args[0])
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if to.MatchString(lines[i]) {
			end = i
			break
		}
	}
	out := strings.Join(lines[start:end], "")
	ts.Check(os.WriteFile(ts.MkAbs(args[3]), []byte(out), 0o644))
}

// resetSandbox removes a linux walkthrough's sandbox if the script left it
// behind (it failed before its own `sandbox reset`).
func resetSandbox(env *testscript.Env, name string) {
	if _, err := os.Stat("/run/netns/" + name); err != nil {
		return
	}
	cmd := exec.Command(filepath.Join(binDir, "dockerlab"), "--backend", "linux", "--sandbox-name", name, "sandbox", "reset")
	if out, err := cmd.CombinedOutput(); err != nil {
		env.T().Log("cleaning up sandbox " + name + ": " + err.Error() + ": " + string(out))
	}
}

// sandboxName is a fresh sandbox namespace name, short enough for any
// interface-name-like limit: "dlwt-" and 8 hex digits.
func sandboxName() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "dlwt-" + hex.EncodeToString(b)
}

func TestWalkthroughs(t *testing.T) {
	testscript.Run(t, params(t, "fake"))
}

func TestWalkthroughsLinux(t *testing.T) {
	switch {
	case runtime.GOOS != "linux":
		t.Skip("the linux walkthroughs need Linux")
	case os.Geteuid() != 0:
		t.Skip("the linux walkthroughs need root (they build real bridges and veths in a throwaway sandbox namespace): sudo make test")
	case os.Getenv("DOCKERLAB_LINUX_TESTS") == "0":
		t.Skip("DOCKERLAB_LINUX_TESTS=0: real-kernel tests turned off (make test-fake)")
	}
	// One script at a time: the linux backend keeps the named namespaces
	// of every sandbox in one directory (/run/dockerlab/netns), so two
	// scripts building the same containers (c1, c2, …) at once would
	// collide. Each t.Run returns only when its script has finished.
	p := params(t, "linux")
	for _, f := range p.Files {
		t.Run(strings.TrimSuffix(f, ".txtar"), func(t *testing.T) {
			one := p
			one.Files = []string{f}
			testscript.Run(t, one)
		})
	}
}
