// Rootfs: the smallest container root filesystem the contract's process
// checks need — busybox and its applet links, /etc/passwd and /etc/group,
// and the directories the runtime mounts onto (reference
// docs/kernels.md §5 "Tiny rootfs without internet"; book
// ch.8 rootfs). Docker's own tests used a busybox image the same way.
package backendtest

import (
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// Applets are the busybox programs the rootfs links to; the fake's
// userland implements the same names.
var Applets = []string{
	"sh", "echo", "cat", "hostname", "ip", "ls", "ps", "sleep", "true", "false",
	"env", "id", "pwd", "mkdir", "rm", "touch", "kill", "uname", "mount", "grep", "wc", "head",
	"mknod", "chown",
}

// RootfsDirs are the top-level entries of a Rootfs, in `ls /` order.
var RootfsDirs = []string{"bin", "dev", "etc", "proc", "root", "sys", "tmp"}

// BusyboxPath finds a statically linked busybox to copy into a rootfs:
// $DOCKERLAB_BUSYBOX, else /bin/busybox, else /usr/bin/busybox (Debian's
// busybox-static). It returns "" and the reason when there is none usable:
// a dynamically linked busybox would not find its libc after pivot_root.
func BusyboxPath() (string, string) {
	candidates := []string{"/bin/busybox", "/usr/bin/busybox"}
	if p := os.Getenv("DOCKERLAB_BUSYBOX"); p != "" {
		candidates = []string{p}
	}
	reason := "no busybox binary found (apt-get install busybox-static, or set DOCKERLAB_BUSYBOX)"
	for _, p := range candidates {
		f, err := elf.Open(p)
		if err != nil {
			continue
		}
		dynamic := false
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				dynamic = true
			}
		}
		f.Close()
		if dynamic {
			reason = p + " is dynamically linked; install busybox-static or set DOCKERLAB_BUSYBOX to a static busybox"
			continue
		}
		return p, ""
	}
	return "", reason
}

// Rootfs builds a root filesystem in a fresh t.TempDir and returns its
// path. On the linux backend /bin/busybox is a copy of the real static
// busybox and t is skipped (with the reason) when there is none; on the
// fake, which never executes host binaries, a placeholder file is enough.
func Rootfs(t *testing.T, h backend.Host) string {
	t.Helper()
	dir := t.TempDir()
	// 0755, not TempDir's 0700: after pivot_root this is "/", and a
	// process running as another uid must be able to walk it.
	require.NoError(t, os.Chmod(dir, 0o755))
	for _, d := range RootfsDirs {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	require.NoError(t, os.Chmod(filepath.Join(dir, "tmp"), 0o1777))

	bin := filepath.Join(dir, "bin", "busybox")
	if h.Name() == "fake" {
		require.NoError(t, os.WriteFile(bin, []byte("#!/bin/busybox placeholder: the fake runs its own applets\n"), 0o755))
	} else {
		src, reason := BusyboxPath()
		if src == "" {
			t.Skipf("process checks on %s need a busybox rootfs: %s", h.Name(), reason)
		}
		require.NoError(t, copyFile(src, bin))
	}
	for _, a := range Applets {
		require.NoError(t, os.Symlink("busybox", filepath.Join(dir, "bin", a)))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc", "passwd"),
		[]byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc", "group"),
		[]byte("root:x:0:\nnogroup:x:65534:\n"), 0o644))
	return dir
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
