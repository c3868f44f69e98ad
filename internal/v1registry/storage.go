// Package v1registry is a registry that speaks the v1 protocol Docker
// 0.1.0 and 1.2.0 spoke: the index part (repositories, tokens, users,
// search) and the registry part (image json, layer, ancestry, checksum,
// tags), on docker-registry's on-disk layout. `dockerlab registry serve`
// runs it; chapter 9 and the pull tests talk to it.
//
// Not upstream: Docker's v1 server was a separate Python program
// (docker/docker-registry, 0.9.1, Python 2 only, archived) that nothing
// installable runs today, and Debian's docker-registry is v2 only. This
// one is written from the protocol as 1.2's client uses it
// (v1_2/registry/session.go) and the layout docker-registry kept.
// Book: ch.9 §9.5.3 执行镜像下载 (the server side of every call).
//
// The layout under --root, as docker-registry's file storage had it:
//
//	images/<id>/json        the image json, byte for byte as pushed
//	images/<id>/layer       the layer tar (gzip)
//	images/<id>/ancestry    ["<id>", "<parent>", …, "<base>"] (written for
//	                        docker-registry's sake; read by walking parents)
//	images/<id>/_checksum   the tarsum the client sent
//	images/<id>/_inprogress present while a push of the image is unfinished
//	images/<id>/_payload    dockerlab's: sha256(json+"\n"+layer), to check
//	                        X-Docker-Checksum-Payload against
//	repositories/<ns>/<repo>/_index_images  [{"id": …, "checksum": …}]
//	repositories/<ns>/<repo>/tag_<tag>      the image id
//
// Every name and id that becomes a path is checked first (ids are 64
// hex digits, names 1.2's character sets), and every file is written to
// a temporary name and renamed, so a crash never leaves half a file.
package v1registry

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

var (
	validNamespace = regexp.MustCompile(`^[a-z0-9_-]{2,30}$`)
	validRepo      = regexp.MustCompile(`^[a-z0-9-_.]{1,64}$`)
	validTag       = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	// 64 hex digits since Docker 0.2; 0.1.0's ids were 16.
	validID = regexp.MustCompile(`^([a-f0-9]{16}|[a-f0-9]{64})$`)
)

// Repo is "<namespace>/<name>", checked.
type Repo struct{ Namespace, Name string }

func (r Repo) String() string { return r.Namespace + "/" + r.Name }

// ParseRepo checks a repository name from a URL: "name" means
// library/name, "ns/name" must be two parts of 1.2's characters.
func ParseRepo(s string) (Repo, error) {
	parts := strings.Split(s, "/")
	if len(parts) == 1 {
		parts = []string{"library", parts[0]}
	}
	if len(parts) != 2 || !validNamespace.MatchString(parts[0]) || !validRepo.MatchString(parts[1]) || parts[1] == "." || parts[1] == ".." {
		return Repo{}, fmt.Errorf("invalid repository name %q: want [namespace/]name, namespace of [a-z0-9_-] (2 to 30), name of [a-z0-9-_.]", s)
	}
	return Repo{parts[0], parts[1]}, nil
}

// CheckID refuses anything but a 64-hex image id.
func CheckID(id string) error {
	if !validID.MatchString(id) {
		return fmt.Errorf("invalid image id %q: want 64 hexadecimal digits (16 for Docker 0.1.0)", id)
	}
	return nil
}

// CheckTag refuses a tag that is not [A-Za-z0-9_.-], 1 to 128 long.
func CheckTag(tag string) error {
	if !validTag.MatchString(tag) {
		return fmt.Errorf("invalid tag %q: want [A-Za-z0-9_.-], not starting with . or -", tag)
	}
	return nil
}

// Storage is the layout under one root.
type Storage struct{ Root string }

func (s Storage) imageDir(id string) string     { return filepath.Join(s.Root, "images", id) }
func (s Storage) imagePath(id, f string) string { return filepath.Join(s.imageDir(id), f) }
func (s Storage) repoDir(r Repo) string {
	return filepath.Join(s.Root, "repositories", r.Namespace, r.Name)
}

// writeFile writes data atomically: a temp file in the same directory,
// then rename.
func writeFile(path string, data []byte) error {
	_, err := writeFrom(path, strings.NewReader(string(data)), -1)
	return err
}

