// `image_export NAME`: docker save (GET /images/{name}/get) — images and
// their parents as one uncompressed tar in Docker 1.2's format:
//
//	repositories                {"busybox":{"latest":"<id>"}}
//	<id>/VERSION                "1.0"
//	<id>/json                   the image's json, byte for byte
//	<id>/layer.tar              the image's own layer
//	<parent id>/...             and so on down to the base image
//
// Upstream: graph/export.go at v1.2.0 (CmdImageExport, exportImage).
// Book: ch.8 Docker镜像 (an image is its layer plus every parent layer, so
// saving one image saves the whole stack).
// Notes: 004 "Job" (the engine's jobs calling jobs).
//
// load.go reads it back. The export is built from other jobs, as
// upstream's was: image_inspect (raw) writes each json, image_tarlayer
// each layer, image_get names the parent.
package graph

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// exportVersion is the VERSION file of every image directory.
const exportVersion = "1.0"

// CmdImageExport saves each NAME: a repository name (every tag of it), a
// "name:tag", or an image id or id prefix (which adds no name to the
// repositories file). Upstream 1.2 took exactly one NAME; several (as
// GET /images/get?names=a&names=b sends them, Docker 1.4's form) go into
// one tar, sharing the layers they have in common.
func (s *TagStore) CmdImageExport(job *engine.Job) engine.Status {
	if len(job.Args) < 1 {
		return job.Errorf("Usage: %s IMAGE\n", job.Name)
	}
	tempdir, err := s.graph.Mktemp("")
	if err != nil {
		return job.Error(err)
	}
	defer os.RemoveAll(tempdir)

	rootRepoMap := map[string]Repository{}
	for _, name := range job.Args {
		if err := s.exportName(job.Eng, name, tempdir, rootRepoMap); err != nil {
			return job.Error(err)
		}
	}
	if len(rootRepoMap) > 0 {
		data, err := json.Marshal(rootRepoMap)
		if err != nil {
			return job.Error(err)
		}
		if err := os.WriteFile(filepath.Join(tempdir, "repositories"), data, 0644); err != nil {
			return job.Error(err)
		}
	}

	fs, err := archive.Tar(tempdir, archive.Uncompressed)
	if err != nil {
		return job.Error(err)
	}
	defer fs.Close()
	if _, err := io.Copy(job.Stdout, fs); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// exportName writes the images name stands for and records its names.
func (s *TagStore) exportName(eng *engine.Engine, name, tempdir string, rootRepoMap map[string]Repository) error {
	rootRepo, err := s.Get(name)
	if err != nil {
		return err
	}
	if rootRepo != nil {
		// A bare repository name ("busybox"): all of its tags.
		for _, tag := range sortedTags(rootRepo) {
			if err := s.exportImage(eng, rootRepo[tag], tempdir); err != nil {
				return err
			}
		}
		rootRepoMap[name] = rootRepo
		return nil
	}
	img, err := s.LookupImage(name)
	if err != nil {
		return fmt.Errorf("No such image: %s", name)
	}
	if err := s.exportImage(eng, img.ID, tempdir); err != nil {
		return err
	}
	// "name:tag" keeps its name; an id (prefix) has none to keep.
	if repoName, repoTag := ParseRepositoryTag(name); repoTag != "" {
		if rootRepoMap[repoName] == nil {
			rootRepoMap[repoName] = Repository{}
		}
		rootRepoMap[repoName][repoTag] = img.ID
	}
	return nil
}

// exportImage writes the directory of image id and of each parent below
// it, stopping at the first one already written (two tags sharing a base
// write the base once).
func (s *TagStore) exportImage(eng *engine.Engine, id, tempdir string) error {
	for n := id; n != ""; {
		dir := filepath.Join(tempdir, n)
		if err := os.Mkdir(dir, 0755); err != nil {
			if os.IsExist(err) {
				return nil
			}
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "VERSION"), []byte(exportVersion), 0644); err != nil {
			return err
		}
		if err := runJobTo(eng, filepath.Join(dir, "json"), "image_inspect", n, "raw"); err != nil {
			return err
		}
		if err := runJobTo(eng, filepath.Join(dir, "layer.tar"), "image_tarlayer", n, ""); err != nil {
			return err
		}
		job := eng.Job("image_get", n)
		info, err := job.Stdout.AddEnv()
		if err != nil {
			return err
		}
		if err := job.Run(); err != nil {
			return err
		}
		n = info.Get("Parent")
	}
	return nil
}

// runJobTo runs `name arg` (with boolEnv set true, if given) and writes
// its stdout to the file path.
func runJobTo(eng *engine.Engine, path, name, arg, boolEnv string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0644)
	if err != nil {
		return err
	}
	job := eng.Job(name, arg)
	if boolEnv != "" {
		job.SetenvBool(boolEnv, true)
	}
	// Wrapped so that the job's end does not close the file: it is
	// closed here, where a failed close (a full disk) is seen.
	job.Stdout.Add(struct{ io.Writer }{f})
	runErr := job.Run()
	if err := f.Close(); runErr == nil {
		runErr = err
	}
	return runErr
}
