package lab_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/dockerlab/dockerlab/internal/cli"
	"github.com/dockerlab/dockerlab/internal/lab"
)

var updateScripts = flag.Bool("update-scripts", false, "rewrite the expected outputs in testdata/*.txtar")

// TestMain lets the scripts run `dockerlab` (this test binary, run again
// as the real command).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"dockerlab": func() { os.Exit(cli.Execute()) },
	})
}

// TestStudentPath runs testdata/*.txtar: what a student and a teacher do,
// black-box, through the dockerlab command. $REPO is this repository;
// `mkclone DIR` makes a git clone-like copy of it (its files, committed
// in a fresh repository).
// goLine matches the line number of a Go file name in the tool's output.
var goLine = regexp.MustCompile(`\.go:[0-9]+`)

func TestStudentPath(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(repo, ".lab", "manifest.json")); err == nil {
		t.Skip("a student tree made by lab gen: the tool's own tests need the full clone")
	}
	goEnv := map[string]string{}
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOFLAGS").Output()
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOROOT", "GOFLAGS"} {
		goEnv[name] = strings.Split(string(out), "\n")[i]
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		UpdateScripts:       *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			for k, v := range goEnv {
				env.Setenv(k, v)
			}
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("DOCKERLAB_BACKEND", "")
			return nil
		},
		// [realkernel]: Linux and root, where lab check --backend linux
		// (and lab verify, for linux-only exercises) use the real kernel.
		Condition: func(cond string) (bool, error) {
			if cond != "realkernel" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			return runtime.GOOS == "linux" && os.Geteuid() == 0, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// cmplines compares stdout with a file as cmp does, but with the
			// line numbers of "file.go:N" read as "file.go:N": a header
			// edited above a stubbed function must not break the golden.
			"cmplines": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 || args[0] != "stdout" {
					ts.Fatalf("usage: cmplines stdout FILE")
				}
				got := goLine.ReplaceAllString(ts.ReadFile("stdout"), ".go:N")
				want := goLine.ReplaceAllString(ts.ReadFile(args[1]), ".go:N")
				if got != want {
					ts.Logf("[got]\n%s\n[want]\n%s", got, want)
					ts.Fatalf("stdout and %s differ (line numbers aside)", args[1])
				}
			},
			"mkclone": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: mkclone DIR")
				}
				reg, err := lab.DefaultRegistry()
				ts.Check(err)
				l, err := lab.Open(repo, reg)
				ts.Check(err)
				dir := ts.MkAbs(args[0])
				ts.Check(lab.CopyTree(l, dir))
				for _, c := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "clone"}} {
					cmd := exec.Command("git", c...)
					cmd.Dir = dir
					cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=lab", "GIT_AUTHOR_EMAIL=lab@example.com",
						"GIT_COMMITTER_NAME=lab", "GIT_COMMITTER_EMAIL=lab@example.com")
					if out, err := cmd.CombinedOutput(); err != nil {
						ts.Fatalf("git %v: %v\n%s", c, err, out)
					}
				}
			},
		},
	})
}
