// `load`: docker load (POST /images/load) — the images of a tar made by
// image_export (docker save) are registered, parents first, and the
// names in its `repositories` file are set.
//
// Upstream: graph/load.go at v1.2.0 (CmdLoad, recursiveLoad).
// Book: ch.8 Docker镜像; each image goes through ch.10 §10.2's Register with
// its json byte for byte, so the ids (and a registry's checksums) survive a
// save and load.
//
// Divergences: the tar is unpacked straight from stdin (upstream first
// copied it to a temp file); directories without a json (an OCI layout's
// blobs/ from a modern `docker save`) are passed over instead of failing
// the load, and a tar with no image and no names at all is an error
// rather than a silent success; an image directory whose name is not the
// id in its json is refused. The tar is unpacked by the confined
// extractor (v1_2/archive.Untar), and the files read back from it are
// read through an os.Root, so a symlink in the tar ("<id>/json ->
// /etc/shadow") cannot make load read a host file (upstream 1.2 followed
// it: part of CVE-2014-6408).
package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// CmdLoad reads the tar on stdin.
func (s *TagStore) CmdLoad(job *engine.Job) engine.Status {
	tmp, err := s.graph.Mktemp("")
	if err != nil {
		return job.Error(err)
	}
	defer os.RemoveAll(tmp)
	repoDir := filepath.Join(tmp, "repo")
	if err := os.Mkdir(repoDir, 0700); err != nil {
		return job.Error(err)
	}
	if err := archive.Untar(job.Stdin, repoDir); err != nil {
		return job.Errorf("load: the input is not a tar made by docker save: %s", err)
	}

	repo, err := os.OpenRoot(repoDir)
	if err != nil {
		return job.Error(err)
	}
	defer repo.Close()
	entries, err := os.ReadDir(repoDir)
	if err != nil {
		return job.Error(err)
	}
	found := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if fi, err := repo.Stat(filepath.Join(e.Name(), "json")); err != nil || !fi.Mode().IsRegular() {
			continue // not an image directory
		}
		found++
		if err := s.recursiveLoad(e.Name(), repo, 0); err != nil {
			return job.Error(err)
		}
	}

	data, err := readRegular(repo, "repositories")
	if os.IsNotExist(err) {
		if found == 0 {
			return job.Errorf("load: no image found in the tar (Docker 1.2's format has <id>/json, <id>/layer.tar and a repositories file)")
		}
		return engine.StatusOK
	}
	if err != nil {
		return job.Error(err)
	}
	repositories := map[string]Repository{}
	if err := json.Unmarshal(data, &repositories); err != nil {
		return job.Errorf("load: the repositories file is not {\"name\":{\"tag\":\"id\"}}: %s", err)
	}
	for _, name := range sortedRepoNames(repositories) {
		for _, tag := range sortedTags(repositories[name]) {
			if err := s.Set(name, tag, repositories[name][tag], true); err != nil {
				return job.Error(err)
			}
		}
	}
	return engine.StatusOK
}

// recursiveLoad registers image id from <repo>/<id>, its parent first
// when the graph lacks it. An image the graph already has is skipped
// (upstream asked the image_get job, whose "No such id" then landed on
// the daemon's stderr for every new image; the graph answers quietly).
// depth stops a loop of parents a hand-made tar could contain.
func (s *TagStore) recursiveLoad(id string, repo *os.Root, depth int) error {
	if s.graph.Exists(id) {
		return nil
	}
	if depth > image.MaxImageDepth {
		return fmt.Errorf("load: image %s has more than %d parents (or its parents loop)", id, image.MaxImageDepth)
	}
	imageJSON, err := readRegular(repo, filepath.Join(id, "json"))
	if err != nil {
		return fmt.Errorf("load: image %s: %w", id, err)
	}
	img, err := image.NewImgJSON(imageJSON)
	if err != nil {
		return fmt.Errorf("load: image %s: its json: %w", id, err)
	}
	if img.ID != id {
		return fmt.Errorf("load: directory %s holds the json of image %q", id, img.ID)
	}
	if img.Parent != "" && !s.graph.Exists(img.Parent) {
		if err := s.recursiveLoad(img.Parent, repo, depth+1); err != nil {
			return err
		}
	}
	layer, err := regularFile(repo, filepath.Join(id, "layer.tar"))
	if err != nil {
		return fmt.Errorf("load: image %s: %w", id, err)
	}
	defer layer.Close()
	if err := s.graph.Register(imageJSON, layer, img); err != nil {
		if s.graph.Exists(id) {
			return nil // another load registered it meanwhile
		}
		return err
	}
	return nil
}

// regularFile opens name in repo if it is a regular file (after the
// symlinks inside repo): a fifo from the tar would block the load for
// ever, a directory or device is no image file.
func regularFile(repo *os.Root, name string) (*os.File, error) {
	fi, err := repo.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in the tar is not a regular file (%s)", name, fi.Mode().Type())
	}
	return repo.Open(name)
}

// readRegular reads the regular file name in repo.
func readRegular(repo *os.Root, name string) ([]byte, error) {
	f, err := regularFile(repo, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
