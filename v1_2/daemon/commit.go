// The "commit" job (docker commit): a new image made of the container's
// image plus one layer holding what the container changed.
//
// Upstream: daemon/commit.go at v1.2.0 (ContainerCommit, Commit). See
// docs/upstream/v1.2.0.md §2.4 and §6.2 (POST
// /commit?container=&repo=&tag=&comment=&author=, the body a Config).
// Book: ch.8 (an image is a stack of layers; commit adds one) and ch.10 §10.2
// (graph.Create then Register store it).
//
// The steps: pause the container (so its files hold still while they are
// read; 1.2's `docker commit` paused by default), mount its layer, take
// the diff against its init layer as a tar (ExportRw), and hand that to
// graph.Create with the parent image, the container's config and the new
// config (the job's "config" merged over the container's: docker commit
// --run). A repository name tags the new image.
package daemon

import (
	"encoding/json"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// ContainerCommit is the "commit" job: commit CONTAINER with env repo,
// tag, comment, author, pause, config (JSON). It prints the image id.
func (daemon *Daemon) ContainerCommit(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Not enough arguments. Usage: %s CONTAINER\n", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}

	var newConfig runconfig.Config
	if err := job.GetenvJson("config", &newConfig); err != nil {
		return job.Error(err)
	}
	if err := runconfig.Merge(&newConfig, container.Config); err != nil {
		return job.Error(err)
	}

	img, err := daemon.Commit(container, job.Getenv("repo"), job.Getenv("tag"),
		job.Getenv("comment"), job.Getenv("author"), job.GetenvBool("pause"), &newConfig)
	if err != nil {
		return job.Error(err)
	}
	job.Printf("%s\n", img.ID)
	return engine.StatusOK
}

// Commit makes the image and, with a repository, tags it (tag "" means
// "latest" to the tag store).
func (daemon *Daemon) Commit(container *Container, repository, tag, comment, author string, pause bool, config *runconfig.Config) (*image.Image, error) {
	if pause && container.State.IsRunning() {
		if err := container.Pause(); err == nil {
			defer container.Unpause()
		}
	}

	rwTar, err := container.ExportRw() // mounts until closed
	if err != nil {
		return nil, err
	}
	defer rwTar.Close()

	containerConfig, err := json.Marshal(container.Config)
	if err != nil {
		return nil, err
	}
	newConfig, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	img, err := daemon.graph.Create(rwTar, container.ID, container.Image, comment, author, containerConfig, newConfig)
	if err != nil {
		return nil, err
	}
	if repository != "" {
		if err := daemon.repositories.Set(repository, tag, img.ID, true); err != nil {
			return img, err
		}
	}
	return img, nil
}
