// The "stop" job and Container.Stop: SIGTERM, a grace period, SIGKILL.
//
// Upstream: daemon/stop.go at v1.2.0 (ContainerStop), daemon/container.go at
// v1.2.0 (Stop). See docs/upstream/v1.2.0.md §2.4 ("stop <id>", env t,
// default 10; "Container already stopped" is the API's 304).
// Book: ch.12 (the container's life after start).
// Notes: 001 "容器的创建".
package daemon

import (
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerStop is the "stop" job.
func (daemon *Daemon) ContainerStop(job *engine.Job) engine.Status {
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
	if !container.State.IsRunning() {
		return job.Errorf("Container already stopped")
	}
	if err := container.Stop(t); err != nil {
		return job.Errorf("Cannot stop container %s: %s\n", name, err)
	}
	container.LogEvent("stop")
	return engine.StatusOK
}

// Stop asks the process to end (SIGTERM), waits seconds, then kills it.
// A process that ignores SIGTERM (a shell as pid 1 does: pid 1 gets
// no default action for it) is killed after the wait.
func (container *Container) Stop(seconds int) error {
	if !container.State.IsRunning() {
		return nil
	}
	if err := container.KillSig(15); err != nil {
		container.daemon.infof("Failed to send SIGTERM to the process, force killing")
		if err := container.KillSig(9); err != nil {
			return err
		}
	}
	if _, err := container.State.WaitStop(time.Duration(seconds) * time.Second); err != nil {
		container.daemon.infof("Container %v failed to exit within %d seconds of SIGTERM - using the force", container.ID, seconds)
		if err := container.Kill(); err != nil {
			container.State.WaitStop(-1)
			return err
		}
	}
	return nil
}
