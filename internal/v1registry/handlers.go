// The v1 endpoints: repositories (index and tags), images (json, layer,
// ancestry, checksum), search, and the older endpoints Docker 0.1.0 used.
//
// Not upstream: docker/docker-registry's index.py, images.py, tags.py
// and search.py served these; the answers follow what 1.2's client
// expects (v1_2/registry/session.go).
// Book: ch.9 §9.5.3 执行镜像下载.
package v1registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// repositories: /v1/repositories/<repo>/{,images,tags,tags/<tag>}.
func (s *Server) repositories(w http.ResponseWriter, r *http.Request, rest string) {
	var repoName, what, tag string
	switch {
	case strings.HasSuffix(rest, "/images"):
		repoName, what = strings.TrimSuffix(rest, "/images"), "images"
	case strings.HasSuffix(rest, "/tags"):
		repoName, what = strings.TrimSuffix(rest, "/tags"), "tags"
	case strings.Contains(rest, "/tags/"):
		i := strings.LastIndex(rest, "/tags/")
		repoName, what, tag = rest[:i], "tag", rest[i+len("/tags/"):]
	default:
		repoName, what = strings.TrimSuffix(rest, "/"), "repo"
	}
	repo, err := ParseRepo(repoName)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	switch {
	case what == "repo" && r.Method == "PUT":
		s.putRepository(w, r, repo, false)
	case what == "images" && r.Method == "PUT":
		s.putRepository(w, r, repo, true)
	case what == "images" && r.Method == "GET":
		s.getRepositoryImages(w, r, repo)
	case what == "tags" && r.Method == "GET":
		s.getTags(w, r, repo)
	case what == "tag":
		s.tag(w, r, repo, tag)
	default:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// getTags answers {tag: id} of a repository.
func (s *Server) getTags(w http.ResponseWriter, r *http.Request, repo Repo) {
	if !s.registryAccess(w, r, false) {
		return
	}
	tags, err := s.store.Tags(repo)
	if err != nil || len(tags) == 0 {
		writeError(w, http.StatusNotFound, "Repository not found")
		return
	}
	writeJSON(w, http.StatusOK, tags)
}

// putRepository is the index's PUT repositories/<repo>/ (a push starts:
// the image list) and PUT …/images (a push ends: checksums, 204).
func (s *Server) putRepository(w http.ResponseWriter, r *http.Request, repo Repo, final bool) {
	if !s.indexAccess(w, r) {
		return
	}
	body, ok := s.readJSONBody(w, r, "the image list")
	if !ok {
		return
	}
	var list []map[string]interface{}
	if err := json.Unmarshal(body, &list); err != nil {
		writeError(w, http.StatusBadRequest, "the image list is not a JSON list: "+err.Error())
		return
	}
	var add []map[string]string
	for _, e := range list {
		id, _ := e["id"].(string)
		sum, _ := e["checksum"].(string)
		if CheckID(id) != nil {
			writeError(w, http.StatusBadRequest, "the image list holds an invalid id")
			return
		}
		add = append(add, map[string]string{"id": id, "checksum": sum})
	}
	s.mu.Lock()
	err := s.store.MergeIndexImages(repo, add)
	s.mu.Unlock()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	s.issueToken(w, r, repo, "write")
	if final {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, "")
}

func (s *Server) getRepositoryImages(w http.ResponseWriter, r *http.Request, repo Repo) {
	if !s.indexAccess(w, r) {
		return
	}
	list, err := s.store.IndexImages(repo)
	if err != nil {
		writeError(w, http.StatusNotFound, "Repository not found")
		return
	}
	s.issueToken(w, r, repo, "read")
	writeJSON(w, http.StatusOK, list)
}

// tag is GET, PUT and DELETE repositories/<repo>/tags/<tag>.
func (s *Server) tag(w http.ResponseWriter, r *http.Request, repo Repo, tag string) {
	if err := CheckTag(tag); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !s.registryAccess(w, r, r.Method != "GET") {
		return
	}
	switch r.Method {
	case "GET":
		tags, _ := s.store.Tags(repo)
		id, ok := tags[tag]
		if !ok {
			writeError(w, http.StatusNotFound, "Tag not found")
			return
		}
		writeJSON(w, http.StatusOK, id)
	case "PUT":
		s.putTag(w, r, repo, tag)
	case "DELETE":
		if err := os.Remove(s.store.repoDir(repo) + "/tag_" + tag); err != nil {
			writeError(w, http.StatusNotFound, "Tag not found")
			return
		}
		writeJSON(w, http.StatusOK, true)
	default:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}

// putTag reads the JSON string "<id>" of a complete image and points the
// tag at it.
func (s *Server) putTag(w http.ResponseWriter, r *http.Request, repo Repo, tag string) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1024))
	var id string
	if err := json.Unmarshal(bytes.TrimSpace(body), &id); err != nil || CheckID(id) != nil {
		writeError(w, http.StatusBadRequest, "the body of a tag is the JSON string of an image id")
		return
	}
	if !s.store.ImageComplete(id) {
		writeError(w, http.StatusNotFound, "Image not found")
		return
	}
	s.mu.Lock()
	err := s.store.SetTag(repo, tag, id)
	s.mu.Unlock()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, true)
}

