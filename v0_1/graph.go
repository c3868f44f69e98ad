// Graph: the image store on disk, one directory per image.
//
// Upstream: graph.go at v0.1.0 (Graph, NewGraph, Get, Create, Register,
// Delete, Mktemp, All, Map, WalkAll, ByParent, Heads). See
// docs/upstream/v0.1.0.md §2 (layout and modes), §7, §9.6.
// Notes: 002 "创建runtime" → "graph" (NewGraph makes /var/lib/docker/graph,
// 0700; one directory per image with <id>/json and <id>/layer).
//
//	graph/                 0700
//	├── <id>/json          0600   the Image as JSON
//	├── <id>/layer/        0700   the unpacked tar
//	├── :tmp:/<id>/               staging: an image is built here, then renamed
//	└── :garbage:/<id>/           where Delete moves an image (rmi)
//
// The ':' in the two special names can never appear in an id, so listing
// the directory and loading what loads skips them, as 0.1.0 did.
//
// Divergences (docs/divergences.md):
//   - "v0.1 Heads": 0.1.0's ByParent keyed each image under its
//     grandparent and inverted its branches, so Heads() listed every
//     leaf's parent too and `images` showed extra untagged rows (§9.6).
//     ByParent and Heads here say what their names say;
//   - Register removes its staging directory whatever happens (0.1.0's
//     deferred RemoveAll came before Mktemp's error check) and a second
//     Delete of the same id replaces the old garbage instead of failing.
package docker

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Graph is the store rooted at Root (an absolute path).
type Graph struct {
	Root string
}

const (
	tmpDirName     = ":tmp:"
	garbageDirName = ":garbage:"
)

// NewGraph opens the store at root, creating the directory (0700).
func NewGraph(root string) (*Graph, error) {
	abspath, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := os.Mkdir(abspath, 0700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return &Graph{Root: abspath}, nil
}

func (graph *Graph) imageRoot(id string) string { return filepath.Join(graph.Root, id) }

// Exists tells whether an image with exactly this id is stored.
func (graph *Graph) Exists(id string) bool {
	if ValidateId(id) != nil {
		return false
	}
	_, err := graph.Get(id)
	return err == nil
}

// Get loads the image with exactly this id (0.1.0 had no prefix matching).
func (graph *Graph) Get(id string) (*Image, error) {
	if err := ValidateId(id); err != nil {
		return nil, err
	}
	img, err := LoadImage(graph.imageRoot(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("No such image: %s", id)
	}
	if err != nil {
		return nil, err
	}
	if img.Id != id {
		return nil, fmt.Errorf("Image stored at '%s' has wrong id '%s'", id, img.Id)
	}
	img.graph = graph
	return img, nil
}

// Create makes a new image from a layer archive. With a container it is
// that container's commit: its parent is the container's image.
func (graph *Graph) Create(layerData Archive, container *Container, comment string) (*Image, error) {
	img := &Image{
		Id:      GenerateId(),
		Comment: comment,
		Created: time.Now(),
	}
	if container != nil {
		img.Parent = container.Image
		img.Container = container.Id
		if container.Config != nil {
			img.ContainerConfig = *container.Config
		}
	}
	if err := graph.Register(layerData, img); err != nil {
		return nil, err
	}
	return img, nil
}

// Register stores img with its layer. The image is built in :tmp:/<id>
// and renamed into place, so a crash never leaves half an image in the
// graph.
func (graph *Graph) Register(layerData Archive, img *Image) error {
	if err := ValidateId(img.Id); err != nil {
		return err
	}
	if graph.Exists(img.Id) {
		return fmt.Errorf("Image %s already exists", img.Id)
	}
	tmp, err := graph.Mktemp(img.Id)
	if err != nil {
		return fmt.Errorf("Mktemp failed: %s", err)
	}
	defer os.RemoveAll(tmp)
	if err := StoreImage(img, layerData, tmp); err != nil {
		return err
	}
	// A directory left by an image that failed to load would block the
	// rename; it is not an image (Exists said so), so it goes.
	if err := os.RemoveAll(graph.imageRoot(img.Id)); err != nil {
		return err
	}
	if err := os.Rename(tmp, graph.imageRoot(img.Id)); err != nil {
		return err
	}
	img.graph = graph
	return nil
}

// Mktemp returns a fresh, empty staging directory for id.
func (graph *Graph) Mktemp(id string) (string, error) {
	tmp := filepath.Join(graph.Root, tmpDirName)
	if err := os.MkdirAll(tmp, 0700); err != nil {
		return "", err
	}
	dir := filepath.Join(tmp, id)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.Mkdir(dir, 0700); err != nil {
		return "", err
	}
	return dir, nil
}

// Garbage returns the graph of deleted images (graph/:garbage:).
func (graph *Graph) Garbage() (*Graph, error) {
	return NewGraph(filepath.Join(graph.Root, garbageDirName))
}

// Delete moves the image into the garbage graph. Tags naming it are left
// as they are (0.1.0's rmi did the same; `images` skips them).
func (graph *Graph) Delete(id string) error {
	if !graph.Exists(id) {
		return fmt.Errorf("No such image: %s", id)
	}
	garbage, err := graph.Garbage()
	if err != nil {
		return err
	}
	if err := os.RemoveAll(garbage.imageRoot(id)); err != nil {
		return err
	}
	return os.Rename(graph.imageRoot(id), garbage.imageRoot(id))
}

// All returns every stored image, sorted by id (0.1.0's order was the
// directory's).
func (graph *Graph) All() ([]*Image, error) {
	var images []*Image
	err := graph.WalkAll(func(img *Image) { images = append(images, img) })
	return images, err
}

// Map returns every stored image by id.
func (graph *Graph) Map() (map[string]*Image, error) {
	images := make(map[string]*Image)
	err := graph.WalkAll(func(img *Image) { images[img.Id] = img })
	return images, err
}

// WalkAll calls handler for every entry of the graph directory that loads
// as an image; :tmp:, :garbage: and broken directories are skipped.
func (graph *Graph) WalkAll(handler func(*Image)) error {
	entries, err := os.ReadDir(graph.Root)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, name := range names {
		if img, err := graph.Get(name); err == nil {
			handler(img)
		}
	}
	return nil
}

// ByParent maps each image id to the images whose parent it is.
func (graph *Graph) ByParent() (map[string][]*Image, error) {
	byParent := make(map[string][]*Image)
	err := graph.WalkAll(func(img *Image) {
		if img.Parent != "" {
			byParent[img.Parent] = append(byParent[img.Parent], img)
		}
	})
	return byParent, err
}

// Heads returns the images no other image is built on, by id.
func (graph *Graph) Heads() (map[string]*Image, error) {
	byParent, err := graph.ByParent()
	if err != nil {
		return nil, err
	}
	heads := make(map[string]*Image)
	err = graph.WalkAll(func(img *Image) {
		if len(byParent[img.Id]) == 0 {
			heads[img.Id] = img
		}
	})
	return heads, err
}
