// 4.6: the graph driver, the containers directory, the images graph, the
// volumes graph and the TagStore — NewDaemon's steps 8-12.
//
// Upstream: daemon/daemon.go NewDaemonFromDirectory L717-765 at v1.2.0.
// Reference upstream-v1_2.md §2.3 steps 8-12. Book ch.4 §4.6 (graphdriver,
// 创建容器仓库目录, 迁移至aufs, graph, volumes graph, TagStore).
//
// Honest status: the graph driver and graph packages are being written in
// parallel (v1_2/daemon/graphdriver, v1_2/graph). Until they are wired in
// here, the containers directory is made and the other steps say, in the
// trace, that they wait for those packages: nothing is pretended.
package daemon

import (
	"os"
	"path/filepath"
)

// graphState is what steps 8-12 produced.
type graphState struct {
	repository string // <root>/containers
}

// waitingNote is printed for the steps that need the graph packages.
const waitingNote = "waiting for the graph packages (v1_2/daemon/graphdriver, v1_2/graph): not wired into NewDaemon yet"

func setupGraph(config *Config) (graphState, error) {
	var gs graphState
	config.tracef("4.6", "graphdriver: %s (-s %q, --storage-opt %v unused)", waitingNote, config.GraphDriver, config.GraphOptions)

	gs.repository = filepath.Join(config.Root, "containers")
	if err := os.MkdirAll(gs.repository, 0o700); err != nil && !os.IsExist(err) {
		return gs, err
	}
	config.tracef("4.6", "containers %s (0700)", gs.repository)
	config.tracef("4.6", "graph %s, volumes %s, repositories: %s",
		filepath.Join(config.Root, "graph"), filepath.Join(config.Root, "volumes"), waitingNote)
	return gs, nil
}

// structNote says which Daemon fields are still missing.
func (gs graphState) structNote() string {
	return "; graph, volumes, repositories, driver: " + waitingNote
}

// cleanup is the graph driver's Cleanup at shutdown.
func (gs graphState) cleanup() {}
