// Walking an image's parents.
//
// Upstream: image/image.go at v1.2.0 (History, WalkHistory, GetParent,
// GetParentsSize, Depth, CheckDepth).
// Book: ch.8 (an image is its layer plus every layer below it; `docker
// history` prints this walk).
package image

import "fmt"

// GetParent returns the parent image, or nil for a base image.
func (img *Image) GetParent() (*Image, error) {
	if img.Parent == "" {
		return nil, nil
	}
	if img.graph == nil {
		return nil, fmt.Errorf("Can't lookup parent of unregistered image")
	}
	return img.graph.Get(img.Parent)
}

// WalkHistory calls handler on the image, then its parent, up to the base.
func (img *Image) WalkHistory(handler func(*Image) error) error {
	for cur := img; cur != nil; {
		if handler != nil {
			if err := handler(cur); err != nil {
				return err
			}
		}
		parent, err := cur.GetParent()
		if err != nil {
			return fmt.Errorf("Error while getting parent image: %v", err)
		}
		cur = parent
	}
	return nil
}

// History is the image and its parents, newest first.
func (img *Image) History() ([]*Image, error) {
	var chain []*Image
	err := img.WalkHistory(func(i *Image) error {
		chain = append(chain, i)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return chain, nil
}

// GetParentsSize adds the parents' layer sizes to size ("virtual size").
func (img *Image) GetParentsSize(size int64) int64 {
	for p, err := img.GetParent(); err == nil && p != nil; p, err = p.GetParent() {
		size += p.Size
	}
	return size
}

// Depth counts the layers of the image, itself included.
func (img *Image) Depth() (int, error) {
	count := 0
	err := img.WalkHistory(func(*Image) error {
		count++
		return nil
	})
	if err != nil {
		return -1, err
	}
	return count, nil
}

// CheckDepth refuses an image too deep to run: a container adds two
// layers of its own (the init layer and the read-write layer).
func (img *Image) CheckDepth() error {
	depth, err := img.Depth()
	if err != nil {
		return err
	}
	if depth+2 >= MaxImageDepth {
		return fmt.Errorf("Cannot create container with more than %d parents", MaxImageDepth)
	}
	return nil
}
