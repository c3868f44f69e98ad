package v01demo

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/internal/reexec"
)

// TestMain: on linux the test binary is also the backend's container init.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	os.Exit(m.Run())
}

// repoImage is build/images/busybox.tar of this repository.
func repoImage() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "build", "images", "busybox.tar")
}

// runOn runs the demo on h with the image at image, checks that the
// machine is left as found and returns what the demo printed.
func runOn(t *testing.T, h backend.Host, image string) string {
	t.Helper()
	old := ImagePath
	ImagePath = image
	t.Cleanup(func() { ImagePath = old })
	before, err := backend.Dump(h.Root())
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, Run(context.Background(), h, &out), out.String())
	after, err := backend.Dump(h.Root())
	require.NoError(t, err)
	assert.Equal(t, before, after, "the demo leaves the machine as it found it")
	return out.String()
}

// checkStory checks the key line of each step.
func checkStory(t *testing.T, out string) {
	t.Helper()
	for _, want := range []string{
		"lxcbr0 is missing, so first `dockerlab v0.1 setup-bridge`",
		"added address 10.0.3.1/24 to lxcbr0",
		"drwx------ 0700 containers",
		"drwx------ 0700 graph",
		"-rw------- 0600 repositories",
		"Acquire ×3 → 10.0.3.2 10.0.3.3 10.0.3.4",
		"-A PREROUTING -j DOCKER",
		"$ docker import - busybox",
		"busybox             latest",
		"$ docker run -d -p 80 busybox sh -c 'echo hello from v0.1; sleep 1000'",
		"$ docker port ",
		"  49153\n",
		"-A DOCKER -p tcp -m tcp --dport 49153 -j DNAT --to-destination 10.0.3.2:80",
		"master lxcbr0",
		"  hello from v0.1\n",
		"  CapEff:\t00000018100cfefb\n  ip link add: ok\n  mknod: /dev/x: Operation not permitted\n  sh: can't create /proc/sys/kernel/panic: Read-only file system\n",
		"Exit 137",
		"iptables -t nat -X DOCKER",
		"ip link del lxcbr0",
		"## done",
	} {
		assert.Contains(t, out, want)
	}
	// After rm the DNAT rule is gone: it appears once, in step 4.
	assert.Equal(t, 1, bytes.Count([]byte(out), []byte("-j DNAT")), out)
}

// On a fresh fake machine with the in-memory placeholder layer.
func TestDemoOnFakeWithPlaceholderImage(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	out := runOn(t, fake.New(), filepath.Join(t.TempDir(), "no-such-image.tar"))
	checkStory(t, out)
	assert.Contains(t, out, "a placeholder layer built in memory")
	entries, err := os.ReadDir(os.TempDir())
	require.NoError(t, err)
	assert.Empty(t, entries, "the temp root is removed")
}

// On the fake with the real image when `make images` has built it.
func TestDemoOnFakeWithBusyboxImage(t *testing.T) {
	image := repoImage()
	if _, err := os.Stat(image); err != nil {
		t.Skip("skipping: build/images/busybox.tar is missing (make images)")
	}
	t.Setenv("TMPDIR", t.TempDir())
	checkStory(t, runOn(t, fake.New(), image))
}

// The real kernel refuses the placeholder and says how to get the image
// when the machine has no static busybox either.
func TestLoadImageOnLinuxNeedsTheRealImage(t *testing.T) {
	old, oldBB := ImagePath, StaticBusyboxCandidates
	ImagePath = filepath.Join(t.TempDir(), "missing.tar")
	StaticBusyboxCandidates = func() []string { return []string{filepath.Join(t.TempDir(), "no-busybox")} }
	t.Cleanup(func() { ImagePath, StaticBusyboxCandidates = old, oldBB })
	_, _, err := loadImage("linux")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "make images")
}

// Without the image, the real kernel takes the machine's static busybox
// (so `dockerlab chapter v0.1 --backend linux` runs from any directory);
// a dynamically linked one is passed over.
func TestLoadImageOnLinuxFallsBackToStaticBusybox(t *testing.T) {
	dir := t.TempDir()
	static := filepath.Join(dir, "busybox")
	require.NoError(t, os.WriteFile(static, tinyStaticELF(t), 0o755))
	old, oldBB := ImagePath, StaticBusyboxCandidates
	ImagePath = filepath.Join(dir, "missing.tar")
	StaticBusyboxCandidates = func() []string { return []string{"", filepath.Join(dir, "absent"), static} }
	t.Cleanup(func() { ImagePath, StaticBusyboxCandidates = old, oldBB })

	layer, source, err := loadImage("linux")
	require.NoError(t, err)
	assert.Contains(t, source, static)
	names := map[string]string{}
	tr := tar.NewReader(bytes.NewReader(layer))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		body, _ := io.ReadAll(tr)
		names[hdr.Name] = string(body)
	}
	assert.Equal(t, string(tinyStaticELF(t)), names["bin/busybox"], "the real binary is in the layer")
	assert.Contains(t, names, "bin/sh")
}

// tinyStaticELF is the smallest file debug/elf accepts: a 64-bit header
// with no program headers, so no PT_INTERP (static).
func tinyStaticELF(t *testing.T) []byte {
	t.Helper()
	h := make([]byte, 64)
	copy(h, "\x7fELF")
	h[4], h[5], h[6] = 2, 1, 1     // 64-bit, little endian, version 1
	h[16], h[18], h[20] = 2, 62, 1 // ET_EXEC, x86-64, version 1
	h[52] = 64                     // header size
	return h
}
