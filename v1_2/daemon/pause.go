// The "pause" and "unpause" jobs: freeze and thaw every process of a
// container through the cgroup freezer (the execdriver's Pause/Unpause).
//
// Upstream: daemon/pause.go at v1.2.0 (ContainerPause, ContainerUnpause),
// daemon/container.go at v1.2.0 (Pause, Unpause). See docs/upstream/v1.2.0.md
// §2.4.
// Book: ch.12 (after start) and ch.14 (libcontainer's cgroups).
// Notes: 003 (cgroups: freezer).
package daemon

import (
	"fmt"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerPause is the "pause" job.
func (daemon *Daemon) ContainerPause(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s CONTAINER", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	if err := container.Pause(); err != nil {
		return job.Errorf("Cannot pause container %s: %s", name, err)
	}
	container.LogEvent("pause")
	return engine.StatusOK
}

// ContainerUnpause is the "unpause" job.
func (daemon *Daemon) ContainerUnpause(job *engine.Job) engine.Status {
	if n := len(job.Args); n < 1 || n > 2 {
		return job.Errorf("Usage: %s CONTAINER", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	if err := container.Unpause(); err != nil {
		return job.Errorf("Cannot unpause container %s: %s", name, err)
	}
	container.LogEvent("unpause")
	return engine.StatusOK
}

// Pause freezes a running container.
func (container *Container) Pause() error {
	if container.State.IsPaused() {
		return fmt.Errorf("Container %s is already paused", container.ID)
	}
	if !container.State.IsRunning() {
		return fmt.Errorf("Container %s is not running", container.ID)
	}
	return container.daemon.Pause(container)
}

// Unpause thaws it.
func (container *Container) Unpause() error {
	if !container.State.IsPaused() {
		return fmt.Errorf("Container %s is not paused", container.ID)
	}
	if !container.State.IsRunning() {
		return fmt.Errorf("Container %s is not running", container.ID)
	}
	return container.daemon.Unpause(container)
}
