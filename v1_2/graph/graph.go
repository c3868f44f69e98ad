// Package graph is Docker 1.2.0's image store: a directory of image
// metadata (<root>/<id>/json, layersize) beside a storage driver holding
// each image's layer, an index answering to id prefixes, and the tag
// store naming images "repo:tag".
//
// Upstream: graph/graph.go at v1.2.0 (Graph, NewGraph, restore, Get, Exists,
// IsNotExist, ImageRoot, Driver).
// Book: ch.4 NewDaemon steps 10–12 (docs/upstream/v1.2.0.md §2.3), ch.8
// Docker镜像, ch.10 Docker镜像存储 (§10.2 镜像注册 is Register in register.go). The
// jobs that serve the API are installed by service.go, one file per job as
// upstream.
package graph

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/pkg/truncindex"
)

// tmpDir is the graph's scratch directory (<root>/_tmp): new images are
// assembled there and renamed into place, deleted images are renamed
// there before their files go.
const tmpDir = "_tmp"

// Graph stores images and knows how they stack.
type Graph struct {
	Root    string
	idIndex *truncindex.TruncIndex
	driver  graphdriver.Driver

	// idLocks holds one *sync.Mutex per image id being registered, so
	// two Registers of the same id (two `docker load`s of one tar) take
	// turns instead of racing in the driver. Upstream 1.2 had no lock.
	idLocks sync.Map
}

// lockID takes the lock of one image id; call the result to release it.
func (g *Graph) lockID(id string) (unlock func()) {
	mu, _ := g.idLocks.LoadOrStore(id, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	return mu.(*sync.Mutex).Unlock
}

// NewGraph opens (creating if needed) the graph at root, whose layers
// live in driver, and indexes the images already there.
func NewGraph(root string, driver graphdriver.Driver) (*Graph, error) {
	if driver == nil {
		return nil, fmt.Errorf("graph: NewGraph needs a storage driver")
	}
	abspath, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abspath, 0700); err != nil {
		return nil, err
	}
	g := &Graph{Root: abspath, driver: driver}
	if err := g.restore(); err != nil {
		return nil, err
	}
	return g, nil
}

// restore indexes every directory of root whose layer the driver has.
// The driver is the judge: after switching drivers, images of the old
// driver stay on disk but are not seen (ch.10 §10.2 then re-registers
// over them). Leftovers of an interrupted Register or Delete in _tmp are
// removed (upstream left them; docs/divergences.md).
func (g *Graph) restore() error {
	os.RemoveAll(filepath.Join(g.Root, tmpDir))
	entries, err := os.ReadDir(g.Root)
	if err != nil {
		return err
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && g.driver.Exists(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	g.idIndex = truncindex.NewTruncIndex(ids)
	return nil
}

// IsNotExist reports whether err says "no such image". Upstream matched
// the text ("does not exist", "No such"); dockerlab also asks errors.Is.
func (g *Graph) IsNotExist(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, backend.ErrNotFound) {
		return true
	}
	return strings.Contains(err.Error(), "does not exist") || strings.Contains(err.Error(), "No such")
}

// Exists reports whether an image answers to id (or an id prefix).
func (g *Graph) Exists(id string) bool {
	_, err := g.Get(id)
	return err == nil
}

// Get returns the image whose id is name or starts with name. An image
// whose layersize file is missing is measured now and the size saved.
func (g *Graph) Get(name string) (*image.Image, error) {
	id, err := g.idIndex.Get(name)
	if err != nil {
		return nil, err
	}
	img, err := image.LoadImage(g.ImageRoot(id))
	if err != nil {
		return nil, err
	}
	if img.ID != id {
		return nil, fmt.Errorf("Image stored at '%s' has wrong id '%s'", id, img.ID)
	}
	img.SetGraph(g)
	if img.Size < 0 {
		if img.Size, err = img.MeasureSize(); err != nil {
			return nil, err
		}
		if err := img.SaveSize(g.ImageRoot(id)); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// ImageRoot is the directory holding an image's json and layersize.
func (g *Graph) ImageRoot(id string) string { return filepath.Join(g.Root, id) }

// Driver is the storage driver holding the layers.
func (g *Graph) Driver() graphdriver.Driver { return g.driver }

// Mktemp makes a fresh scratch directory under <root>/_tmp. The id
// argument is unused, as upstream.
func (g *Graph) Mktemp(id string) (string, error) {
	dir := filepath.Join(g.Root, tmpDir, image.GenerateRandomID())
	if err := os.MkdirAll(dir, 0700); err != nil {
		return "", err
	}
	return dir, nil
}
