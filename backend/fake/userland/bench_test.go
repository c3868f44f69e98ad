package userland

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Benchmarks: what a simulated command costs (docs/design.md "Testing": speed
// targets live in benchmarks, never in timed tests).

func benchRootfs(b *testing.B) *os.Root {
	dir := b.TempDir()
	for _, d := range []string{"bin", "etc"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bin/busybox"), []byte("\x7fELF"), 0o755); err != nil {
		b.Fatal(err)
	}
	for _, a := range Applets() {
		if err := os.Symlink("/bin/busybox", filepath.Join(dir, "bin", a)); err != nil {
			b.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { root.Close() })
	return root
}

func benchRun(b *testing.B, root *os.Root, args ...string) {
	k := newStubKernel()
	for b.Loop() {
		sys, ctx, done := k.add(context.Background(), args)
		var out strings.Builder
		if code := Run(&Process{Args: args, Dir: "/", Root: root, Stdout: &out, Ctx: ctx, Sys: sys}); code != 0 {
			b.Fatalf("exit %d", code)
		}
		done()
	}
}

// BenchmarkShellEcho is `docker run busybox sh -c 'echo hi'` minus the
// kernel: parse, interpreter set-up, one builtin.
func BenchmarkShellEcho(b *testing.B) {
	benchRun(b, benchRootfs(b), "sh", "-c", "echo hi")
}

// BenchmarkShellPipeline spawns 100 children (seq's output piped through
// a loop that runs `true` per line) and a wc.
func BenchmarkShellPipeline(b *testing.B) {
	benchRun(b, benchRootfs(b), "sh", "-c", "seq 100 | while read i; do true; done; seq 100 | wc -l")
}

// BenchmarkLs lists /bin (one symlink per applet) with -l.
func BenchmarkLs(b *testing.B) {
	benchRun(b, benchRootfs(b), "ls", "-l", "/bin")
}
