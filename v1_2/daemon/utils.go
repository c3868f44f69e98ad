// Small helpers of the daemon: the pid file, the temporary directory, a
// directory's real path; for containers: random ids, generated names,
// environment merging, symlinks followed inside a root.
//
// Upstream: utils/daemon.go at v1.2.0 (CreatePidFile, RemovePidFile),
// utils/utils.go at v1.2.0 (TempDir, ReadSymlinkedDirectory,
// GenerateRandomID, TruncateID, ReplaceOrAppendEnvValues), pkg/namesgenerator at v1.2.0, pkg/symlink at
// v1.2.0. See
// docs/upstream/v1.2.0.md §2.3 steps 3, 5 and 7.
// Book: ch.4 §4.3 (PID文件) and §4.5 (工作路径); ch.12 §12.3 (newContainer: id and
// name).
package daemon

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	mathrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CreatePidFile writes this process's pid to pidfile, unless the file
// names a process that is still alive (its /proc/<pid> exists).
//
// Divergence: the file's directory is made (dockerlab's default lives
// in /run/dockerlab/v1.2), the pid is written to a temporary file and
// renamed, so a crash never leaves half a number behind, and the refusal
// names the running pid. A pid file only guards its own path: the lock on
// the graph root (rootlock.go) refuses a second daemon with another -p.
func CreatePidFile(pidfile string) error {
	if data, err := os.ReadFile(pidfile); err == nil {
		pidString := strings.TrimSpace(string(data))
		if pid, err := strconv.Atoi(pidString); err == nil && pid > 0 {
			if _, err := os.Stat(filepath.Join(ProcDir, pidString)); err == nil {
				// 1.2's words, and the pid it found running.
				return fmt.Errorf("pid file found, ensure docker is not running or delete %s (it names pid %d, which is running)", pidfile, pid)
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

// GenerateRandomID is a container id: 32 random bytes in hex (64
// characters). An id whose 12-character short form is all digits is
// drawn again: it would look like a number where a hostname is expected.
func GenerateRandomID() string {
	for {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			// crypto/rand does not fail on Linux; if it ever does, a
			// time-seeded id is still unique enough for one daemon.
			binaryFallback(b)
		}
		id := hex.EncodeToString(b)
		if _, err := strconv.ParseInt(TruncateID(id), 10, 64); err == nil {
			continue
		}
		return id
	}
}

func binaryFallback(b []byte) {
	for i := range b {
		b[i] = byte(mathrand.IntN(256))
	}
}

// TruncateID is the 12-character short id `docker ps` shows.
func TruncateID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// ReplaceOrAppendEnvValues overlays overrides ("K=V") on defaults: a key
// already there is replaced in place, a new key goes at the end.
//
//lab:exercise ch12.daemon-env
func ReplaceOrAppendEnvValues(defaults, overrides []string) []string {
	at := make(map[string]int, len(defaults))
	for i, kv := range defaults {
		k, _, _ := strings.Cut(kv, "=")
		at[k] = i
	}
	for _, kv := range overrides {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := at[k]; ok {
			defaults[i] = kv
			continue
		}
		at[k] = len(defaults)
		defaults = append(defaults, kv)
	}
	return defaults
}

// Generated container names, as Docker 1.2 made them: an adjective, an
// underscore, a scientist's or hacker's surname ("sharp_turing"). A retry
// adds one digit, so six attempts rarely all collide.
var (
	nameLeft = []string{"angry", "backstabbing", "berserk", "boring", "clever", "cocky",
		"compassionate", "condescending", "cranky", "desperate", "determined", "distracted",
		"dreamy", "drunk", "ecstatic", "elegant", "evil", "focused", "furious", "goofy",
		"grave", "happy", "high", "hopeful", "hungry", "insane", "jolly", "jovial",
		"kickass", "lonely", "loving", "mad", "naughty", "nostalgic", "pensive", "prickly",
		"romantic", "sad", "sharp", "sick", "silly", "sleepy", "stoic", "stupefied",
		"suspicious", "tender", "thirsty", "trusting"}
	nameRight = []string{"albattani", "almeida", "archimedes", "ardinghelli", "babbage",
		"bardeen", "bartik", "bell", "blackwell", "bohr", "brattain", "brown", "carson",
		"colden", "curie", "darwin", "davinci", "einstein", "elion", "engelbart", "euclid",
		"fermat", "fermi", "feynman", "franklin", "galileo", "goldstine", "goodall",
		"hawking", "heisenberg", "hodgkin", "hoover", "hopper", "hypatia", "jones",
		"kirch", "kowalevski", "lalande", "leakey", "lovelace", "lumiere", "mayer",
		"mccarthy", "mcclintock", "mclean", "meitner", "mestorf", "morse", "newton",
		"nobel", "pare", "pasteur", "perlman", "pike", "poincare", "ptolemy", "ritchie",
		"rosalind", "sammet", "shockley", "sinoussi", "stallman", "tesla", "thompson",
		"torvalds", "turing", "wilson", "wozniak", "wright", "yalow", "yonath"}
)

// GetRandomName is one generated name; retry > 0 appends a digit.
func GetRandomName(retry int) string {
	for {
		name := nameLeft[mathrand.IntN(len(nameLeft))] + "_" + nameRight[mathrand.IntN(len(nameRight))]
		if name == "boring_wozniak" { // upstream's one exception: Wozniak is not boring
			continue
		}
		if retry > 0 {
			name += strconv.Itoa(mathrand.IntN(10))
		}
		return name
	}
}