// images: /v1/images/<id>/{json,layer,ancestry,checksum,history}.
func (s *Server) images(w http.ResponseWriter, r *http.Request, rest string) {
	id, what, _ := strings.Cut(rest, "/")
	if err := CheckID(id); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !s.registryAccess(w, r, r.Method == "PUT") {
		return
	}
	switch {
	case what == "json" && r.Method == "GET":
		s.getImageJSON(w, id)
	case what == "json" && r.Method == "PUT":
		s.putImageJSON(w, r, id)
	case what == "layer" && r.Method == "GET":
		s.getImageLayer(w, r, id)
	case what == "layer" && r.Method == "PUT":
		s.putImageLayer(w, r, id)
	case what == "ancestry" && r.Method == "GET":
		if !s.store.ImageComplete(id) {
			writeError(w, http.StatusNotFound, "Image not found")
			return
		}
		ancestry, err := s.store.Ancestry(id)
		if err != nil {
			writeError(w, http.StatusNotFound, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, ancestry)
	case what == "checksum" && r.Method == "PUT":
		s.putChecksum(w, r, id)
	case what == "history" && r.Method == "GET":
		s.history01(w, id)
	default:
		writeError(w, http.StatusNotFound, "no such endpoint")
	}
}

func (s *Server) getImageJSON(w http.ResponseWriter, id string) {
	if !s.store.ImageComplete(id) {
		writeError(w, http.StatusNotFound, "Image not found")
		return
	}
	b, err := os.ReadFile(s.store.imagePath(id, "json"))
	if err != nil {
		writeError(w, http.StatusNotFound, "Image not found")
		return
	}
	if fi, err := os.Stat(s.store.imagePath(id, "layer")); err == nil {
		w.Header().Set("X-Docker-Size", strconv.FormatInt(fi.Size(), 10))
	}
	if p, err := os.ReadFile(s.store.imagePath(id, "_payload")); err == nil {
		w.Header().Set("X-Docker-Checksum-Payload", string(p))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// putImageJSON starts an image's push: the json (whose id must be the
// URL's and whose parent must be here already), its ancestry, and the
// _inprogress mark.
func (s *Server) putImageJSON(w http.ResponseWriter, r *http.Request, id string) {
	body, ok := s.readJSONBody(w, r, "the image json")
	if !ok {
		return
	}
	var img struct {
		ID     string `json:"id"`
		Parent string `json:"parent"`
	}
	if err := json.Unmarshal(body, &img); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid JSON: "+err.Error())
		return
	}
	if img.ID != id {
		writeError(w, http.StatusBadRequest, "JSON data contains invalid id")
		return
	}
	if s.store.ImageComplete(id) {
		if strings.HasPrefix(r.Header.Get("Authorization"), "Token ") || s.cfg.Token {
			writeError(w, http.StatusConflict, "Image already exists")
		} else {
			// Docker 0.1.0 read 204 as "already up to date".
			w.WriteHeader(http.StatusNoContent)
		}
		return
	}
	ancestry := []string{id}
	if img.Parent != "" {
		// Docker 0.1.0 pushed an image before its parents (basic auth, no
		// token): its parent may come later. 1.x pushed base first.
		v01 := !s.cfg.Token && !strings.HasPrefix(r.Header.Get("Authorization"), "Token ")
		if CheckID(img.Parent) != nil || !v01 && !s.store.ImageComplete(img.Parent) {
			writeError(w, http.StatusBadRequest, "Image depends on a non existing parent")
			return
		}
		if parents, err := s.store.Ancestry(img.Parent); err == nil {
			ancestry = append(ancestry, parents...)
		} else {
			ancestry = append(ancestry, img.Parent)
		}
	}
	a, _ := json.Marshal(ancestry)
	for _, f := range []struct {
		name string
		data []byte
	}{{"_inprogress", []byte("true")}, {"json", body}, {"ancestry", a}} {
		if err := writeFile(s.store.imagePath(id, f.name), f.data); err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
	}
	writeJSON(w, http.StatusOK, true)
}

// getImageLayer serves the layer, with Range (1.2's resumable reader
// asks for it).
func (s *Server) getImageLayer(w http.ResponseWriter, r *http.Request, id string) {
	if !s.store.ImageComplete(id) {
		writeError(w, http.StatusNotFound, "Image not found")
		return
	}
	f, err := os.Open(s.store.imagePath(id, "layer"))
	if err != nil {
		writeError(w, http.StatusNotFound, "Image not found")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, "layer", fi.ModTime(), f)
}

// putImageLayer stores a layer (bounded by MaxLayer) and the payload
// checksum sha256(json + "\n" + layer). Docker 0.1.0 first PUT with no
// body and expected a 307 to the place to upload to: it gets this URL
// again, with ?upload=0.1, and such an upload completes the image (0.1
// sent no checksum).
func (s *Server) putImageLayer(w http.ResponseWriter, r *http.Request, id string) {
	jsonData, err := os.ReadFile(s.store.imagePath(id, "json"))
	if err != nil {
		writeError(w, http.StatusNotFound, "Image's JSON not found")
		return
	}
	if s.store.ImageComplete(id) {
		writeError(w, http.StatusConflict, "Image already exists")
		return
	}
	v01 := r.URL.Query().Get("upload") == "0.1"
	if !v01 && r.ContentLength == 0 && len(r.TransferEncoding) == 0 {
		w.Header().Set("Location", r.URL.Path+"?upload=0.1")
		w.WriteHeader(http.StatusTemporaryRedirect)
		return
	}
	h := sha256.New()
	h.Write(jsonData)
	h.Write([]byte{'\n'})
	_, err = writeFrom(s.store.imagePath(id, "layer"), io.TeeReader(r.Body, h), s.cfg.MaxLayer)
	if errors.Is(err, errTooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, "the layer is larger than the registry accepts")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "receiving the layer: "+err.Error())
		return
	}
	payload := "sha256:" + hex.EncodeToString(h.Sum(nil))
	if err := writeFile(s.store.imagePath(id, "_payload"), []byte(payload)); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if v01 {
		os.Remove(s.store.imagePath(id, "_inprogress"))
	}
	writeJSON(w, http.StatusOK, true)
}

