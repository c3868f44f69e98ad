// The registry jobs of the TagStore: pull and push.
//
// Upstream: graph/pull.go at v1.2.0 (CmdPull), graph/push.go at v1.2.0
// (CmdPush).
// Book: ch.9 Docker镜像下载 (what pull does against a registry).
//
// dockerlab has no registry yet (v1_2/registry says why), so, like the
// builtins' auth and search, these jobs exist under their names, check
// their arguments as upstream did, and then say that no registry is
// configured. `docker load` and `docker import` bring images in instead.
package graph

import (
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// CmdPull is `pull NAME [TAG]`.
func (s *TagStore) CmdPull(job *engine.Job) engine.Status {
	if n := len(job.Args); n != 1 && n != 2 {
		return job.Errorf("Usage: %s IMAGE [TAG]", job.Name)
	}
	name := job.Args[0]
	if len(job.Args) == 2 {
		name += ":" + job.Args[1]
	}
	return job.Errorf("pull %s: %s (use docker load or docker import)", name, registry.ErrNoRegistry)
}

// CmdPush is `push NAME`.
func (s *TagStore) CmdPush(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s IMAGE", job.Name)
	}
	return job.Errorf("push %s: %s (use docker save)", job.Args[0], registry.ErrNoRegistry)
}
