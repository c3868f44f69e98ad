// The "delete" job (`docker rm`) and Daemon.Destroy: a container, its
// layers, its names and links, and with -v its data volumes, gone.
//
// Upstream: daemon/delete.go at v1.2.0 (ContainerDestroy, Destroy). See
// docs/upstream/v1.2.0.md §2.4 ("delete <id>", env removeVolume, removeLink,
// forceRemove; upstream's FIXME wanted it called rm).
// Book: ch.12 (the end of a container's life).
// Notes: 001.
//
// What must be left behind: nothing. The network (IP, ports, DNAT and
// link rules) and the mount were released when the process ended
// (monitor.go Close); Destroy stops a running container first, so that
// also holds for rm -f. Then: graphdb names and links (Purge), the
// layers <id> and <id>-init, and <root>/containers/<id>.
package daemon

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerDestroy is the "delete" job.
func (daemon *Daemon) ContainerDestroy(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Not enough arguments. Usage: %s CONTAINER\n", job.Name)
	}
	name := job.Args[0]
	removeVolume := job.GetenvBool("removeVolume")
	removeLink := job.GetenvBool("removeLink")
	forceRemove := job.GetenvBool("forceRemove")
	container := daemon.Get(name)

	if removeLink {
		return daemon.removeLink(job, name, container)
	}
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	if container.State.IsRunning() {
		if !forceRemove {
			return job.Errorf("You cannot remove a running container. Stop the container before attempting removal or use -f")
		}
		if err := container.Kill(); err != nil {
			return job.Errorf("Could not kill running container, cannot remove - %v", err)
		}
	}
	if err := daemon.Destroy(container); err != nil {
		return job.Errorf("Cannot destroy container %s: %s", name, err)
	}
	container.LogEvent("destroy")
	if removeVolume {
		if err := daemon.removeVolumes(container); err != nil {
			return job.Error(err)
		}
	}
	return engine.StatusOK
}

// removeLink is `docker rm --link /web/db`: the link's name goes, the
// containers stay.
func (daemon *Daemon) removeLink(job *engine.Job, name string, container *Container) engine.Status {
	if container == nil {
		return job.Errorf("No such link: %s", name)
	}
	name, err := GetFullContainerName(name)
	if err != nil {
		return job.Error(err)
	}
	parent, alias := path.Split(name)
	if parent == "/" {
		return job.Errorf("Conflict, cannot remove the default name of the container")
	}
	parent = strings.TrimSuffix(parent, "/")
	pe := daemon.containerGraph.Get(parent)
	if pe == nil {
		return job.Errorf("Cannot get parent %s for name %s", parent, name)
	}
	if pc := daemon.Get(pe.ID()); pc != nil {
		pc.DisableLink(alias)
	}
	if err := daemon.containerGraph.Delete(name); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// removeVolumes deletes the data volumes of a destroyed container that
// no other container uses; bound host directories are never touched.
func (daemon *Daemon) removeVolumes(container *Container) error {
	volumeID := func(p string) string { return filepath.Base(strings.TrimSuffix(p, "/layer")) }
	binds := map[string]bool{}
	for _, bind := range container.hostConfig.Binds {
		source, _, _ := strings.Cut(bind, ":")
		if p, err := filepath.EvalSymlinks(source); err == nil {
			source = p
		} else if !os.IsNotExist(err) {
			return err
		}
		binds[source] = true
	}
	used := map[string]*Container{}
	for _, c := range daemon.List() {
		for _, hostPath := range c.Volumes {
			used[volumeID(hostPath)] = c
		}
	}
	for _, hostPath := range container.Volumes {
		if binds[hostPath] {
			continue
		}
		id := volumeID(hostPath)
		if !daemon.volumes.Exists(id) {
			continue // not one of ours (a bind given another way)
		}
		if c, inUse := used[id]; inUse {
			daemon.logf("The volume %s is used by the container %s. Impossible to remove it. Skipping.", id, c.ID)
			continue
		}
		daemon.volumes.Driver().Put(id)
		if err := daemon.volumes.Delete(id); err != nil {
			return fmt.Errorf("Error calling volumes.Delete(%q): %v", id, err)
		}
	}
	return nil
}

// Destroy stops the container (3 seconds' grace), forgets it, and
// removes its names, layers and directory.
func (daemon *Daemon) Destroy(container *Container) error {
	if container == nil {
		return fmt.Errorf("The given container is <nil>")
	}
	if daemon.containers.Get(container.ID) == nil {
		return fmt.Errorf("Container %v not found - maybe it was already destroyed?", container.ID)
	}
	if err := container.Stop(3); err != nil {
		return err
	}
	container.waitForPreviousRun()
	container.releaseStaleNetwork()
	// Forget it first, so nobody finds a container half removed.
	daemon.idIndex.Delete(container.ID)
	daemon.containers.Delete(container.ID)
	if _, err := daemon.containerGraph.Purge(container.ID); err != nil {
		daemon.logf("Unable to remove container from link graph: %s", err)
	}
	if err := removeLayer(daemon.driver, container.ID); err != nil {
		return fmt.Errorf("Driver %s failed to remove root filesystem %s: %s", daemon.driver, container.ID, err)
	}
	initID := container.ID + "-init"
	if err := removeLayer(daemon.driver, initID); err != nil {
		return fmt.Errorf("Driver %s failed to remove init filesystem %s: %s", daemon.driver, initID, err)
	}
	if err := os.RemoveAll(container.root); err != nil {
		return fmt.Errorf("Unable to remove filesystem for %v: %v", container.ID, err)
	}
	return nil
}

// removeLayer is the driver's Remove, tried again for a while when the
// kernel says the mount is busy: a container being cloned at that moment
// (CLONE_NEWNS) holds a copy of every mount until its init has pivoted
// and dropped the old root, which takes a moment. Not upstream: 1.2 failed
// the rm (dockerlab's 100-at-once tests met it).
func removeLayer(driver graphdriver.Driver, id string) error {
	var err error
	for try := 0; try < 100; try++ { // up to ~5 s
		if err = driver.Remove(id); err == nil || !isBusy(err) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// isBusy: EBUSY itself, or ENOTEMPTY when RemoveAll could not empty a
// directory because a mount point inside it was busy.
func isBusy(err error) bool {
	return errors.Is(err, backend.ErrBusy) || errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.ENOTEMPTY) ||
		strings.Contains(err.Error(), "device or resource busy") || strings.Contains(err.Error(), "directory not empty")
}
