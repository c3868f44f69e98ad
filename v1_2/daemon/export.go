// The "export" job (docker export): the container's whole filesystem as
// one tar, image layers and own changes flattened together.
//
// Upstream: daemon/export.go at v1.2.0 (ContainerExport), daemon/container.go
// at v1.2.0 (Container.Export, Container.ExportRw). See
// docs/upstream/v1.2.0.md §6.2 (GET /containers/{name}/export).
// Book: ch.8 (the union of layers a container sees is what export writes
// out).
//
// Export and ExportRw both mount the container's layer first and unmount
// it when the caller closes the tar: the tar is streamed while it is read,
// so the files must stay reachable until the end.
package daemon

import (
	"io"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerExport is the "export" job: export CONTAINER, the tar on Stdout.
func (daemon *Daemon) ContainerExport(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s container_id", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	data, err := container.Export()
	if err != nil {
		return job.Errorf("%s: %s", name, err)
	}
	defer data.Close()
	if _, err := io.Copy(job.Stdout, data); err != nil {
		return job.Errorf("%s: %s", name, err)
	}
	container.LogEvent("export")
	return engine.StatusOK
}

// mountLocked mounts the container's layer and returns where, under the
// container's lock: basefs is shared with Start and with the monitor's
// cleanup, which may run at the same moment.
func (container *Container) mountLocked() (string, error) {
	container.Lock()
	defer container.Unlock()
	if err := container.Mount(); err != nil {
		return "", err
	}
	return container.basefs, nil
}

// Export is the container's whole filesystem as a tar.
func (container *Container) Export() (archive.Archive, error) {
	basefs, err := container.mountLocked()
	if err != nil {
		return nil, err
	}
	tar, err := archive.Tar(basefs, archive.Uncompressed)
	if err != nil {
		container.Unmount()
		return nil, err
	}
	return onClose(tar, func() { container.Unmount() }), nil
}

// ExportRw is only the container's own changes, as a layer tar (commit).
func (container *Container) ExportRw() (archive.Archive, error) {
	if _, err := container.mountLocked(); err != nil {
		return nil, err
	}
	diff, err := container.daemon.Diff(container)
	if err != nil {
		container.Unmount()
		return nil, err
	}
	return onClose(diff, func() { container.Unmount() }), nil
}
