// `image_delete NAME` (docker rmi, DELETE /images/{name}): untag, then
// delete the image and — unless noprune — each parent left without a
// name and without other children.
//
// Upstream: daemon/image_delete.go at v1.2.0 (ImageDelete, DeleteImage,
// canDeleteImage), daemon/daemon.go at v1.2.0 (the Repositories and Graph
// accessors).
// Book: ch.8 Docker镜像 (removing an image walks down its parents; a layer
// another image or a container stands on stays).
//
// The rules, in upstream's order:
//   - NAME is "repo[:tag]" or an id (prefix). By name, only that tag
//     goes; by id, every tag of its one repository goes (tags in two
//     repositories need -f).
//   - The image itself is deleted only when no name is left on it and no
//     image is built on it; a container using it (or using an image built
//     on it) refuses, unless force — and a running one refuses even then.
//   - Each untag and delete adds a row {"Untagged": "repo:tag"} or
//     {"Deleted": id} and an event (untag, delete) through the log job.
//   - Nothing untagged and nothing deleted is itself an error:
//     "Conflict, NAME wasn't deleted".
package daemon

import (
	"fmt"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// Repositories is the tag store (repositories-<driver>).
func (daemon *Daemon) Repositories() *graph.TagStore { return daemon.repositories }

// Graph is the image graph.
func (daemon *Daemon) Graph() *graph.Graph { return daemon.graph }

// ImageDelete is the image_delete job; env force, noprune.
func (daemon *Daemon) ImageDelete(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s IMAGE", job.Name)
	}
	imgs := engine.NewTable("", 0)
	if err := daemon.DeleteImage(job.Eng, job.Args[0], imgs, true, job.GetenvBool("force"), job.GetenvBool("noprune")); err != nil {
		return job.Error(err)
	}
	if len(imgs.Data) == 0 {
		return job.Errorf("Conflict, %s wasn't deleted", job.Args[0])
	}
	if _, err := imgs.WriteListTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// DeleteImage removes name and adds a row to imgs for each untag and
// delete. first is false when called for a parent: a parent that still
// has a name is left alone.
func (daemon *Daemon) DeleteImage(eng *engine.Engine, name string, imgs *engine.Table, first, force, noprune bool) error {
	repos := daemon.Repositories()
	repoName, tag := graph.ParseRepositoryTag(name)
	if tag == "" {
		tag = graph.DEFAULTTAG
	}
	img, err := repos.LookupImage(name)
	if err != nil {
		if r, _ := repos.Get(repoName); r != nil {
			return fmt.Errorf("No such image: %s:%s", repoName, tag)
		}
		return fmt.Errorf("No such image: %s", name)
	}
	// Named by id (or an id prefix): the tags to drop are found below.
	// Upstream asked strings.Contains, so a repository name that happened
	// to occur inside the id ("abc" in "12abc3...") counted as an id.
	if strings.HasPrefix(img.ID, name) {
		repoName, tag = "", ""
	}
	byParents, err := daemon.Graph().ByParent()
	if err != nil {
		return err
	}

	var tags []string
	if repoName == "" {
		// By id: all its tags, as long as they are in one repository.
		for _, repoAndTag := range repos.ByID()[img.ID] {
			parsedRepo, parsedTag := graph.ParseRepositoryTag(repoAndTag)
			switch {
			case repoName == "" || repoName == parsedRepo:
				repoName = parsedRepo
				if parsedTag != "" {
					tags = append(tags, parsedTag)
				}
			case !force:
				return fmt.Errorf("Conflict, cannot delete image %s because it is tagged in multiple repositories, use -f to force", name)
			}
		}
	} else {
		tags = append(tags, tag)
	}
	if !first && len(tags) > 0 {
		return nil // a parent with names stays
	}

	tagDeleted := false
	for _, t := range tags {
		if tagDeleted, err = repos.Delete(repoName, t); err != nil {
			return err
		}
		if tagDeleted {
			out := &engine.Env{}
			out.Set("Untagged", repoName+":"+t)
			imgs.Add(out)
			eng.Job("log", "untag", img.ID, "").Run()
		}
	}

	// Upstream's condition: by id, at most one name may be left (the
	// other repositories' tags under -f); by name, none.
	left := repos.ByID()[img.ID]
	if !((len(left) <= 1 && repoName == "") || len(left) == 0) {
		return nil
	}
	if len(byParents[img.ID]) > 0 {
		return nil // other images are built on it
	}
	if err := daemon.canDeleteImage(img.ID, force, tagDeleted); err != nil {
		return err
	}
	if err := repos.DeleteAll(img.ID); err != nil {
		return err
	}
	if err := daemon.Graph().Delete(img.ID); err != nil {
		return err
	}
	out := &engine.Env{}
	out.Set("Deleted", img.ID)
	imgs.Add(out)
	eng.Job("log", "delete", img.ID, "").Run()
	if img.Parent != "" && !noprune {
		err := daemon.DeleteImage(eng, img.Parent, imgs, false, force, noprune)
		if first {
			return err
		}
	}
	return nil
}

// canDeleteImage refuses when a container stands on imgID (its image is
// imgID or built on it): a running container always, a stopped one
// unless force.
func (daemon *Daemon) canDeleteImage(imgID string, force, untagged bool) error {
	var message string
	if untagged {
		message = " (docker untagged the image)"
	}
	for _, container := range daemon.List() {
		parent, err := daemon.Repositories().LookupImage(container.Image)
		if err != nil {
			if daemon.Graph().IsNotExist(err) {
				// Its image was force-deleted already: nothing to walk.
				// Upstream returned the error, so `rmi -f` of an image a
				// stopped container used deleted it and then failed
				// pruning the parent with "No such id" (1.5 fixed this).
				continue
			}
			return err
		}
		err = parent.WalkHistory(func(p *image.Image) error {
			if imgID != p.ID {
				return nil
			}
			short, ctr := image.TruncateID(imgID), image.TruncateID(container.ID)
			switch {
			case container.State.IsRunning() && force:
				return fmt.Errorf("Conflict, cannot force delete %s because the running container %s is using it%s, stop it and retry", short, ctr, message)
			case container.State.IsRunning():
				return fmt.Errorf("Conflict, cannot delete %s because the running container %s is using it%s, stop it and use -f to force", short, ctr, message)
			case !force:
				return fmt.Errorf("Conflict, cannot delete %s because the container %s is using it%s, use -f to force", short, ctr, message)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
