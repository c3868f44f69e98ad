// `history IMAGE`: the image and every parent under it, newest first
// (docker history, GET /images/{name}/history).
//
// Upstream: graph/history.go at v1.2.0 (CmdHistory).
// Book: ch.8 Docker镜像: an image is a stack of layers; each row is one layer,
// with the command that made it (the container config's Cmd of the commit)
// and what it adds.
//
// Each row: Id, Created (unix seconds), CreatedBy, Tags (its names, or
// null), Size (the layer's own).
package graph

import (
	"encoding/json"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// CmdHistory walks the image's parents.
func (s *TagStore) CmdHistory(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s IMAGE", job.Name)
	}
	found, err := s.LookupImage(job.Args[0])
	if err != nil {
		return job.Error(err)
	}
	names := s.ByID()
	outs := engine.NewTable("Created", 0)
	err = found.WalkHistory(func(img *image.Image) error {
		out := &engine.Env{}
		out.Set("Id", img.ID)
		out.SetInt64("Created", img.Created.Unix())
		out.Set("CreatedBy", createdBy(img))
		out.SetList("Tags", names[img.ID])
		out.SetInt64("Size", img.Size)
		outs.Add(out)
		return nil
	})
	if err != nil {
		return job.Error(err)
	}
	if _, err := outs.WriteListTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// createdBy is the Cmd of the container the layer was committed from,
// joined by spaces; "" for an imported layer. ContainerConfig is kept as
// raw JSON (image.go), so only Cmd is read from it here.
func createdBy(img *image.Image) string {
	if len(img.ContainerConfig) == 0 {
		return ""
	}
	var cfg struct{ Cmd []string }
	if err := json.Unmarshal(img.ContainerConfig, &cfg); err != nil {
		return ""
	}
	return strings.Join(cfg.Cmd, " ")
}
