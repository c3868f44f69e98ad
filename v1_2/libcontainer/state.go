// State: what a running container leaves in its directory, state.json —
// the pid of its first process, when that process started, the network
// it was given and its cgroup. A driver that finds the file knows the
// container is (or was, before a crash) running.
//
// Upstream: vendor/src/github.com/docker/libcontainer/state.go at v1.2.0. See
// docs/upstream/v1.2.0.md §5.2 (Terminate compares InitStartTime;
// Info.IsRunning checks the file).
// Book: ch.13 §13.5.
//
// Divergence: upstream wrote the file in place with os.Create; here it is
// written to a temporary file and renamed, so a daemon killed mid-write
// never leaves half a file (docs/design.md "state on disk is written
// atomically").
package libcontainer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

// State is state.json.
type State struct {
	InitPid       int                  `json:"init_pid,omitempty"`
	InitStartTime string               `json:"init_start_time,omitempty"` // RFC 3339, from the backend's process table
	NetworkState  network.NetworkState `json:"network_state,omitempty"`
	CgroupPaths   map[string]string    `json:"cgroup_paths,omitempty"` // controller → cgroup path

	// dockerlab's addition: the program and argv upstream's parent
	// started dockerinit with (`native -console … -pipe 3 -root … --
	// <entrypoint> <args>`). They show in the process table only until
	// the init execs the entrypoint, so they are kept here too
	// (docs/divergences.md, chapter 13).
	InitPath string   `json:"init_path,omitempty"`
	InitArgs []string `json:"init_args,omitempty"`
}

// StateFile is the file's name inside a container's data directory.
const StateFile = "state.json"

// SaveState writes state.json into dir atomically.
func SaveState(dir string, state *State) error {
	data, err := json.Marshal(state)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".state-*.json")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, StateFile)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}

// GetState reads dir/state.json.
func GetState(dir string) (*State, error) {
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		return nil, err
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, StateFile), err)
	}
	return &s, nil
}

// DeleteState removes dir/state.json; a missing file is not an error.
func DeleteState(dir string) error {
	err := os.Remove(filepath.Join(dir, StateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