// putChecksum ends an image's push: the payload checksum the client
// computed must be the one the registry computed; then the image is
// complete.
func (s *Server) putChecksum(w http.ResponseWriter, r *http.Request, id string) {
	if s.store.ImageComplete(id) {
		writeError(w, http.StatusConflict, "Image already exists")
		return
	}
	sum := r.Header.Get("X-Docker-Checksum")
	payload := r.Header.Get("X-Docker-Checksum-Payload")
	if sum == "" || payload == "" {
		writeError(w, http.StatusBadRequest, "Missing Image's checksum")
		return
	}
	stored, err := os.ReadFile(s.store.imagePath(id, "_payload"))
	if err != nil {
		writeError(w, http.StatusNotFound, "Image's layer not found")
		return
	}
	if string(stored) != payload {
		writeError(w, http.StatusBadRequest, "Checksum mismatch")
		return
	}
	if err := writeFile(s.store.imagePath(id, "_checksum"), []byte(sum)); err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	os.Remove(s.store.imagePath(id, "_inprogress"))
	writeJSON(w, http.StatusOK, true)
}

// search matches q against repository names (docker-registry needed a
// database for search; a name match is what a reader expects).
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	repos, err := s.store.Repos()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	type result struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		StarCount   int    `json:"star_count"`
		IsOfficial  bool   `json:"is_official"`
		IsTrusted   bool   `json:"is_trusted"`
	}
	results := []result{}
	for _, repo := range repos {
		if strings.Contains(repo.String(), q) {
			results = append(results, result{Name: repo.String(), Description: "on the dockerlab registry", IsOfficial: repo.Namespace == "library"})
		}
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"query": q, "num_results": len(results), "results": results})
}

