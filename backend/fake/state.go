// The shared machine: the fake kernel's state in a JSON file, so that every
// `dockerlab --backend fake` command — a daemon, a set-up command, `net
// show` — sees the same simulated machine (docs/design.md "The backend": the fake
// is one simulated machine shared by every command, its state in a locked
// file; "a crash loses nothing": state is written atomically).
//
// Every operation on a shared Kernel: take the lock file, load, change,
// save (temp file + fsync + rename), release.
package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/backend"
)

// stateVersion guards against reading a file from an incompatible build.
const stateVersion = 1

type stateFile struct {
	Version int      `json:"version"`
	Machine *machine `json:"machine"`
}

// DefaultStatePath is where the shared fake machine lives:
// $DOCKERLAB_FAKE_STATE if set; as root /var/lib/dockerlab/fake/kernel.json;
// otherwise the user's state directory ($XDG_STATE_HOME or ~/.local/state
// on unix, the user config directory elsewhere) + dockerlab/fake/kernel.json.
func DefaultStatePath() string {
	if p := os.Getenv("DOCKERLAB_FAKE_STATE"); p != "" {
		return p
	}
	if isRoot() {
		return filepath.Join("/var/lib/dockerlab", "fake", "kernel.json")
	}
	return filepath.Join(userStateDir(), "dockerlab", "fake", "kernel.json")
}

// Open returns the shared machine stored at path, creating a fresh New()
// machine there when the file does not exist.
func Open(path string) (*Kernel, error) {
	if path == "" {
		return nil, backend.Errorf(backend.ErrInvalid, 0, "fake open", "", "empty state path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("fake open %s: %w", path, err)
	}
	k := newKernel(nil)
	k.path = path
	// touch the state under the lock so a missing file is created now
	if err := k.update("Open", func(m *machine) error { return nil }); err != nil {
		return nil, err
	}
	return k, nil
}

// loadMachine reads the state file; a missing or empty file is a new
// machine. It also returns the bytes read, so that an operation that
// changed nothing need not write.
func loadMachine(path string) (*machine, []byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(data) == 0) {
		return newMachine(false), nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("fake kernel state %s: %w", path, err)
	}
	var st stateFile
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, nil, fmt.Errorf("fake kernel state %s is corrupt (delete it or run a reset): %w", path, err)
	}
	if st.Version != stateVersion || st.Machine == nil {
		return nil, nil, fmt.Errorf("fake kernel state %s has version %d, this build reads %d (delete it to start afresh)", path, st.Version, stateVersion)
	}
	m := st.Machine
	// maps that were empty come back nil
	if m.Namespaces == nil {
		m.Namespaces = map[string]*netns{}
	}
	if m.Cgroups == nil {
		m.Cgroups = map[string]*cgroup{"": {}}
	}
	if m.Procs == nil {
		m.Procs = map[int]*procRec{}
	}
	if m.Hostnames == nil {
		m.Hostnames = map[int]string{0: machineHostname}
	}
	if m.NSPidNext == nil {
		m.NSPidNext = map[int]int{}
	}
	return m, data, nil
}

// saveMachine writes the state atomically: a temp file in the same
// directory, fsync, rename over the old file. When the state is what was
// read (old), nothing is written.
func saveMachine(path string, m *machine, old []byte) error {
	data, err := json.MarshalIndent(stateFile{Version: stateVersion, Machine: m}, "", " ")
	if err != nil {
		return fmt.Errorf("fake kernel state: %w", err)
	}
	if old != nil && bytes.Equal(data, old) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kernel-*.json")
	if err != nil {
		return fmt.Errorf("fake kernel state: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("fake kernel state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("fake kernel state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("fake kernel state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("fake kernel state: %w", err)
	}
	return nil
}
