// The tag store: names for images.
//
// Upstream: graph/tags.go at v1.2.0 (TagStore, NewTagStore, Set, Get,
// LookupImage, ByID, ImageName, Delete).
// Book: ch.4 §4.6 (NewDaemon's TagStore) and ch.8 ("repository:tag").
//
// One JSON file, <root>/repositories-<driver>, holds
//
//	{"Repositories": {"busybox": {"latest": "<64-hex id>"}}}
//
// Every call re-reads the file and every change rewrites it, as upstream:
// the file is the truth, the map in memory a cache.
package graph

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/pkg/ioutils"
)

// DEFAULTTAG is the tag a name without ":tag" means.
const DEFAULTTAG = "latest"

// Repository maps tag -> image id.
type Repository map[string]string

// TagStore names the images of one graph.
type TagStore struct {
	path         string
	graph        *Graph
	Repositories map[string]Repository
	sync.Mutex
	// pullingPool and pushingPool hold one channel per pull or push in
	// flight (keys "name:tag", "img:<id>", "layer:<id>", a push's name);
	// closing it wakes everyone waiting for that work (book ch.4 §4.6.7:
	// two clients never download the same image at once).
	pullingPool map[string]chan struct{}
	pushingPool map[string]chan struct{}
}

// tagFile is the on-disk shape.
type tagFile struct {
	Repositories map[string]Repository
}

// NewTagStore opens the tag file at path, creating it (empty) if missing.
func NewTagStore(path string, graph *Graph) (*TagStore, error) {
	abspath, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	store := &TagStore{
		path:         abspath,
		graph:        graph,
		Repositories: map[string]Repository{},
		pullingPool:  map[string]chan struct{}{},
		pushingPool:  map[string]chan struct{}{},
	}
	if err := store.reload(); os.IsNotExist(err) {
		if err := store.save(); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	return store, nil
}

// save writes the file atomically: a temp file in the same directory,
// then rename. Upstream wrote in place, so a crash mid-write could leave
// a truncated file that stopped the daemon (docs/divergences.md).
func (store *TagStore) save() error {
	data, err := json.Marshal(tagFile{Repositories: store.Repositories})
	if err != nil {
		return err
	}
	return ioutils.AtomicWriteFile(store.path, data, 0600)
}

func (store *TagStore) reload() error {
	data, err := os.ReadFile(store.path)
	if err != nil {
		return err
	}
	var f tagFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("reading %s: %w", store.path, err)
	}
	if f.Repositories == nil {
		f.Repositories = map[string]Repository{}
	}
	store.Repositories = f.Repositories
	return nil
}

// LookupImage finds an image by "name:tag", "name" (tag latest), a tag of
// name given as an id prefix, or an image id or id prefix.
func (store *TagStore) LookupImage(name string) (*image.Image, error) {
	repo, tag := ParseRepositoryTag(name)
	if tag == "" {
		tag = DEFAULTTAG
	}
	img, err := store.GetImage(repo, tag)
	if err != nil {
		return nil, err
	}
	if img != nil {
		return img, nil
	}
	return store.graph.Get(name)
}

// ByID maps each image id to its sorted "repo:tag" names, e.g.
// {"43b5f19b10584...": {"base:latest", "base:v1"}}.
func (store *TagStore) ByID() map[string][]string {
	store.Lock()
	defer store.Unlock()
	byID := map[string][]string{}
	for repoName, repo := range store.Repositories {
		for tag, id := range repo {
			byID[id] = append(byID[id], repoName+":"+tag)
		}
	}
	for _, names := range byID {
		sort.Strings(names)
	}
	return byID
}

// ImageName is the first name of an image, or its short id if untagged.
func (store *TagStore) ImageName(id string) string {
	if names := store.ByID()[id]; len(names) > 0 {
		return names[0]
	}
	return image.TruncateID(id)
}

// DeleteAll removes every name of image id.
func (store *TagStore) DeleteAll(id string) error {
	for _, name := range store.ByID()[id] {
		repo, tag := name, ""
		if i := strings.LastIndex(name, ":"); i >= 0 {
			repo, tag = name[:i], name[i+1:]
		}
		if _, err := store.Delete(repo, tag); err != nil {
			return err
		}
	}
	return nil
}

// Delete removes repoName:tag, or the whole repository when tag is "".
// A repository left without tags goes too.
func (store *TagStore) Delete(repoName, tag string) (bool, error) {
	store.Lock()
	defer store.Unlock()
	if err := store.reload(); err != nil {
		return false, err
	}
	repoName = store.storedName(repoName)
	repo, exists := store.Repositories[repoName]
	if !exists {
		return false, fmt.Errorf("No such repository: %s", repoName)
	}
	if tag == "" {
		delete(store.Repositories, repoName)
	} else {
		if _, exists := repo[tag]; !exists {
			return false, fmt.Errorf("No such tag: %s:%s", repoName, tag)
		}
		delete(repo, tag)
		if len(repo) == 0 {
			delete(store.Repositories, repoName)
		}
	}
	return true, store.save()
}

