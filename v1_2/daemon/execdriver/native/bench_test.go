package native

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
)

// benchRootfs is a fake-only rootfs (a placeholder busybox and sh, true).
func benchRootfs(b *testing.B) string {
	dir := b.TempDir()
	for _, d := range []string{"bin", "etc", "proc", "dev", "sys", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "busybox"), []byte("placeholder\n"), 0o755); err != nil {
		b.Fatal(err)
	}
	for _, a := range []string{"sh", "true"} {
		if err := os.Symlink("busybox", filepath.Join(dir, "bin", a)); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// benchRun measures Run of `true` (container.json, cgroup, namespaces,
// state.json, wait, cleanup) with the given network.
func benchRun(b *testing.B, h backend.Host, rootfs string, network func() *execdriver.Network) {
	d, err := NewDriver(filepath.Join(b.TempDir(), "native"), "/init", h)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := &execdriver.Command{ID: fmt.Sprintf("%064x", i), Rootfs: rootfs, Entrypoint: "true", Network: network()}
		if code, err := d.Run(c, nil, nil); err != nil || code != 0 {
			b.Fatalf("run: %d %v", code, err)
		}
	}
}

func BenchmarkRunTrueFakeNoNetwork(b *testing.B) {
	benchRun(b, fake.New(), benchRootfs(b), func() *execdriver.Network { return nil })
}
