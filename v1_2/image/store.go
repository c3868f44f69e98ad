// An image on disk: <graph>/<id>/json and <graph>/<id>/layersize, with
// the layer's files in the storage driver.
//
// Upstream: image/image.go at v1.2.0 (LoadImage, StoreImage, SaveSize,
// RawJson).
// Book: ch.10 §10.5 镜像内容 (untar the layer, measure it, write the json).
package image

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
)

func jsonPath(root string) string { return filepath.Join(root, "json") }

// LoadImage reads the image stored in directory root. A missing layersize
// file gives Size -1 ("not measured yet"; 0 is a valid size).
func LoadImage(root string) (*Image, error) {
	data, err := os.ReadFile(jsonPath(root))
	if err != nil {
		return nil, err
	}
	img := &Image{}
	if err := json.Unmarshal(data, img); err != nil {
		return nil, fmt.Errorf("image json in %s: %w", root, err)
	}
	if err := ValidateID(img.ID); err != nil {
		return nil, err
	}
	buf, err := os.ReadFile(filepath.Join(root, "layersize"))
	switch {
	case os.IsNotExist(err):
		img.Size = -1
	case err != nil:
		return nil, err
	default:
		size, err := strconv.ParseInt(strings.TrimSpace(string(buf)), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("layersize in %s: %w", root, err)
		}
		img.Size = size
	}
	return img, nil
}

// StoreImage unpacks layerData (may be nil: an empty layer) into the
// layer directory, measures what the layer adds, and writes layersize and
// json into root. jsonData, when given, is written as is (a pulled
// image's json must keep its exact bytes); otherwise img is marshalled.
// img must have its graph set.
func StoreImage(img *Image, jsonData []byte, layerData archive.ArchiveReader, root, layer string) error {
	if img.graph == nil {
		return fmt.Errorf("Can't store unregistered image %s: it has no graph", img.ID)
	}
	driver := img.graph.Driver()
	if err := os.MkdirAll(layer, 0755); err != nil {
		return err
	}
	var size int64
	if layerData != nil {
		var err error
		if differ, ok := driver.(graphdriver.Differ); ok {
			if err = differ.ApplyDiff(img.ID, layerData); err == nil {
				size, err = differ.DiffSize(img.ID)
			}
		} else {
			size, err = applyAndMeasure(img, driver, layerData, layer)
		}
		if err != nil {
			return err
		}
	}
	img.Size = size
	if err := img.SaveSize(root); err != nil {
		return err
	}
	if jsonData == nil {
		var err error
		if jsonData, err = json.Marshal(img); err != nil {
			return err
		}
	}
	return os.WriteFile(jsonPath(root), jsonData, 0600)
}

// applyAndMeasure is the path for drivers without a Differ: untar into
// the layer as its Get shows it, then size = the whole tree for a base
// layer, or what differs from the parent.
func applyAndMeasure(img *Image, driver graphdriver.Driver, layerData archive.ArchiveReader, layer string) (int64, error) {
	if err := archive.ApplyLayer(layer, layerData); err != nil {
		return 0, err
	}
	return measureLayer(img, driver, layer)
}

// measureLayer is the size ch.10 §10.5 stores in layersize.
func measureLayer(img *Image, driver graphdriver.Driver, layer string) (int64, error) {
	if img.Parent == "" {
		return archive.TreeSize(layer)
	}
	parent, err := driver.Get(img.Parent, "")
	if err != nil {
		return 0, err
	}
	defer driver.Put(img.Parent)
	changes, err := archive.ChangesDirs(layer, parent)
	if err != nil {
		return 0, err
	}
	return archive.ChangesSize(layer, changes), nil
}

// MeasureSize computes the layer size of an image whose layersize file is
// missing (the graph calls it from Get and saves the result).
func (img *Image) MeasureSize() (int64, error) {
	if img.graph == nil {
		return 0, fmt.Errorf("Can't measure unregistered image %s", img.ID)
	}
	driver := img.graph.Driver()
	layer, err := driver.Get(img.ID, "")
	if err != nil {
		return 0, fmt.Errorf("Driver %s failed to get image rootfs %s: %w", driver, img.ID, err)
	}
	defer driver.Put(img.ID)
	return measureLayer(img, driver, layer)
}

// SaveSize writes img.Size into root/layersize.
func (img *Image) SaveSize(root string) error {
	if err := os.WriteFile(filepath.Join(root, "layersize"), []byte(strconv.FormatInt(img.Size, 10)), 0600); err != nil {
		return fmt.Errorf("Error storing image size in %s/layersize: %s", root, err)
	}
	return nil
}

// RawJson returns the stored json bytes, exactly as written.
func (img *Image) RawJson() ([]byte, error) {
	root, err := img.root()
	if err != nil {
		return nil, fmt.Errorf("Failed to get root for image %s: %s", img.ID, err)
	}
	buf, err := os.ReadFile(jsonPath(root))
	if err != nil {
		return nil, fmt.Errorf("Failed to read json for image %s: %s", img.ID, err)
	}
	return buf, nil
}

func (img *Image) root() (string, error) {
	if img.graph == nil {
		return "", fmt.Errorf("Can't lookup root of unregistered image")
	}
	return img.graph.ImageRoot(img.ID), nil
}
