// The "container_changes" job (docker diff) and the daemon's Changes and
// Diff: what a container changed in its filesystem, as a list and as a
// layer tar.
//
// Upstream: daemon/changes.go at v1.2.0 (ContainerChanges), daemon/daemon.go
// at v1.2.0 (Changes, Diff), daemon/container.go at v1.2.0
// (Container.Changes).
// Book: ch.8 (a container's rootfs is the image's read-only layers plus one
// writable layer: docker diff lists that top layer) and ch.10 §10.5.
// Notes: 003 (union FS).
//
// What the container changed is its layer <id> compared with the layer
// below it, <id>-init (the image plus the files the daemon put there for
// every container: /etc/hosts, /.dockerinit, ...), so those daemon files
// never show up as the container's own changes. A driver that keeps
// layers as diffs (graphdriver.Differ) answers itself; vfs and overlay
// are compared directory against directory.
package daemon

import (
	"fmt"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerChanges is the "container_changes" job: a table of
// {"Path": "/tmp/x", "Kind": 0|1|2} (modified, added, deleted).
func (daemon *Daemon) ContainerChanges(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s CONTAINER", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	changes, err := container.Changes()
	if err != nil {
		return job.Error(err)
	}
	outs := engine.NewTable("", 0)
	for _, change := range changes {
		out := &engine.Env{}
		if err := out.Import(change); err != nil {
			return job.Error(err)
		}
		outs.Add(out)
	}
	if _, err := outs.WriteListTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// Changes lists the container's changes under its lock.
func (container *Container) Changes() ([]archive.Change, error) {
	container.Lock()
	defer container.Unlock()
	return container.daemon.Changes(container)
}

// Changes compares the container's layer with its init layer.
func (daemon *Daemon) Changes(container *Container) ([]archive.Change, error) {
	if differ, ok := daemon.driver.(graphdriver.Differ); ok {
		return differ.Changes(container.ID)
	}
	cDir, err := daemon.driver.Get(container.ID, "")
	if err != nil {
		return nil, fmt.Errorf("Error getting container rootfs %s from driver %s: %s", container.ID, daemon.driver, err)
	}
	defer daemon.driver.Put(container.ID)
	initDir, err := daemon.driver.Get(container.ID+"-init", "")
	if err != nil {
		return nil, fmt.Errorf("Error getting container init rootfs %s from driver %s: %s", container.ID, daemon.driver, err)
	}
	defer daemon.driver.Put(container.ID + "-init")
	return archive.ChangesDirs(cDir, initDir)
}

// Diff is the container's changes as a layer tar (what commit stores):
// the added and modified files, and a ".wh.<name>" entry per deletion.
// The layer stays mounted until the tar is closed.
func (daemon *Daemon) Diff(container *Container) (archive.Archive, error) {
	if differ, ok := daemon.driver.(graphdriver.Differ); ok {
		return differ.Diff(container.ID)
	}
	changes, err := daemon.Changes(container)
	if err != nil {
		return nil, err
	}
	cDir, err := daemon.driver.Get(container.ID, "")
	if err != nil {
		return nil, fmt.Errorf("Error getting container rootfs %s from driver %s: %s", container.ID, daemon.driver, err)
	}
	tar, err := archive.ExportChanges(cDir, changes)
	if err != nil {
		daemon.driver.Put(container.ID)
		return nil, err
	}
	return onClose(tar, func() { daemon.driver.Put(container.ID) }), nil
}

// onClose wraps a stream so that done runs once it is closed: how a
// mounted layer is given back when its tar has been read.
func onClose(rc archive.Archive, done func()) archive.Archive {
	return &closeHook{Archive: rc, done: done}
}

type closeHook struct {
	archive.Archive
	done   func()
	closed bool
}

func (c *closeHook) Close() error {
	err := c.Archive.Close()
	if !c.closed {
		c.closed = true
		c.done()
	}
	return err
}
