// The "wait" job: block until the container stops, print its exit code.
//
// Upstream: daemon/wait.go at v1.2.0 (ContainerWait). See
// docs/upstream/v1.2.0.md §2.4 ("wait <id>" prints "%d\n").
// Book: ch.12; the mechanism is State.WaitStop (state.go).
package daemon

import "github.com/dockerlab/dockerlab/v1_2/engine"

// ContainerWait is the "wait" job.
func (daemon *Daemon) ContainerWait(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("%s: no such container: %s", job.Name, name)
	}
	status, _ := container.State.WaitStop(-1)
	job.Printf("%d\n", status)
	return engine.StatusOK
}
