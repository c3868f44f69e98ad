// `images`: the rows of `docker images` (GET /images/json).
//
// Upstream: graph/list.go at v1.2.0 (CmdImages).
// Book: ch.8 Docker镜像: an image has as many rows as it has names; an image
// without a name shows as <none>:<none>, but only when it is a head (no other
// image is built on it) — the layers underneath a tagged image stay hidden
// unless `-a` asks for all.
//
// Env: all (every image, not only heads), filter (a path.Match pattern on
// the repository name; untagged images are then left out), filters
// ({"dangling":["true"]}: only the untagged heads).
// Each row: Id, ParentId, RepoTags, Created (unix seconds), Size (the
// layer's own), VirtualSize (the layer plus all its parents), newest
// first.
package graph

import (
	"path"
	"sort"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/pkg/parsers/filters"
)

// CmdImages lists images.
func (s *TagStore) CmdImages(job *engine.Job) engine.Status {
	imageFilters, err := filters.FromParam(job.Getenv("filters"))
	if err != nil {
		return job.Error(err)
	}
	onlyDangling := false
	for _, value := range imageFilters["dangling"] {
		if strings.ToLower(value) == "true" {
			onlyDangling = true
		}
	}
	pattern := job.Getenv("filter")
	if pattern != "" {
		if _, err := path.Match(pattern, ""); err != nil {
			return job.Errorf("images: bad filter pattern %q: %s", pattern, err)
		}
	}

	// The untagged candidates: every image with -a, else the heads.
	// (-a with dangling=true still means heads, as upstream.)
	var untagged map[string]*image.Image
	if job.GetenvBool("all") && !onlyDangling {
		untagged, err = s.graph.Map()
	} else {
		untagged, err = s.graph.Heads()
	}
	if err != nil {
		return job.Error(err)
	}

	// One row per tagged image, with all its names. A tagged image is no
	// longer an untagged candidate (with a pattern, untagged rows are not
	// shown at all, so only the matching repositories need looking at).
	s.Lock()
	if err := s.reload(); err != nil {
		s.Unlock()
		return job.Error(err)
	}
	tagged := map[string]*engine.Env{}
	for _, name := range sortedRepoNames(s.Repositories) {
		if pattern != "" {
			if match, _ := path.Match(pattern, name); !match {
				continue
			}
		}
		repo := s.Repositories[name]
		for _, tag := range sortedTags(repo) {
			id := repo[tag]
			img, err := s.graph.Get(id)
			if err != nil {
				job.Logf("Warning: couldn't load %s from %s:%s: %s", id, name, tag, err)
				continue
			}
			delete(untagged, id)
			if onlyDangling {
				continue
			}
			if row, seen := tagged[id]; seen {
				row.SetList("RepoTags", append(row.GetList("RepoTags"), name+":"+tag))
				continue
			}
			tagged[id] = imageRow(img, []string{name + ":" + tag})
		}
	}
	s.Unlock()

	outs := engine.NewTable("Created", len(tagged))
	for _, id := range sortedKeys(tagged) {
		outs.Add(tagged[id])
	}
	if pattern == "" {
		for _, id := range sortedKeys(untagged) {
			outs.Add(imageRow(untagged[id], []string{"<none>:<none>"}))
		}
	}
	// Newest first; a stable sort over id-ordered rows keeps equal
	// timestamps in a fixed order (upstream's followed map order).
	sort.Stable(sort.Reverse(outs))
	if _, err := outs.WriteListTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// imageRow is one row of the listing.
func imageRow(img *image.Image, repoTags []string) *engine.Env {
	out := &engine.Env{}
	out.Set("ParentId", img.Parent)
	out.SetList("RepoTags", repoTags)
	out.Set("Id", img.ID)
	out.SetInt64("Created", img.Created.Unix())
	out.SetInt64("Size", img.Size)
	out.SetInt64("VirtualSize", img.GetParentsSize(0)+img.Size)
	return out
}

func sortedRepoNames(repos map[string]Repository) []string {
	names := make([]string, 0, len(repos))
	for name := range repos {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func sortedTags(repo Repository) []string {
	tags := make([]string, 0, len(repo))
	for tag := range repo {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	return tags
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
