// Removing an image and listing images.
//
// Upstream: graph/graph.go at v1.2.0 (Delete, Map, walkAll, ByParent,
// Heads).
// Book: ch.10, and ch.8 for the parent/child tree `docker images` and
// `docker images --tree` show.
package graph

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/dockerlab/dockerlab/v1_2/image"
)

// Delete removes an image: out of the index first, then its directory is
// renamed into _tmp (so it vanishes at once), then the driver drops the
// layer and the directory is removed. Whether other images or containers
// still use it is the caller's business (the daemon's image_delete job).
func (g *Graph) Delete(name string) error {
	id, err := g.idIndex.Get(name)
	if err != nil {
		return err
	}
	tmp, err := g.Mktemp("")
	if err != nil {
		return err
	}
	g.idIndex.Delete(id)
	// Into the scratch directory rather than onto it: Go's os.Rename
	// refuses an existing directory as the target (rename(2) would not).
	if err := os.Rename(g.ImageRoot(id), filepath.Join(tmp, "image")); err != nil {
		return err
	}
	g.driver.Remove(id)
	return os.RemoveAll(tmp)
}

// Map returns every image, by id.
func (g *Graph) Map() (map[string]*image.Image, error) {
	images := map[string]*image.Image{}
	err := g.walkAll(func(img *image.Image) { images[img.ID] = img })
	if err != nil {
		return nil, err
	}
	return images, nil
}

// walkAll calls handler for every image of the graph, in id order
// (upstream's order was the directory's). Unreadable entries are skipped.
func (g *Graph) walkAll(handler func(*image.Image)) error {
	entries, err := os.ReadDir(g.Root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if img, err := g.Get(e.Name()); err == nil && img.ID == e.Name() {
			handler(img)
		}
	}
	return nil
}

// ByParent maps a parent id to its children; childless images and base
// images' missing parents have no entry.
func (g *Graph) ByParent() (map[string][]*image.Image, error) {
	byParent := map[string][]*image.Image{}
	err := g.walkAll(func(img *image.Image) {
		if img.Parent == "" {
			return
		}
		parent, err := g.Get(img.Parent)
		if err != nil {
			return
		}
		byParent[parent.ID] = append(byParent[parent.ID], img)
	})
	for _, children := range byParent {
		sort.Slice(children, func(i, j int) bool { return children[i].ID < children[j].ID })
	}
	return byParent, err
}

// Heads returns the images that are no other image's parent.
func (g *Graph) Heads() (map[string]*image.Image, error) {
	byParent, err := g.ByParent()
	if err != nil {
		return nil, err
	}
	heads := map[string]*image.Image{}
	err = g.walkAll(func(img *image.Image) {
		if _, isParent := byParent[img.ID]; !isParent {
			heads[img.ID] = img
		}
	})
	return heads, err
}
