// The image jobs: what the TagStore installs on the engine, and the four
// small jobs that let other jobs (and `docker save`) read and write one
// image: image_set, image_get, image_inspect, image_tarlayer.
//
// Upstream: graph/service.go at v1.2.0 (Install, CmdSet, CmdGet, CmdLookup,
// CmdTarLayer). See docs/upstream/v1.2.0.md §2.4 (the job list:
// daemon.Install ends with Repositories().Install(eng)) and §6.2 (GET
// /images/{name}/json is image_inspect).
// Book: ch.8 Docker镜像 (an image is a layer plus its json), ch.3 §3.3.6
// (d.Install(eng)).
// Notes: 004 (every piece of work is a named Job).
//
// The other jobs live one per file, as upstream: import.go, list.go
// (images), tag.go (image_tag, tag), history.go, viz.go, export.go
// (image_export), load.go, pull.go (pull and push).
package graph

import (
	"fmt"
	"io"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// Jobs lists the jobs Install registers, in upstream's table order.
var Jobs = []string{
	"image_set", "image_tag", "tag", "image_get", "image_inspect",
	"image_tarlayer", "image_export", "history", "images", "viz",
	"load", "import", "pull", "push",
}

// Install registers the image jobs on eng. A name already taken fails
// with upstream's message.
func (s *TagStore) Install(eng *engine.Engine) error {
	handlers := map[string]engine.Handler{
		"image_set":      s.CmdSet,
		"image_tag":      s.CmdTag,
		"tag":            s.CmdTagLegacy, // upstream meant to merge it into image_tag
		"image_get":      s.CmdGet,
		"image_inspect":  s.CmdLookup,
		"image_tarlayer": s.CmdTarLayer,
		"image_export":   s.CmdImageExport,
		"history":        s.CmdHistory,
		"images":         s.CmdImages,
		"viz":            s.CmdViz,
		"load":           s.CmdLoad,
		"import":         s.CmdImport,
		"pull":           s.CmdPull,
		"push":           s.CmdPush,
	}
	// In Jobs' order rather than map order, so a failure is reproducible.
	for _, name := range Jobs {
		if err := eng.Register(name, handlers[name]); err != nil {
			return fmt.Errorf("Could not register %q: %v", name, err)
		}
	}
	return nil
}

// Graph is the graph whose images the store names.
func (s *TagStore) Graph() *Graph { return s.graph }

// CmdSet is `image_set ID`: store an image whose json is the env "json"
// (kept byte for byte, as a registry's checksum covers those bytes) and
// whose layer is the tar on stdin (empty stdin: an empty layer). The id
// stored is the json's, as upstream; the argument is only required.
func (s *TagStore) CmdSet(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("usage: %s NAME", job.Name)
	}
	imgJSON := []byte(job.Getenv("json"))
	if len(imgJSON) == 0 {
		return job.Errorf("mandatory key 'json' is not set")
	}
	img, err := image.NewImgJSON(imgJSON)
	if err != nil {
		return job.Errorf("image_set: the json env is not an image's json: %s", err)
	}
	if err := s.graph.Register(imgJSON, job.Stdin, img); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// CmdGet is `image_get NAME`: a few public fields of one image, as one
// env. Other jobs use it to ask "does this image exist, and what is its
// parent?" (image_export walks the parents with it).
func (s *TagStore) CmdGet(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("usage: %s NAME", job.Name)
	}
	img, err := s.LookupImage(job.Args[0])
	if err != nil {
		return job.Error(err)
	}
	res := &engine.Env{}
	res.SetAuto("Created", img.Created)
	res.Set("Author", img.Author)
	res.Set("Os", img.OS)
	res.Set("Architecture", img.Architecture)
	res.Set("DockerVersion", img.DockerVersion)
	res.Set("Id", img.ID)
	res.Set("Parent", img.Parent)
	if _, err := res.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// CmdLookup is `image_inspect NAME` (docker inspect, GET
// /images/{name}/json): every field of the image's json, or with env
// raw=true the stored json bytes themselves (what `docker save` writes).
func (s *TagStore) CmdLookup(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("usage: %s NAME", job.Name)
	}
	name := job.Args[0]
	img, err := s.LookupImage(name)
	if err != nil || img == nil {
		return job.Errorf("No such image: %s", name)
	}
	if job.GetenvBool("raw") {
		b, err := img.RawJson()
		if err != nil {
			return job.Error(err)
		}
		if _, err := job.Stdout.Write(b); err != nil {
			return job.Error(err)
		}
		return engine.StatusOK
	}
	out := &engine.Env{}
	out.Set("Id", img.ID)
	out.Set("Parent", img.Parent)
	out.Set("Comment", img.Comment)
	out.SetAuto("Created", img.Created)
	out.Set("Container", img.Container)
	out.SetJson("ContainerConfig", img.ContainerConfig)
	out.Set("DockerVersion", img.DockerVersion)
	out.Set("Author", img.Author)
	out.SetJson("Config", img.Config)
	out.Set("Architecture", img.Architecture)
	out.Set("Os", img.OS)
	out.SetInt64("Size", img.Size)
	if _, err := out.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// CmdTarLayer is `image_tarlayer NAME`: the image's own layer (not its
// parents') as a tar on stdout.
func (s *TagStore) CmdTarLayer(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("usage: %s NAME", job.Name)
	}
	name := job.Args[0]
	img, err := s.LookupImage(name)
	if err != nil || img == nil {
		return job.Errorf("No such image: %s", name)
	}
	fs, err := img.TarLayer()
	if err != nil {
		return job.Error(err)
	}
	defer fs.Close()
	if _, err := io.Copy(job.Stdout, fs); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}
