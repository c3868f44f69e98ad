// Small helpers NewDaemon uses: the pid file, the temporary directory, a
// directory's real path.
//
// Upstream: utils/utils.go at v1.2.0 (CreatePidFile, RemovePidFile,
// TempDir, ReadSymlinkedDirectory). Reference upstream-v1_2.md §2.3 steps
// 3, 5 and 7. Book ch.4 §4.3 (PID文件) and §4.5 (工作路径).
package daemon

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CreatePidFile writes this process's pid to pidfile, unless the file
// names a process that is still alive (its /proc/<pid> exists).
//
// Not upstream: the file's directory is made (dockerlab's default lives
// in /run/dockerlab/v1.2), and the pid is written to a temporary file and
// renamed, so a crash never leaves half a number behind.
func CreatePidFile(pidfile string) error {
	if data, err := os.ReadFile(pidfile); err == nil {
		pidString := strings.TrimSpace(string(data))
		if pid, err := strconv.Atoi(pidString); err == nil && pid > 0 {
			if _, err := os.Stat(filepath.Join(ProcDir, pidString)); err == nil {
				return fmt.Errorf("pid file found, ensure docker is not running or delete %s", pidfile)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(pidfile), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(pidfile, []byte(strconv.Itoa(os.Getpid())), 0o644)
}

// ProcDir is where CreatePidFile looks for live pids; tests may move it.
var ProcDir = "/proc"

// RemovePidFile removes pidfile; a missing file is not an error.
func RemovePidFile(pidfile string) error {
	if err := os.Remove(pidfile); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// TempDir is $DOCKER_TMPDIR, or <root>/tmp made 0700: the daemon's
// temporary files (image downloads, build contexts) stay on the same
// filesystem as its root.
func TempDir(rootDir string) (string, error) {
	tmpDir := os.Getenv("DOCKER_TMPDIR")
	if tmpDir == "" {
		tmpDir = filepath.Join(rootDir, "tmp")
	}
	return tmpDir, os.MkdirAll(tmpDir, 0o700)
}

// ReadSymlinkedDirectory returns path with its symlinks resolved, and
// fails unless that is a directory.
func ReadSymlinkedDirectory(path string) (string, error) {
	realPath, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("unable to get absolute path for %s: %w", path, err)
	}
	realPath, err = filepath.EvalSymlinks(realPath)
	if err != nil {
		return "", fmt.Errorf("failed to canonicalise path for %s: %w", path, err)
	}
	fi, err := os.Stat(realPath)
	if err != nil {
		return "", fmt.Errorf("failed to stat target '%s' of '%s': %w", realPath, path, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("canonical path points to a file '%s'", realPath)
	}
	return realPath, nil
}

// writeFileAtomic writes data to a temporary file next to name and
// renames it over name.
func writeFileAtomic(name string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, name)
}

// followSymlinkInScope resolves the symlinks of path, which lies under
// root, as if root were "/": an absolute link target starts again at
// root, and ".." never climbs above it. A container's image may hold a
// link "/etc -> /host-etc"; the daemon must then write the container's
// own files, never the host's. Parts that do not exist yet are kept as
// written. (Upstream: pkg/symlink FollowSymlinkInScope.)
func followSymlinkInScope(path, root string) (string, error) {
	root = filepath.Clean(root)
	path = filepath.Clean(path)
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("%s is not within %s", path, root)
	}
	if rel == "." {
		return root, nil
	}
	todo := strings.Split(rel, "/")
	var done []string // resolved parts under root
	for hops := 0; len(todo) > 0; {
		part := todo[0]
		todo = todo[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		candidate := filepath.Join(root, filepath.Join(append(done, part)...))
		fi, err := os.Lstat(candidate)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			// Missing (to be created) or a real file/directory.
			done = append(done, part)
			continue
		}
		if hops++; hops > 255 {
			return "", fmt.Errorf("too many symlinks under %s resolving %s", root, path)
		}
		dest, err := os.Readlink(candidate)
		if err != nil {
			return "", err
		}
		if filepath.IsAbs(dest) {
			done = nil
		}
		todo = append(strings.Split(filepath.Clean(dest), "/"), todo...)
	}
	return filepath.Join(root, filepath.Join(done...)), nil
}
