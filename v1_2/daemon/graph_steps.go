// 4.6: the graph driver, the containers directory, the images graph, the
// volumes graph and the TagStore — NewDaemon's steps 8-12.
//
// Upstream: daemon/daemon.go at v1.2.0 (NewDaemonFromDirectory from
// graphdriver.New to NewTagStore, and the blank imports of the driver
// packages at its top). See docs/upstream/v1.2.0.md §2.3 steps 8-12.
// Book: ch.4 §4.6 (graphdriver, 创建容器仓库目录, 迁移至aufs, graph, volumes graph,
// TagStore).
package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/overlay" // registers "overlay"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/vfs"     // registers "vfs"
	"github.com/dockerlab/dockerlab/v1_2/graph"
)

// graphState is what steps 8-12 produced.
type graphState struct {
	repository   string // <root>/containers
	driver       graphdriver.Driver
	graph        *graph.Graph
	volumes      *graph.Graph
	repositories *graph.TagStore
}

func setupGraph(config *Config) (graphState, error) {
	var gs graphState

	// Step 8: the driver. -s wins; else the first driver that works here.
	graphdriver.SetHost(config.Host)
	graphdriver.DefaultDriver = config.GraphDriver
	driver, skipped, err := graphdriver.NewExplained(config.Root, config.GraphOptions)
	if err != nil {
		return gs, err
	}
	gs.driver = driver
	why := "-s " + config.GraphDriver
	if config.GraphDriver == "" {
		why = "the first that works here"
		if len(skipped) > 0 {
			why += "; passed over: " + strings.Join(shortReasons(skipped), "; ")
		}
	}
	config.tracef("4.6", "graphdriver: %s, home %s (%s)", driver, filepath.Join(config.Root, driver.String()), why)

	// Step 9: the containers directory; migrateIfAufs only concerns aufs.
	gs.repository = filepath.Join(config.Root, "containers")
	if err := os.MkdirAll(gs.repository, 0o700); err != nil && !os.IsExist(err) {
		driver.Cleanup()
		return gs, err
	}
	config.tracef("4.6", "containers %s (0700); migrateIfAufs: the driver is %s, nothing to migrate", gs.repository, driver)

	// Step 10: the images graph.
	g, err := graph.NewGraph(filepath.Join(config.Root, "graph"), driver)
	if err != nil {
		driver.Cleanup()
		return gs, err
	}
	gs.graph = g
	n := 0
	if images, err := g.Map(); err == nil {
		n = len(images)
	}
	config.tracef("4.6", "graph %s (%d images)", g.Root, n)

	// Step 11: volumes are plain directories: always vfs, in a graph of
	// their own.
	volumesDriver, err := graphdriver.GetDriver("vfs", config.Root, config.GraphOptions)
	if err != nil {
		driver.Cleanup()
		return gs, err
	}
	volumes, err := graph.NewGraph(filepath.Join(config.Root, "volumes"), volumesDriver)
	if err != nil {
		driver.Cleanup()
		return gs, err
	}
	gs.volumes = volumes
	config.tracef("4.6", "volumes %s (driver vfs)", volumes.Root)

	// Step 12: the repositories (name:tag → image id), one file per driver.
	repositoriesPath := filepath.Join(config.Root, "repositories-"+driver.String())
	repositories, err := graph.NewTagStore(repositoriesPath, g)
	if err != nil {
		driver.Cleanup()
		return gs, fmt.Errorf("Couldn't create Tag store: %s", err)
	}
	gs.repositories = repositories
	config.tracef("4.6", "repositories %s (TagStore)", repositoriesPath)
	return gs, nil
}

// shortReasons keeps the first clause of each driver's refusal ("aufs is
// not available", "overlay needs the linux backend"): the full text is in
// `docker info` and docs/divergences.md, the trace stays one readable line.
func shortReasons(reasons []string) []string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		if j := strings.IndexAny(r, ":;"); j > 0 {
			r = r[:j]
		}
		out[i] = r
	}
	return out
}

// cleanup is the graph driver's Cleanup at shutdown (unmounts).
func (gs graphState) cleanup() {
	if gs.driver != nil {
		gs.driver.Cleanup()
	}
}
