// An image's own layer as a tar stream. The layer stays held (Get) until
// the caller closes the stream.
//
// Upstream: image/image.go at v1.2.0 (TarLayer).
// Book: ch.10 §10.5, in reverse (what `docker push`, `docker save` and
// `image_tarlayer` send).
package image

import (
	"fmt"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
)

// TarLayer returns the files this image's layer adds, changes and deletes
// (deletions as ".wh." whiteouts).
func (img *Image) TarLayer() (archive.Archive, error) {
	if img.graph == nil {
		return nil, fmt.Errorf("Can't load storage driver for unregistered image %s", img.ID)
	}
	driver := img.graph.Driver()
	if differ, ok := driver.(graphdriver.Differ); ok {
		return differ.Diff(img.ID)
	}
	layer, err := driver.Get(img.ID, "")
	if err != nil {
		return nil, err
	}
	held := []string{img.ID}
	release := func() {
		for _, id := range held {
			driver.Put(id)
		}
	}
	parent := ""
	if img.Parent != "" {
		if parent, err = driver.Get(img.Parent, ""); err != nil {
			release()
			return nil, err
		}
		held = append(held, img.Parent)
	}
	var a archive.Archive
	if parent == "" {
		a, err = archive.Tar(layer, archive.Uncompressed)
	} else {
		var changes []archive.Change
		if changes, err = archive.ChangesDirs(layer, parent); err == nil {
			a, err = archive.ExportChanges(layer, changes)
		}
	}
	if err != nil {
		release()
		return nil, err
	}
	return &closeHook{Archive: a, after: release}, nil
}

// closeHook runs after once, when the stream is closed.
type closeHook struct {
	archive.Archive
	after func()
	once  sync.Once
}

func (c *closeHook) Close() error {
	err := c.Archive.Close()
	c.once.Do(c.after)
	return err
}
