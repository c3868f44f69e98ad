// The "restart" job: stop (with the grace period t), then start.
//
// Upstream: daemon/restart.go at v1.2.0 (ContainerRestart),
// daemon/container.go at v1.2.0 (Restart). See docs/upstream/v1.2.0.md §2.4
// ("restart", env t).
// Book: ch.12 (a container's life after §12.4's start).
package daemon

import "github.com/dockerlab/dockerlab/v1_2/engine"

// ContainerRestart is the "restart" job.
func (daemon *Daemon) ContainerRestart(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s CONTAINER\n", job.Name)
	}
	name := job.Args[0]
	t := 10
	if job.EnvExists("t") {
		t = job.GetenvInt("t")
	}
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s\n", name)
	}
	if err := container.Restart(t); err != nil {
		return job.Errorf("Cannot restart container %s: %s\n", name, err)
	}
	container.LogEvent("restart")
	return engine.StatusOK
}

// Restart stops and starts the container. Holding a mount across the
// two spares the driver an unmount and a mount.
func (container *Container) Restart(seconds int) error {
	if err := container.Mount(); err == nil {
		defer container.Unmount()
	}
	if err := container.Stop(seconds); err != nil {
		return err
	}
	return container.Start()
}
