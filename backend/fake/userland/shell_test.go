package userland

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShellBasics(t *testing.T) {
	_, root := testRootfs(t)
	cases := []struct {
		cmd    string
		code   int
		stdout string
	}{
		{`echo hello`, 0, "hello\n"},
		{`exit 3`, 3, ""},
		{`false; echo $?`, 0, "1\n"},
		{`true && echo yes || echo no`, 0, "yes\n"},
		{`false && echo yes || echo no`, 0, "no\n"},
		{`for i in 1 2 3; do echo $i; done`, 0, "1\n2\n3\n"},
		{`echo a b c | wc -w`, 0, "3\n"},
		{`x=5; while [ $x -gt 3 ]; do echo $x; x=$((x-1)); done`, 0, "5\n4\n"},
		{`cd /etc && pwd`, 0, "/etc\n"},
		{`printf '%s-%d\n' a 1`, 0, "a-1\n"},
		{`echo $0`, 0, "sh\n"},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			r := sh(t, root, c.cmd)
			assert.Equal(t, c.code, r.code, "stderr: %s", r.stderr)
			assert.Equal(t, c.stdout, r.stdout)
		})
	}
}

func TestShellArgsAndScripts(t *testing.T) {
	dir, root := testRootfs(t)
	r := run(t, root, "", "sh", "-c", `echo "$0:$1:$2"`, "name", "a", "b")
	assert.Equal(t, "name:a:b\n", r.stdout)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "run.sh"), []byte("#!/bin/sh\necho script $1\nexit 4\n"), 0o755))
	r = run(t, root, "", "/run.sh", "x")
	assert.Equal(t, 4, r.code)
	assert.Equal(t, "script x\n", r.stdout)

	r = run(t, root, "", "sh", "/run.sh", "y")
	assert.Equal(t, "script y\n", r.stdout)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "bb.sh"), []byte("#!/bin/busybox sh\necho bb\n"), 0o755))
	r = run(t, root, "", "/bb.sh")
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "bb\n", r.stdout)

	// commands from stdin
	r = run(t, root, "echo one\necho two\nexit 7\necho never\n", "sh")
	assert.Equal(t, 7, r.code)
	assert.Equal(t, "one\ntwo\n", r.stdout)

	// a script calling another script without #!: ash runs it with sh
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plain"), []byte("echo plain\n"), 0o755))
	r = sh(t, root, "/plain")
	assert.Equal(t, "plain\n", r.stdout, r.stderr)
}

func TestShellNotFound(t *testing.T) {
	_, root := testRootfs(t)
	r := sh(t, root, "nosuch; echo $?")
	assert.Equal(t, "127\n", r.stdout)
	assert.Equal(t, "sh: nosuch: not found\n", r.stderr)

	r = run(t, root, "", "nosuch")
	assert.Equal(t, 127, r.code)

	r = run(t, root, "", "busybox", "frobnicate")
	assert.Equal(t, 127, r.code)
	assert.Equal(t, "frobnicate: applet not found\n", r.stderr)
}

func TestShellExecKeepsPid(t *testing.T) {
	_, root := testRootfs(t)
	// $$ is the interpreter's host pid; ps shows what pids the kernel gave.
	r := sh(t, root, `exec ps`)
	assert.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2, r.stdout)
	assert.Contains(t, lines[1], "    1 root")

	r = sh(t, root, `exec nosuch; echo not reached`)
	assert.Equal(t, 127, r.code)
	assert.Empty(t, r.stdout)
}

func TestShellSpawnsChildren(t *testing.T) {
	_, root := testRootfs(t)
	r := sh(t, root, `ps; true`)
	assert.Contains(t, r.stdout, "    1 root      0:00 sh -c ps; true\n")
	assert.Contains(t, r.stdout, "    2 root      0:00 ps\n")
}

func TestShellKilledStopsPromptly(t *testing.T) {
	_, root := testRootfs(t)
	k := newStubKernel()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runIn(t, k, root, ctx, "", "sh", "-c", "while true; do sleep 1; done") }()
	waitFor(t, func() bool { return len((&stubSys{k: k}).Procs()) >= 2 })
	cancel()
	r := <-done
	assert.NotEqual(t, 0, r.code)
}