// users01 is Docker 0.1.0's repository endpoint: GET /v1/users/<ns>/<repo>
// answers {tag: id}; PUT /v1/users/<ns>/<repo>/<tag> sets a tag. PUT
// /v1/users/<user>/ (docker-registry's account update) is a 204.
func (s *Server) users01(w http.ResponseWriter, r *http.Request, rest string) {
	parts := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	switch {
	case len(parts) == 1 && r.Method == "PUT":
		w.WriteHeader(http.StatusNoContent)
	case (len(parts) == 1 || len(parts) == 2) && r.Method == "GET":
		repo, err := ParseRepo(strings.Join(parts, "/"))
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		s.getTags(w, r, repo)
	case len(parts) == 3 && r.Method == "PUT":
		repo, err := ParseRepo(parts[0] + "/" + parts[1])
		if err == nil {
			err = CheckTag(parts[2])
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if !s.registryAccess(w, r, true) {
			return
		}
		s.mu.Lock()
		s.store.MergeIndexImages(repo, nil)
		s.mu.Unlock()
		s.putTag(w, r, repo, parts[2])
	default:
		writeError(w, http.StatusNotFound, "no such endpoint")
	}
}

// history01 is Docker 0.1.0's GET /v1/images/<id>/history: the json of
// the image and each parent, concatenated objects, the image first.
func (s *Server) history01(w http.ResponseWriter, id string) {
	if !s.store.ImageComplete(id) {
		writeError(w, http.StatusNotFound, "Image not found")
		return
	}
	ancestry, err := s.store.Ancestry(id)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	var buf bytes.Buffer
	for _, a := range ancestry {
		b, err := os.ReadFile(s.store.imagePath(a, "json"))
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		buf.Write(bytes.TrimSpace(b))
		buf.WriteByte('\n')
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}

// readJSONBody reads a request body of at most MaxJSON bytes; it answers
// the error itself when the body is too large or breaks off.
func (s *Server) readJSONBody(w http.ResponseWriter, r *http.Request, what string) ([]byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxJSON+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading "+what+": "+err.Error())
		return nil, false
	}
	if int64(len(body)) > s.cfg.MaxJSON {
		writeError(w, http.StatusRequestEntityTooLarge, what+" is larger than the registry accepts")
		return nil, false
	}
	return body, true
}
