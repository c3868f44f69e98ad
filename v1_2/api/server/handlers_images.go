// Handlers for the image routes: list, inspect, history, tag, delete,
// import (and pull), push, save and load.
//
// Upstream: api/server/server.go at v1.2.0 (getImagesJSON, getImagesByName,
// getImagesHistory, postImagesTag, deleteImages, postImagesCreate,
// postImagesPush, getImagesGet, postImagesLoad). See docs/upstream/v1.2.0.md
// §6.2.
// Book: ch.5 §5.4 and ch.8 (images).
package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// getImagesJSON lists images. Before 1.7 each repository:tag was a row
// of its own ({"Repository", "Tag", "Id", …}).
func getImagesJSON(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("images")
	filters, err := compatListFilters(r.Form.Get("filters"))
	if err != nil {
		return err
	}
	job.Setenv("filters", filters)
	job.Setenv("filter", r.Form.Get("filter"))
	job.Setenv("all", r.Form.Get("all"))
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	if version.GreaterThanOrEqualTo("1.7") {
		return writeRawJSON(w, http.StatusOK, out)
	}
	outs := engine.NewTable("Created", 0)
	if _, err := outs.ReadListFrom(out); err != nil {
		return err
	}
	legacy := engine.NewTable("Created", 0)
	for _, img := range outs.Data {
		for _, repoTag := range img.GetList("RepoTags") {
			repo, tag := parseRepositoryTag(repoTag)
			row := &engine.Env{}
			row.Set("Repository", repo)
			row.SetJson("Tag", tag)
			row.Set("Id", img.Get("Id"))
			row.SetInt64("Created", img.GetInt64("Created"))
			row.SetInt64("Size", img.GetInt64("Size"))
			row.SetInt64("VirtualSize", img.GetInt64("VirtualSize"))
			legacy.Add(row)
		}
	}
	var b bytes.Buffer
	if _, err := legacy.WriteListTo(&b); err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, b.Bytes())
}

// parseRepositoryTag splits "repo:tag", leaving a registry's port alone
// ("host:5000/repo" has no tag).
func parseRepositoryTag(repos string) (string, string) {
	n := strings.LastIndex(repos, ":")
	if n < 0 {
		return repos, ""
	}
	if tag := repos[n+1:]; !strings.Contains(tag, "/") {
		return repos[:n], tag
	}
	return repos, ""
}

func getImagesByName(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	job := eng.Job("image_inspect", vars["name"])
	if version.LessThan("1.12") {
		job.SetenvBool("raw", true)
	}
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, compatImageInspect(eng, out))
}

func getImagesHistory(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	out, err := runBuffered(eng.Job("history", vars["name"]))
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, out)
}

// postImagesTag: 201 on success.
func postImagesTag(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("tag", vars["name"], familiarRepo(r.Form.Get("repo")), r.Form.Get("tag"))
	job.Setenv("force", r.Form.Get("force"))
	if err := job.Run(); err != nil {
		return err
	}
	w.WriteHeader(http.StatusCreated)
	return nil
}

// deleteImages answers the list of {"Untagged": …} and {"Deleted": …}.
func deleteImages(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	job := eng.Job("image_delete", vars["name"])
	job.Setenv("force", r.Form.Get("force"))
	job.Setenv("noprune", r.Form.Get("noprune"))
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, out)
}

// postImagesCreate is pull (fromImage) or import (fromSrc: a URL, or "-"
// for the request body). Progress streams as JSON messages.
func postImagesCreate(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	image, repo, tag := r.Form.Get("fromImage"), r.Form.Get("repo"), r.Form.Get("tag")
	var job *engine.Job
	if image != "" {
		//lab:begin ch01.pull-request
		//lab:stub return lab.TODO("ch01.pull-request")
		if tag == "" {
			image, tag = parseRepositoryTag(image)
		}
		job = eng.Job("pull", familiarRepo(image), tag)
		job.SetenvBool("parallel", version.GreaterThan("1.3"))
		job.SetenvJson("metaHeaders", metaHeaders(r))
		job.SetenvJson("authConfig", registryAuth(r))
		//lab:end ch01.pull-request
	} else {
		if tag == "" {
			repo, tag = parseRepositoryTag(repo)
		}
		job = eng.Job("import", r.Form.Get("fromSrc"), familiarRepo(repo), tag)
		job.Stdin.Add(r.Body)
	}
	job.SetenvBool("json", version.GreaterThan("1.0"))
	return streamJob(job, w)
}

