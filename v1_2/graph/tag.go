// Naming an image: the jobs `image_tag NEWNAME OLDNAME` and
// `tag IMAGE REPOSITORY [TAG]` (docker tag, POST /images/{name}/tag).
//
// Upstream: graph/tag.go at v1.2.0 (CmdTag, CmdTagLegacy); the tag store
// itself is tags.go.
// Book: ch.8 Docker镜像 ("repository:tag" names an image; several names may
// point at one image).
//
// Two jobs for one thing: upstream meant to merge them and never did by
// 1.2. image_tag parses NEWNAME itself and always moves an existing tag;
// tag takes the repository and tag apart and passes env force (which, at
// v1.2.0, changed nothing: see TagStore.Set).
package graph

import "github.com/dockerlab/dockerlab/v1_2/engine"

// CmdTag is image_tag: NEWNAME ("repo[:tag]") now names OLDNAME's image.
func (s *TagStore) CmdTag(job *engine.Job) engine.Status {
	if len(job.Args) != 2 {
		return job.Errorf("usage: %s NEWNAME OLDNAME", job.Name)
	}
	newRepo, newTag := ParseRepositoryTag(job.Args[0])
	if err := s.Set(newRepo, newTag, job.Args[1], true); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// CmdTagLegacy is tag: REPOSITORY[:TAG] now names IMAGE.
func (s *TagStore) CmdTagLegacy(job *engine.Job) engine.Status {
	if n := len(job.Args); n != 2 && n != 3 {
		return job.Errorf("Usage: %s IMAGE REPOSITORY [TAG]\n", job.Name)
	}
	var tag string
	if len(job.Args) == 3 {
		tag = job.Args[2]
	}
	if err := s.Set(job.Args[1], tag, job.Args[0], job.GetenvBool("force")); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}