func TestShellTrapTerm(t *testing.T) {
	_, root := testRootfs(t)
	k := newStubKernel()
	done := make(chan result, 1)
	go func() {
		done <- runIn(t, k, root, context.Background(), "", "sh", "-c",
			`trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 1; done`)
	}()
	waitFor(t, func() bool { return len((&stubSys{k: k}).Procs()) >= 2 })
	assert.True(t, k.handles(1, syscall.SIGTERM), "trap declares its handler to the kernel")
	require.NoError(t, (&stubSys{k: k}).Kill(1, syscall.SIGTERM))
	r := <-done
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "ready\nbye\n", r.stdout)

	// without a trap, TERM ends the shell with 128+15
	k = newStubKernel()
	go func() { done <- runIn(t, k, root, context.Background(), "", "sh", "-c", `sleep 100`) }()
	waitFor(t, func() bool { return len((&stubSys{k: k}).Procs()) >= 2 })
	require.NoError(t, (&stubSys{k: k}).Kill(1, syscall.SIGTERM))
	assert.Equal(t, 143, (<-done).code)
}

func TestShellTypeAndCommandV(t *testing.T) {
	_, root := testRootfs(t)
	r := sh(t, root, `type ls echo nosuch; command -v cat; command -v nosuch || echo missing`)
	assert.Equal(t, "ls is /bin/ls\necho is a shell builtin\nnosuch: not found\n/bin/cat\nmissing\n", r.stdout)
}

func TestShellKillBuiltin(t *testing.T) {
	_, root := testRootfs(t)
	r := sh(t, root, `kill -0 1 && echo alive; kill -0 99; echo $?`)
	assert.Equal(t, "alive\n1\n", r.stdout)
	assert.Equal(t, "sh: can't kill pid 99: No such process\n", r.stderr)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition never became true")
}

// TestShellAshCompat checks ash's wording and statuses (compared with
// Debian's busybox 1.35 sh) and the parameters the interpreter would take
// from the host process.
func TestShellAshCompat(t *testing.T) {
	_, root := testRootfs(t)
	cases := []struct {
		cmd, stdout, stderr string
		code                int
	}{
		{"echo $$ ${$} $PPID", "1 1 0\n", "", 0},
		{"sh -c 'echo $$ $PPID'", "2 1\n", "", 0},
		{"eval 'echo $$'", "1\n", "", 0},
		{"cd /nonexist", "", "sh: cd: can't cd to /nonexist: No such file or directory\n", 2},
		{"cd /etc/passwd", "", "sh: cd: can't cd to /etc/passwd: Not a directory\n", 2},
		{"cd; pwd; cd /etc; cd -; pwd", "/root\n/root\n/root\n", "", 0},
		{"echo x > /nonexist/y", "", "sh: can't create /nonexist/y: nonexistent directory\n", 1},
		{"cat < /nonexist", "", "sh: can't open /nonexist: no such file\n", 1},
		{". nosuch", "", "sh: .: nosuch: not found\n", 2},
		{"umask; umask 077; umask", "0022\n0077\n", "", 0},
		{"trap 'echo t' TERM; trap", "trap -- 'echo t' TERM\n", "", 0},
		{"trap 'echo bye $$' EXIT; echo hi", "hi\nbye 1\n", "", 0},
		{"trap x FOO", "", "sh: trap: FOO: invalid signal specification\n", 1},
		{"sh /nosuch", "", "sh: can't open '/nosuch': No such file or directory\n", 2},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			r := sh(t, root, c.cmd)
			assert.Equal(t, c.code, r.code)
			assert.Equal(t, c.stdout, r.stdout)
			assert.Equal(t, c.stderr, r.stderr)
		})
	}
	r := run(t, root, "echo $0 $$\n", "sh")
	assert.Equal(t, "sh 1\n", r.stdout)
}

func TestTailFollowDevNullRunsUntilKilled(t *testing.T) {
	_, root := testRootfs(t)
	k := newStubKernel()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() { done <- runIn(t, k, root, ctx, "", "tail", "-f", "/dev/null") }()
	waitFor(t, func() bool { return len((&stubSys{k: k}).Procs()) == 1 })
	select {
	case r := <-done:
		t.Fatalf("tail -f ended by itself: %+v", r)
	default:
	}
	cancel()
	assert.Equal(t, killedStatus, (<-done).code)
}