// Set points repoName:tag (tag "" means latest) at the image imageName
// names. Upstream's check for an existing tag sat where it could never
// fire, so at v1.2.0 a tag was always overwritten and force changed
// nothing; dockerlab keeps that behaviour.
//
//lab:exercise ch10.tagstore-set-get
func (store *TagStore) Set(repoName, tag, imageName string, force bool) error {
	img, err := store.LookupImage(imageName)
	if err != nil {
		return err
	}
	if tag == "" {
		tag = DEFAULTTAG
	}
	repoName = localRepoName(repoName)
	if err := validateRepoName(repoName); err != nil {
		return err
	}
	if err := validateTagName(tag); err != nil {
		return err
	}
	store.Lock()
	defer store.Unlock()
	if err := store.reload(); err != nil {
		return err
	}
	repo, exists := store.Repositories[repoName]
	if !exists {
		repo = Repository{}
		store.Repositories[repoName] = repo
	}
	repo[tag] = img.ID
	return store.save()
}

// Get returns a copy of repository repoName, or nil if there is none.
//
//lab:exercise ch10.tagstore-set-get
func (store *TagStore) Get(repoName string) (Repository, error) {
	store.Lock()
	defer store.Unlock()
	if err := store.reload(); err != nil {
		return nil, err
	}
	repoName = store.storedName(repoName)
	repo, exists := store.Repositories[repoName]
	if !exists {
		return nil, nil
	}
	out := Repository{}
	for tag, id := range repo {
		out[tag] = id
	}
	return out, nil
}

// GetImage finds repoName's image by tag, or else by an id prefix among
// the repository's images; nil, nil when nothing matches.
func (store *TagStore) GetImage(repoName, tagOrID string) (*image.Image, error) {
	repo, err := store.Get(repoName)
	if err != nil || repo == nil {
		return nil, err
	}
	if id, exists := repo[tagOrID]; exists {
		return store.graph.Get(id)
	}
	ids := make([]string, 0, len(repo))
	for _, id := range repo {
		ids = append(ids, id)
	}
	sort.Strings(ids) // upstream took the first match in map order
	for _, id := range ids {
		if strings.HasPrefix(id, tagOrID) {
			return store.graph.Get(id)
		}
	}
	return nil, nil
}

// GetRepoRefs maps each short id to its "repo:tag" names.
func (store *TagStore) GetRepoRefs() map[string][]string {
	store.Lock()
	defer store.Unlock()
	refs := map[string][]string{}
	for name, repo := range store.Repositories {
		for tag, id := range repo {
			short := image.TruncateID(id)
			refs[short] = append(refs[short], name+":"+tag)
		}
	}
	for _, names := range refs {
		sort.Strings(names)
	}
	return refs
}

// storedName is the key repoName is stored under: itself if the file has
// it (a name written before Set dropped Hub prefixes), else its local
// form. Called with the lock held.
func (store *TagStore) storedName(repoName string) string {
	if _, exists := store.Repositories[repoName]; exists {
		return repoName
	}
	return localRepoName(repoName)
}

// validateRepoName: at v1.2.0 only emptiness was checked here.
func validateRepoName(name string) error {
	if name == "" {
		return fmt.Errorf("Repository name can't be empty")
	}
	return nil
}

// validateTagName refuses an empty tag and one with '/' or ':'.
func validateTagName(name string) error {
	if name == "" {
		return fmt.Errorf("Tag name can't be empty")
	}
	if strings.Contains(name, "/") || strings.Contains(name, ":") {
		return fmt.Errorf("Illegal tag name: %s", name)
	}
	return nil
}

// poolAdd registers a pull or push of key. If that key is already being
// pulled or pushed, it answers the channel that closes when that work
// ends, and an error saying it is in progress.
//
//lab:exercise ch09.pull-pool
func (store *TagStore) poolAdd(kind, key string) (chan struct{}, error) {
	store.Lock()
	defer store.Unlock()
	if c, exists := store.pullingPool[key]; exists {
		return c, fmt.Errorf("pull %s is already in progress", key)
	}
	if c, exists := store.pushingPool[key]; exists {
		return c, fmt.Errorf("push %s is already in progress", key)
	}
	c := make(chan struct{})
	switch kind {
	case "pull":
		store.pullingPool[key] = c
	case "push":
		store.pushingPool[key] = c
	default:
		return nil, fmt.Errorf("Unknown pool type")
	}
	return c, nil
}

// poolRemove ends the work of key and wakes its waiters.
//
//lab:exercise ch09.pull-pool
func (store *TagStore) poolRemove(kind, key string) error {
	store.Lock()
	defer store.Unlock()
	pool := store.pullingPool
	if kind == "push" {
		pool = store.pushingPool
	} else if kind != "pull" {
		return fmt.Errorf("Unknown pool type")
	}
	if c, exists := pool[key]; exists {
		close(c)
		delete(pool, key)
	}
	return nil
}
