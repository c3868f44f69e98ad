// The "resize" job: tell a container's terminal its new size (the client's
// window changed: SIGWINCH on the client, POST /containers/{name}/resize).
//
// Upstream: daemon/resize.go at v1.2.0 (ContainerResize), daemon/container.go
// at v1.2.0 (Container.Resize). See docs/upstream/v1.2.0.md §6.2.
// Book: ch.13 (the console the native driver gives a -t container).
package daemon

import (
	"fmt"
	"strconv"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerResize is the "resize" job: resize CONTAINER HEIGHT WIDTH.
func (daemon *Daemon) ContainerResize(job *engine.Job) engine.Status {
	if len(job.Args) != 3 {
		return job.Errorf("Not enough arguments. Usage: %s CONTAINER HEIGHT WIDTH\n", job.Name)
	}
	name := job.Args[0]
	height, err := strconv.Atoi(job.Args[1])
	if err != nil {
		return job.Errorf("resize: height %q is not a number", job.Args[1])
	}
	width, err := strconv.Atoi(job.Args[2])
	if err != nil {
		return job.Errorf("resize: width %q is not a number", job.Args[2])
	}
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	if err := container.Resize(height, width); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// Resize sets the size of the container's terminal. Upstream called
// command.Terminal.Resize unchecked and crashed on a container that never
// ran; here that is an error. Without -t the terminal is plain pipes,
// whose Resize does nothing.
func (container *Container) Resize(h, w int) error {
	container.Lock()
	cmd := container.command
	container.Unlock()
	if cmd == nil || cmd.Terminal == nil || !container.State.IsRunning() {
		return fmt.Errorf("Container %s is not running", container.ID)
	}
	return cmd.Terminal.Resize(h, w)
}
