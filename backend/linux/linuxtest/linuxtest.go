//go:build linux

// Package linuxtest gives tests a real-kernel backend.Host that cannot touch
// the machine: a throwaway network namespace as its root, a temporary run
// directory and a cgroup parent of its own, all removed in cleanup
// (reference docs/kernels.md §1.6 "Opt-in root tests" and
// §1.7; moby's and CNI's netns test helpers, in our own words).
//
// Tests that start processes must call reexec.Init() first thing in their
// TestMain (see package backend/linux).
package linuxtest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	"golang.org/x/sys/unix"
)

// RequireRoot skips the test, saying why, unless it runs as root and the
// kernel lets it make a network namespace. Under CI=true it is still a
// skip; the Makefile decides whether a CI run must be root.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping real-kernel test: needs root (run it with sudo make test, or sudo go test on this package)")
	}
	if err := probeNetNS(); err != nil {
		t.Skipf("skipping real-kernel test: cannot unshare(CLONE_NEWNET): %v", err)
	}
}

// probeNetNS tries unshare(CLONE_NEWNET) on a thread that then dies.
func probeNetNS() error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with us
		done <- unix.Unshare(unix.CLONE_NEWNET)
	}()
	return <-done
}

// Unique returns prefix plus 8 random hex digits, for cgroup and link names.
func Unique(prefix string) string {
	var b [4]byte
	rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// NewHost is NewLinuxHost as a backend.Host.
func NewHost(t testing.TB) backend.Host {
	t.Helper()
	return NewLinuxHost(t)
}

// NewLinuxHost returns a Host whose root is a fresh network namespace,
// whose named namespaces and pid registry live in a temporary directory,
// and whose cgroups sit under dockerlab-test-<random>. Cleanup kills its
// processes and removes its namespaces, cgroups and mounts.
func NewLinuxHost(t testing.TB) *linux.Host {
	t.Helper()
	return NewLinuxHostWith(t, nil)
}

// NewLinuxHostWith is NewLinuxHost with its Options changed by mod first
// (a cgroup root of another version, say).
func NewLinuxHostWith(t testing.TB, mod func(*linux.Options)) *linux.Host {
	t.Helper()
	RequireRoot(t)
	dir := t.TempDir()
	nsDir := filepath.Join(dir, "ns")
	rootNS := filepath.Join(nsDir, "root")
	if err := linux.CreateNSFile(rootNS); err != nil {
		t.Fatalf("linuxtest: create throwaway netns: %v", err)
	}
	opts := linux.Options{
		NetNSPath:    rootNS,
		RunDir:       filepath.Join(dir, "run"),
		CgroupParent: Unique("dockerlab-test-"),
	}
	if mod != nil {
		mod(&opts)
	}
	h, err := linux.New(opts)
	if err != nil {
		linux.RemoveNSDir(nsDir)
		t.Fatalf("linuxtest: linux.New: %v", err)
	}
	t.Cleanup(func() {
		if err := h.Destroy(); err != nil {
			t.Errorf("linuxtest: cleanup: %v", err)
		}
		if err := linux.RemoveNSDir(nsDir); err != nil {
			t.Errorf("linuxtest: remove throwaway netns: %v", err)
		}
	})
	return h
}

// BusyboxPath finds a statically linked busybox: $DOCKERLAB_BUSYBOX, or
// /bin/busybox from Debian's busybox-static. "" when there is none.
func BusyboxPath() string {
	for _, p := range []string{os.Getenv("DOCKERLAB_BUSYBOX"), "/bin/busybox", "/usr/bin/busybox"} {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// Applets are the busybox commands BusyboxRootfs links.
var Applets = []string{"sh", "echo", "cat", "hostname", "ip", "ls", "ps", "true", "false",
	"sleep", "env", "id", "pwd", "mount", "grep", "wc", "touch", "mkdir", "kill"}

// BusyboxRootfs builds a tiny root filesystem in a temp dir: bin/busybox,
// its applet links, and the mount points a container needs. It skips the
// test (saying how to fix it) when no busybox is installed.
func BusyboxRootfs(t testing.TB) string {
	t.Helper()
	src := BusyboxPath()
	if src == "" {
		t.Skip("skipping: no static busybox (apt-get install busybox-static, or set DOCKERLAB_BUSYBOX)")
	}
	root := filepath.Join(t.TempDir(), "rootfs")
	for _, d := range []string{"bin", "proc", "dev", "sys", "etc", "tmp", "root"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "bin", "busybox"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, a := range Applets {
		if err := os.Symlink("busybox", filepath.Join(root, "bin", a)); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
		"etc/group":  "root:x:0:\nnogroup:x:65534:\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// HostSnapshot records what tests must leave untouched: the machine's own
// links (`ip -o link` as netlink sees them) and iptables rules. Compare a
// snapshot taken before with one taken after (TestMain does).
func HostSnapshot() string {
	return fmt.Sprint(hostLinks(), "\n", hostRules())
}
