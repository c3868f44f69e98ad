// The "container_copy" job (docker cp CONTAINER:PATH HOSTDIR): one file or
// directory of the container's filesystem as a tar.
//
// Upstream: daemon/copy.go at v1.2.0 (ContainerCopy), daemon/container.go at
// v1.2.0 (Container.Copy). See docs/upstream/v1.2.0.md §6.2 (POST
// /containers/{name}/copy with {"Resource": "/etc/hostname"}).
// Book: ch.8 (Docker镜像: the path copy reads is the union mount, seen
// through the graph driver; the book does not walk copy.go).
//
// The tar's names start at the resource's own name: copying /etc gives
// "etc/", "etc/hosts", ...; copying /etc/hostname gives "hostname". The
// path is resolved inside the container's filesystem, symlinks included,
// so "/etc/../../.." never leaves it.
package daemon

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerCopy is the "container_copy" job: container_copy CONTAINER RESOURCE.
func (daemon *Daemon) ContainerCopy(job *engine.Job) engine.Status {
	if len(job.Args) != 2 {
		return job.Errorf("Usage: %s CONTAINER RESOURCE\n", job.Name)
	}
	name, resource := job.Args[0], job.Args[1]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	data, err := container.Copy(resource)
	if err != nil {
		return job.Error(err)
	}
	defer data.Close()
	if _, err := io.Copy(job.Stdout, data); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// Copy mounts the container and streams resource as a tar; closing the
// stream unmounts.
func (container *Container) Copy(resource string) (io.ReadCloser, error) {
	path, err := container.mountAndResolve(resource)
	if err != nil {
		return nil, err
	}
	if _, err := os.Lstat(path); err != nil {
		container.Unmount()
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(tarTree(pw, filepath.Dir(path), filepath.Base(path)))
	}()
	return onClose(pr, func() { container.Unmount() }), nil
}

// mountAndResolve mounts the container (the caller unmounts) and finds
// resource in it, under the container's lock (see mountLocked).
func (container *Container) mountAndResolve(resource string) (string, error) {
	container.Lock()
	defer container.Unlock()
	if err := container.Mount(); err != nil {
		return "", err
	}
	path, err := container.getResourcePath(resource)
	if err != nil {
		container.Unmount()
		return "", err
	}
	return path, nil
}

// tarTree writes base/name and, for a directory, everything below it,
// with names relative to base.
func tarTree(w io.Writer, base, name string) error {
	tw := tar.NewWriter(w)
	err := filepath.Walk(filepath.Join(base, name), func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(base, p)
		if err != nil {
			return err
		}
		link := ""
		if fi.Mode()&os.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		hdr, err := tar.FileInfoHeader(fi, link)
		if err != nil {
			return err
		}
		hdr.Name = rel
		if fi.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if fi.Mode().IsRegular() {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(tw, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// ContainerPathStat describes one path of a container's filesystem, with
// the JSON names of the X-Docker-Container-Path-Stat header.
//
// Not in 1.2 (dockerlab's, for the API's newer GET/HEAD
// /containers/{name}/archive that today's `docker cp` uses; upstream
// added it in 1.8 as types.ContainerPathStat).
type ContainerPathStat struct {
	Name       string      `json:"name"`
	Size       int64       `json:"size"`
	Mode       os.FileMode `json:"mode"`
	Mtime      time.Time   `json:"mtime"`
	LinkTarget string      `json:"linkTarget"`
}

// ContainerStatPath stats path inside the named container (symlinks
// resolved inside it, as Copy does).
func (daemon *Daemon) ContainerStatPath(name, path string) (*ContainerPathStat, error) {
	container := daemon.Get(name)
	if container == nil {
		return nil, fmt.Errorf("No such container: %s", name)
	}
	resolved, err := container.mountAndResolve(path)
	if err != nil {
		return nil, err
	}
	defer container.Unmount()
	fi, err := os.Lstat(resolved)
	if err != nil {
		return nil, err
	}
	st := &ContainerPathStat{Name: filepath.Base(resolved), Size: fi.Size(), Mode: fi.Mode(), Mtime: fi.ModTime()}
	if fi.Mode()&os.ModeSymlink != 0 {
		st.LinkTarget, _ = os.Readlink(resolved)
	}
	return st, nil
}
