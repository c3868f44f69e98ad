// The demo's root filesystem: a busybox in a temporary directory.
//
// Not upstream: dockerlab's teaching scaffolding (chapters 13 and 14 run a
// container without the image machinery of chapters 8 and 10). On the
// fake machine a placeholder bin/busybox with applet symlinks is enough
// (the fake runs busybox by name); the real kernel needs a statically
// linked busybox: $DOCKERLAB_BUSYBOX, or Debian's busybox-static.
package chapter13

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/archive"
)

// applets are the busybox programs the demos call.
var applets = []string{"sh", "echo", "cat", "hostname", "ip", "ls", "ps", "sleep", "true", "id", "mount", "head", "tail", "touch", "mkdir"}

// busyboxCandidates are where a static busybox is looked for.
func busyboxCandidates() []string {
	return []string{os.Getenv("DOCKERLAB_BUSYBOX"), "/bin/busybox", "/usr/bin/busybox"}
}

// MakeRootfs builds a busybox root filesystem for h in a new temporary
// directory; remove it with os.RemoveAll when done.
func MakeRootfs(h backend.Host) (string, error) {
	src := ""
	if h.Name() != "fake" {
		for _, p := range busyboxCandidates() {
			if st, err := os.Stat(p); p != "" && err == nil && st.Mode().IsRegular() {
				src = p
				break
			}
		}
		if src == "" {
			return "", fmt.Errorf("the real kernel needs a statically linked busybox: apt-get install busybox-static, or set DOCKERLAB_BUSYBOX")
		}
	}
	dir, err := os.MkdirTemp("", "dockerlab-rootfs-")
	if err != nil {
		return "", err
	}
	fail := func(err error) (string, error) {
		os.RemoveAll(dir)
		return "", err
	}
	// 0755: after pivot_root this directory is "/".
	if err := os.Chmod(dir, 0o755); err != nil {
		return fail(err)
	}
	for _, d := range []string{"bin", "dev", "etc", "proc", "sys", "tmp", "root"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return fail(err)
		}
	}
	bin := filepath.Join(dir, "bin", "busybox")
	if src == "" {
		err = os.WriteFile(bin, []byte("placeholder: the fake machine runs busybox by name\n"), 0o755)
	} else {
		err = copyFile(src, bin)
	}
	if err != nil {
		return fail(err)
	}
	for _, a := range applets {
		if err := os.Symlink("busybox", filepath.Join(dir, "bin", a)); err != nil {
			return fail(err)
		}
	}
	passwd := "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
	if err := os.WriteFile(filepath.Join(dir, "etc", "passwd"), []byte(passwd), 0o644); err != nil {
		return fail(err)
	}
	return dir, nil
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

// ImageTar is MakeRootfs as an image layer: the tar an `import -` of the
// demo's busybox reads (chapters 11 and 12 build and create from it).
func ImageTar(h backend.Host) ([]byte, error) {
	rootfs, err := MakeRootfs(h)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(rootfs)
	layer, err := archive.Tar(rootfs, archive.Uncompressed)
	if err != nil {
		return nil, err
	}
	defer layer.Close()
	return io.ReadAll(layer)
}
