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
	assert.Contains(t, r.stderr, "kill: can't kill pid 99: No such process")
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
