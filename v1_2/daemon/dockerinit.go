// dockerinit: the program a container's first process starts as. The
// daemon keeps its own copy under its root, so that the binary a running
// container was started from cannot change under it when dockerlab is
// rebuilt.
//
// Upstream: daemon/daemon.go at v1.2.0 (NewDaemonFromDirectory: the
// sysInitPath block), utils/utils.go at v1.2.0 (DockerInitPath). See
// docs/upstream/v1.2.0.md §2.3 step 15 and §5.4.
// Book: ch.4 §4.9; ch.13 (dockerinit启动).
//
// Divergence: upstream searched a list of places for a separate
// dockerinit binary (or used itself when statically built). dockerlab is
// one binary that re-executes itself as init (internal/reexec), so the
// source is always os.Executable().
package daemon

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
)

// Executable is where the dockerinit copy comes from (tests may point it
// at a small file).
var Executable = os.Executable

// copyDockerinit copies the running binary to <root>/init/dockerinit-1.2.0
// (0700) unless an identical copy is there, and returns its path and
// whether it copied.
func copyDockerinit(root string) (string, bool, error) {
	src, err := Executable()
	if err != nil {
		return "", false, fmt.Errorf("Could not locate dockerinit: %w", err)
	}
	localCopy := filepath.Join(root, "init", "dockerinit-"+dockerversion.VERSION)
	if same, err := sameFile(src, localCopy); err == nil && same {
		return localCopy, false, os.Chmod(localCopy, 0o700)
	}
	if err := os.MkdirAll(filepath.Dir(localCopy), 0o700); err != nil {
		return "", false, err
	}
	in, err := os.Open(src)
	if err != nil {
		return "", false, fmt.Errorf("Could not locate dockerinit: %w", err)
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(localCopy), ".dockerinit.*")
	if err != nil {
		return "", false, err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(out.Name())
		return "", false, err
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return "", false, err
	}
	if err := os.Chmod(out.Name(), 0o700); err != nil {
		os.Remove(out.Name())
		return "", false, err
	}
	if err := os.Rename(out.Name(), localCopy); err != nil {
		os.Remove(out.Name())
		return "", false, err
	}
	return localCopy, true, nil
}

// sameFile compares two files' SHA-1 sums (upstream's INITSHA1 idea).
func sameFile(a, b string) (bool, error) {
	sa, err := sha1File(a)
	if err != nil {
		return false, err
	}
	sb, err := sha1File(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(sa, sb), nil
}

func sha1File(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha1.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