// writeFrom copies at most max bytes of r (max < 0: no bound) into path
// atomically; more than max is an error and nothing is written.
func writeFrom(path string, r io.Reader, max int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0755); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	src := r
	if max >= 0 {
		src = io.LimitReader(r, max+1)
	}
	n, err := io.Copy(tmp, src)
	if err == nil && max >= 0 && n > max {
		err = errTooLarge
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), path)
}

var errTooLarge = fmt.Errorf("request body too large")

// exists reports whether a file is there.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ImageComplete: json and layer there, no push in progress.
func (s Storage) ImageComplete(id string) bool {
	return exists(s.imagePath(id, "json")) && exists(s.imagePath(id, "layer")) && !exists(s.imagePath(id, "_inprogress"))
}

// maxDepth bounds an ancestry (1.2's graph refused chains over 127).
const maxDepth = 256

// Ancestry walks the json files' parents from id to the base: the image
// first. Every image on the way must be complete. (docker-registry read
// the ancestry file a push wrote; walking also serves images Docker
// 0.1.0 pushed child first, before their parents.)
func (s Storage) Ancestry(id string) ([]string, error) {
	var chain []string
	for cur := id; cur != ""; {
		if len(chain) == maxDepth {
			return nil, fmt.Errorf("image %s: more than %d ancestors", id, maxDepth)
		}
		if CheckID(cur) != nil || !s.ImageComplete(cur) {
			return nil, fmt.Errorf("image %s: ancestor %q is missing", id, cur)
		}
		b, err := os.ReadFile(s.imagePath(cur, "json"))
		if err != nil {
			return nil, err
		}
		var img struct {
			Parent string `json:"parent"`
		}
		if err := json.Unmarshal(b, &img); err != nil {
			return nil, fmt.Errorf("images/%s/json: %w", cur, err)
		}
		chain = append(chain, cur)
		cur = img.Parent
	}
	return chain, nil
}

// Tags reads the tag_<tag> files of a repository.
func (s Storage) Tags(r Repo) (map[string]string, error) {
	entries, err := os.ReadDir(s.repoDir(r))
	if err != nil {
		return nil, err
	}
	tags := map[string]string{}
	for _, e := range entries {
		tag, ok := strings.CutPrefix(e.Name(), "tag_")
		if !ok || CheckTag(tag) != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.repoDir(r), e.Name()))
		if err != nil {
			return nil, err
		}
		tags[tag] = strings.TrimSpace(string(b))
	}
	return tags, nil
}

// SetTag writes tag_<tag>.
func (s Storage) SetTag(r Repo, tag, id string) error {
	return writeFile(filepath.Join(s.repoDir(r), "tag_"+tag), []byte(id))
}

// IndexImages reads _index_images.
func (s Storage) IndexImages(r Repo) ([]map[string]string, error) {
	b, err := os.ReadFile(filepath.Join(s.repoDir(r), "_index_images"))
	if err != nil {
		return nil, err
	}
	var list []map[string]string
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%s/_index_images: %w", r, err)
	}
	return list, nil
}

// MergeIndexImages adds images to _index_images (by id; a checksum given
// replaces the stored one).
func (s Storage) MergeIndexImages(r Repo, add []map[string]string) error {
	list, err := s.IndexImages(r)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	byID := map[string]map[string]string{}
	for _, e := range list {
		byID[e["id"]] = e
	}
	for _, e := range add {
		id := e["id"]
		if CheckID(id) != nil {
			return fmt.Errorf("image list: invalid id %q", id)
		}
		entry := map[string]string{"id": id}
		if old, ok := byID[id]; ok {
			entry = old
		}
		if e["checksum"] != "" {
			entry["checksum"] = e["checksum"]
		}
		byID[id] = entry
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]map[string]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, byID[id])
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(s.repoDir(r), "_index_images"), b)
}

// Repos lists every repository on disk.
func (s Storage) Repos() ([]Repo, error) {
	var repos []Repo
	nss, err := os.ReadDir(filepath.Join(s.Root, "repositories"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, ns := range nss {
		names, err := os.ReadDir(filepath.Join(s.Root, "repositories", ns.Name()))
		if err != nil {
			continue
		}
		for _, n := range names {
			if r, err := ParseRepo(ns.Name() + "/" + n.Name()); err == nil {
				repos = append(repos, r)
			}
		}
	}
	return repos, nil
}

// removeFile removes path; a missing file is fine.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}