func postImagesPush(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	authConfig := registryAuth(r)
	if r.Header.Get("X-Registry-Auth") == "" {
		// No header: 1.2 read the AuthConfig from the body (docker-py
		// sends {}); a body that is not one is the client's error.
		body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxJSONBody))
		if err != nil {
			return fmt.Errorf("%w: %v", errBodyTooLarge, err)
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, authConfig); err != nil {
				return fmt.Errorf("Bad parameter: the body of a push is an AuthConfig in JSON: %v", err)
			}
		}
	}
	job := eng.Job("push", familiarRepo(vars["name"]))
	job.SetenvJson("metaHeaders", metaHeaders(r))
	job.SetenvJson("authConfig", authConfig)
	job.Setenv("tag", r.Form.Get("tag"))
	job.SetenvBool("json", true)
	return streamJob(job, w)
}

// getImagesGet streams `docker save`'s tar of one image (or repository).
func getImagesGet(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if version.GreaterThan("1.0") {
		w.Header().Set("Content-Type", "application/x-tar")
	}
	return streamRaw(eng.Job("image_export", vars["name"]), w)
}

// getImagesGetNames is GET /images/get?names=a&names=b, the route later
// clients use for save. Not upstream: each name goes to image_export as
// an argument.
func getImagesGetNames(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	names := r.Form["names"]
	if len(names) == 0 {
		return fmt.Errorf("Bad parameter: names is required")
	}
	w.Header().Set("Content-Type", "application/x-tar")
	return streamRaw(eng.Job("image_export", names...), w)
}

// postImagesLoad reads a `docker save` tar from the body.
func postImagesLoad(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	job := eng.Job("load")
	job.Stdin.Add(r.Body)
	out, err := runBuffered(job)
	if err != nil {
		return err
	}
	if len(out) > 0 {
		_, err = w.Write(out)
	}
	return err
}

// registryAuth decodes X-Registry-Auth: base64url JSON of an AuthConfig
// (pull, push, search; a build from a client older than API 1.9).
func registryAuth(r *http.Request) *registry.AuthConfig {
	authConfig := &registry.AuthConfig{}
	decodeRegistryHeader(r.Header.Get("X-Registry-Auth"), authConfig)
	return authConfig
}

// registryConfig decodes X-Registry-Config, the client's whole .dockercfg
// sent with a build so that FROM can pull with its accounts: base64url
// JSON of a registry.ConfigFile, {"configs": {server: AuthConfig}}.
func registryConfig(r *http.Request) *registry.ConfigFile {
	configFile := &registry.ConfigFile{}
	decodeRegistryHeader(r.Header.Get("X-Registry-Config"), configFile)
	return configFile
}

// decodeRegistryHeader decodes a base64url JSON header into v. As in 1.2,
// a header that does not decode is no credentials (an anonymous pull),
// not an error. Clients pad or do not pad: both work.
func decodeRegistryHeader(h string, v any) {
	if h == "" {
		return
	}
	b, err := base64.URLEncoding.DecodeString(h)
	if err != nil {
		b, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(h, "="))
	}
	if err == nil {
		json.Unmarshal(b, v)
	}
}

// metaHeaders collects the X-Meta-* headers a client sends along to the
// registry.
func metaHeaders(r *http.Request) map[string][]string {
	out := map[string][]string{}
	for k, v := range r.Header {
		if strings.HasPrefix(k, "X-Meta-") {
			out[k] = v
		}
	}
	return out
}
