// The Runtime's containers: Create, Load, Register, Get, Destroy, Commit.
//
// Upstream: runtime.go at v0.1.0 (Create, Load, Register, Get, Exists,
// Destroy, Commit, LogToDisk). See docs/upstream/v0.1.0.md §6 "Create",
// "Register", "Restore", "Destroy".
// Notes: 002 "创建runtime", "恢复容器" (restore: Load each directory, then
// Register: the id is checked, the lock and condition made, the container
// appended to the list; the note does not walk Create).
package docker

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// sysInitPath is the binary config.lxc bind-mounts as /sbin/init.
func sysInitPath() string {
	path, err := os.Executable()
	if err != nil {
		return "dockerlab"
	}
	return path
}

// Get finds a container by its full id (0.1.0 had no prefix matching).
func (runtime *Runtime) Get(id string) *Container {
	runtime.lock.Lock()
	defer runtime.lock.Unlock()
	for e := runtime.containers.Front(); e != nil; e = e.Next() {
		if c := e.Value.(*Container); c.Id == id {
			return c
		}
	}
	return nil
}

// Exists says whether id is a registered container.
func (runtime *Runtime) Exists(id string) bool { return runtime.Get(id) != nil }

// Create makes a container from config: the image is looked up, the
// directory made (0700), config.json written, the container registered.
func (runtime *Runtime) Create(config *Config) (*Container, error) {
	if config == nil || len(config.Cmd) == 0 {
		return nil, errors.New("Command not specified")
	}
	// The tag store reloads its file on every lookup and has no lock of
	// its own (neither had 0.1.0's); concurrent runs take turns here.
	runtime.tagsLock.Lock()
	imageID, err := runtime.repositories.LookupImageID(config.Image)
	runtime.tagsLock.Unlock()
	if err != nil {
		return nil, err
	}
	img, err := runtime.graph.Get(imageID)
	if err != nil {
		return nil, err
	}
	container := &Container{
		Id:              GenerateId(),
		Created:         time.Now(),
		Path:            config.Cmd[0],
		Args:            config.Cmd[1:],
		Config:          config,
		Image:           img.Id,
		NetworkSettings: &NetworkSettings{},
		SysInitPath:     sysInitPath(),
	}
	container.root = filepath.Join(runtime.repository, container.Id)
	if err := os.Mkdir(container.root, 0700); err != nil {
		return nil, err
	}
	if err := container.ToDisk(); err != nil {
		return nil, err
	}
	if err := runtime.Register(container); err != nil {
		return nil, err
	}
	return container, nil
}

// Load reads containers/<id>/config.json and registers it.
func (runtime *Runtime) Load(id string) (*Container, error) {
	container := &Container{root: filepath.Join(runtime.repository, id)}
	if err := container.FromDisk(); err != nil {
		return nil, err
	}
	if container.Id != id {
		return container, fmt.Errorf("Container %s is stored at %s", container.Id, id)
	}
	if container.Config == nil {
		return nil, fmt.Errorf("Container %s has no config", id)
	}
	if container.NetworkSettings == nil {
		container.NetworkSettings = &NetworkSettings{}
	}
	if container.State.Running {
		container.State.Running = false
		container.State.Pid = 0
		container.State.ExitCode = -1
		if err := container.ToDisk(); err != nil {
			return nil, err
		}
	}
	if err := runtime.Register(container); err != nil {
		return nil, err
	}
	return container, nil
}

// Register makes a container known: its broadcasters, its stdin pipe
// (a sink without -i), its place in the list.
func (runtime *Runtime) Register(container *Container) error {
	if container.Id == "" {
		return errors.New("Invalid empty id")
	}
	if runtime.Exists(container.Id) {
		return fmt.Errorf("Container is already loaded")
	}
	container.runtime = runtime
	container.stdout = newWriteBroadcaster()
	container.stderr = newWriteBroadcaster()
	if container.Config.OpenStdin {
		container.stdin, container.stdinPipe = io.Pipe()
	} else {
		container.stdinPipe = nopWriteCloser{io.Discard}
	}
	runtime.lock.Lock()
	runtime.containers.PushBack(container)
	runtime.lock.Unlock()
	return nil
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// Destroy stops a container, unmounts it, forgets it and removes its
// directory.
func (runtime *Runtime) Destroy(container *Container) error {
	if err := container.Stop(); err != nil {
		return err
	}
	if err := container.Unmount(); err != nil {
		return err
	}
	runtime.lock.Lock()
	for e := runtime.containers.Front(); e != nil; e = e.Next() {
		if e.Value.(*Container) == container {
			runtime.containers.Remove(e)
			break
		}
	}
	runtime.lock.Unlock()
	return os.RemoveAll(container.root)
}

// Commit stores the container's own layer as a new image on top of its
// image, and tags it when a repository is given.
func (runtime *Runtime) Commit(id, repository, tag string) (*Image, error) {
	container := runtime.Get(id)
	if container == nil {
		return nil, fmt.Errorf("No such container: %s", id)
	}
	rwTar, done, err := container.ExportRw()
	if err != nil {
		return nil, err
	}
	defer done()
	defer rwTar.Close()
	img, err := runtime.graph.Create(rwTar, container, "")
	if err != nil {
		return nil, err
	}
	if repository != "" {
		if err := runtime.repositories.Set(repository, tag, img.Id, false); err != nil {
			return img, err
		}
	}
	return img, nil
}
