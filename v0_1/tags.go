// TagStore: the names of images, "repository:tag" → image id, kept in one
// JSON file.
//
// Upstream: tags.go at v0.1.0 (TagStore, Repository, DEFAULT_TAG,
// NewTagStore, Reload, Save, Set, Get, LookupImage, ById, ImageName). See
// docs/upstream/v0.1.0.md §2 "TagStore", §9.5.
// Notes: 002 "创建runtime" → "repositories" (the JSON file
// /var/lib/docker/repositories is read into the TagStore, or written from
// it, mode 0600).
//
// The file is json.Marshal of the store, so only Repositories is saved:
//
//	{"Repositories":{"base":{"latest":"c4f297cbb9b43e74"}}}
//
// The graph (graph.go, written in a later step) is reached through the
// small imageGraph interface below, so tags can be tested with a stub.
// 0.1.0's LookupImage and GetImage returned *Image from graph.Get; here
// LookupImageID and GetImageID return the id, and graph.go adds the
// *Image versions on top when it exists.
//
// Divergences from 0.1.0:
//   - Set honours force: 0.1.0 looked for the old tag in the branch where
//     the repository did not exist yet, so the check never fired and
//     `docker tag` always overwrote (§9.5);
//   - Save writes a temporary file and renames it, so a crash leaves the
//     old file or the new one, never half of one;
//   - ById sorts each image's names, so ImageName is stable;
//   - Reload replaces the in-memory map instead of decoding into it, so a
//     repository removed from the file disappears from memory too.
package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DEFAULT_TAG is the tag of "base" when no ":tag" is given.
const DEFAULT_TAG = "latest"

// imageGraph is what the TagStore needs from the Graph: whether an image
// with exactly this id is stored (0.1.0's Graph.Exists).
type imageGraph interface {
	Exists(id string) bool
}

// TagStore maps repository names to their tags. path is the JSON file
// (/var/lib/docker/repositories in 0.1.0).
type TagStore struct {
	path         string
	graph        imageGraph
	Repositories map[string]Repository
}

// Repository maps a tag to an image id.
type Repository map[string]string

// NewTagStore loads the file at path, or creates it with no repositories.
func NewTagStore(path string, graph imageGraph) (*TagStore, error) {
	abspath, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	store := &TagStore{
		path:         abspath,
		graph:        graph,
		Repositories: make(map[string]Repository),
	}
	err = store.Reload()
	if errors.Is(err, os.ErrNotExist) {
		err = store.Save()
	}
	if err != nil {
		return nil, err
	}
	return store, nil
}

// Save writes the store to its file, mode 0600.
func (store *TagStore) Save() error {
	data, err := json.Marshal(store)
	if err != nil {
		return err
	}
	return writeFileAtomic(store.path, data, 0600)
}

// Reload reads the file again. Set and Get call it first, so two
// processes sharing a root (0.1.0's daemon and its in-process CLI
// fallback) see each other's tags.
func (store *TagStore) Reload() error {
	data, err := os.ReadFile(store.path)
	if err != nil {
		return err
	}
	var loaded struct{ Repositories map[string]Repository }
	if err := json.Unmarshal(data, &loaded); err != nil {
		return fmt.Errorf("tag store %s is not valid JSON: %v", store.path, err)
	}
	if loaded.Repositories == nil {
		loaded.Repositories = make(map[string]Repository)
	}
	store.Repositories = loaded.Repositories
	return nil
}

// LookupImageID resolves what a user typed: an image id first, then
// "repository[:tag]" with DEFAULT_TAG when the tag is left out.
func (store *TagStore) LookupImageID(name string) (string, error) {
	if store.graph != nil && store.graph.Exists(name) {
		return name, nil
	}
	repoName, tag, found := strings.Cut(name, ":")
	if !found {
		tag = DEFAULT_TAG
	}
	id, err := store.GetImageID(repoName, tag)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", fmt.Errorf("No such image: %s", name)
	}
	return id, nil
}

// ById is the reverse table: image id → every "repository:tag" naming it,
// e.g. {"43b5f19b10584": ["base:latest", "base:v1"]}. The names are
// sorted; 0.1.0 left them in map order, so ImageName could differ from
// one call to the next.
func (store *TagStore) ById() map[string][]string {
	byID := make(map[string][]string)
	for repoName, repository := range store.Repositories {
		for tag, id := range repository {
			byID[id] = append(byID[id], repoName+":"+tag)
		}
	}
	for _, names := range byID {
		sort.Strings(names)
	}
	return byID
}

// ImageName is the image's first name in sorted order, or the id itself
// when it is untagged.
func (store *TagStore) ImageName(id string) string {
	if names := store.ById()[id]; len(names) > 0 {
		return names[0]
	}
	return id
}

// Set points repoName:tag at the image imageName resolves to. An empty
// tag is DEFAULT_TAG. Moving an existing tag to another image needs force.
func (store *TagStore) Set(repoName, tag, imageName string, force bool) error {
	id, err := store.LookupImageID(imageName)
	if err != nil {
		return err
	}
	if tag == "" {
		tag = DEFAULT_TAG
	}
	if err := validateRepoName(repoName); err != nil {
		return err
	}
	if err := validateTagName(tag); err != nil {
		return err
	}
	if err := store.Reload(); err != nil {
		return err
	}
	repo, exists := store.Repositories[repoName]
	if !exists {
		repo = make(Repository)
		store.Repositories[repoName] = repo
	}
	if old, tagged := repo[tag]; tagged && old != id && !force {
		return fmt.Errorf("Tag %s:%s is already set to %s", repoName, tag, old)
	}
	repo[tag] = id
	return store.Save()
}

// Get returns a repository's tags, or nil (and no error) when there is no
// such repository.
func (store *TagStore) Get(repoName string) (Repository, error) {
	if err := store.Reload(); err != nil {
		return nil, err
	}
	return store.Repositories[repoName], nil
}

// GetImageID returns the id repoName:tag points at, or "" (and no error)
// when it points nowhere.
func (store *TagStore) GetImageID(repoName, tag string) (string, error) {
	repo, err := store.Get(repoName)
	if err != nil || repo == nil {
		return "", err
	}
	return repo[tag], nil
}

func validateRepoName(name string) error {
	if name == "" {
		return errors.New("Repository name can't be empty")
	}
	if strings.Contains(name, ":") {
		return fmt.Errorf("Illegal repository name: %s", name)
	}
	return nil
}

func validateTagName(name string) error {
	if name == "" {
		return errors.New("Tag name can't be empty")
	}
	if strings.ContainsAny(name, "/:") {
		return fmt.Errorf("Illegal tag name: %s", name)
	}
	return nil
}

// writeFileAtomic writes data to a temporary file beside path, gives it
// mode, syncs it and renames it over path.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
