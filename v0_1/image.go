// Image: one layer of a filesystem plus its metadata, stored in the graph
// as graph/<id>/json and graph/<id>/layer/.
//
// Upstream: image.go at v0.1.0 (Image, LoadImage, StoreImage, MountAUFS,
// Image.Mount, GenerateId, ComputeId, ValidateId, the history walk). See
// docs/upstream/v0.1.0.md §7, §9.17, §9.20.
// Book: ch.8 (Union Mount: the same idea in 1.2).
// Notes: 002 "graph" (the graph directory, 0700; the note does not walk
// image.go itself).
//
// An image is a stack of layers, each holding only its differences from
// its parent, stacked by AUFS into a rootfs.
//
// Divergences (docs/divergences.md):
//   - "Overlayfs instead of AUFS": on the linux backend Mount stacks the
//     layers with overlayfs (backend.MountOverlay, lower dirs top first);
//     on the fake backend it copies the layers, bottom first, into the
//     target, applying AUFS whiteouts (".wh.NAME" deletes NAME below);
//   - "v0.1 image ids": GenerateId takes 8 bytes from crypto/rand instead
//     of a PRNG reseeded with the time at every call, so two imports in the
//     same nanosecond cannot get the same id. The format is unchanged: 16
//     lowercase hex characters.
package docker

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/dockerlab/dockerlab/backend"
)

// Image is 0.1.0's image metadata, with its json names.
type Image struct {
	Id              string    `json:"id"`
	Parent          string    `json:"parent,omitempty"`
	Comment         string    `json:"comment,omitempty"`
	Created         time.Time `json:"created"`
	Container       string    `json:"container,omitempty"`
	ContainerConfig Config    `json:"container_config,omitempty"` // a struct: omitempty does nothing, as in 2013
	graph           *Graph
}

// idLength is the length of an id: 8 random bytes in hex.
const idLength = 16

// GenerateId returns a new random image id.
func GenerateId() string {
	var b [idLength / 2]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported systems; an id made of
		// the time is still unique enough for one machine.
		return fmt.Sprintf("%016x", time.Now().UnixNano())
	}
	return hex.EncodeToString(b[:])
}

// ValidateId refuses what cannot be an image directory's name: empty, or
// containing a path separator or ':' (which marks :tmp: and :garbage:).
// 0.1.0 checked only for ":".
func ValidateId(id string) error {
	if id == "" {
		return fmt.Errorf("Image id can't be empty")
	}
	for _, c := range id {
		if c == ':' || c == '/' || c == '\\' || c == 0 {
			return fmt.Errorf("Invalid image id %q: it may not contain %q", id, c)
		}
	}
	if id == "." || id == ".." {
		return fmt.Errorf("Invalid image id %q", id)
	}
	return nil
}

func jsonPath(root string) string  { return filepath.Join(root, "json") }
func layerPath(root string) string { return filepath.Join(root, "layer") }

// LoadImage reads the image stored in the directory root.
func LoadImage(root string) (*Image, error) {
	data, err := os.ReadFile(jsonPath(root))
	if err != nil {
		return nil, err
	}
	img := &Image{}
	if err := json.Unmarshal(data, img); err != nil {
		return nil, fmt.Errorf("image json %s: %v", jsonPath(root), err)
	}
	if err := ValidateId(img.Id); err != nil {
		return nil, err
	}
	if st, err := os.Stat(layerPath(root)); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("Couldn't load image %s: no filesystem layer", img.Id)
	}
	return img, nil
}

// StoreImage writes img into the directory root: the layer unpacked from
// layerData (0700, as bsdtar made it under the daemon's umask) and the
// json file (0600).
func StoreImage(img *Image, layerData Archive, root string) error {
	layer := layerPath(root)
	if err := os.MkdirAll(layer, 0700); err != nil {
		return err
	}
	if layerData != nil {
		if err := Untar(layerData, layer); err != nil {
			return err
		}
		if err := os.Chmod(layer, 0700); err != nil {
			return err
		}
	}
	data, err := json.Marshal(img)
	if err != nil {
		return err
	}
	return os.WriteFile(jsonPath(root), data, 0600)
}

// layer is the directory of this image's own files.
func (image *Image) layer() (string, error) {
	if image.graph == nil {
		return "", fmt.Errorf("Can't lookup root of unregistered image")
	}
	return layerPath(image.graph.imageRoot(image.Id)), nil
}

// History returns the image and its ancestors, the image first.
func (image *Image) History() ([]*Image, error) {
	var parents []*Image
	err := image.WalkHistory(func(img *Image) error {
		parents = append(parents, img)
		return nil
	})
	return parents, err
}

// WalkHistory calls handler for the image, its parent, and so on up to
// the base image. A parent chain that loops is refused (0.1.0 would loop
// for ever; ids are random, so only a hand-edited json can make one).
func (image *Image) WalkHistory(handler func(*Image) error) error {
	seen := map[string]bool{}
	for img := image; img != nil; {
		if seen[img.Id] {
			return fmt.Errorf("image %s: its parents loop back to %s", image.Id, img.Id)
		}
		seen[img.Id] = true
		if err := handler(img); err != nil {
			return err
		}
		parent, err := img.GetParent()
		if err != nil {
			return err
		}
		img = parent
	}
	return nil
}

// GetParent returns the parent image, or nil for a base image.
func (image *Image) GetParent() (*Image, error) {
	if image.Parent == "" {
		return nil, nil
	}
	if image.graph == nil {
		return nil, fmt.Errorf("Can't lookup parent of unregistered image")
	}
	return image.graph.Get(image.Parent)
}

// layers lists the layer directories of the image's whole stack, top
// (this image) first: overlayfs' lowerdir order and AUFS's branch order.
func (image *Image) layers() ([]string, error) {
	var list []string
	err := image.WalkHistory(func(img *Image) error {
		layer, err := img.layer()
		if err != nil {
			return err
		}
		list = append(list, layer)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("No layer found for image %s", image.Id)
	}
	return list, nil
}

// Mount makes root show the image's filesystem with rw as the writable
// layer on top. On the linux backend that is an overlayfs mount (work
// directory rw + ".work", next to rw, as overlayfs needs both on one
// filesystem); on the fake backend the layers are copied into root, so
// root holds the files and rw stays empty until the container writes.
func (image *Image) Mount(host backend.Host, root, rw string) error {
	layers, err := image.layers()
	if err != nil {
		return err
	}
	for _, dir := range []string{root, rw} {
		if err := os.MkdirAll(dir, 0755); err != nil {
			return err
		}
	}
	if host.Name() != "linux" {
		for i := len(layers) - 1; i >= 0; i-- {
			if err := copyLayer(layers[i], root); err != nil {
				return fmt.Errorf("copying layer %s into %s: %v", layers[i], root, err)
			}
		}
		return nil
	}
	work := rw + ".work"
	if err := os.MkdirAll(work, 0700); err != nil {
		return err
	}
	return host.Mount(backend.Mount{Type: backend.MountOverlay, Target: root, Lower: layers, Source: rw, Work: work})
}

// copyLayer applies one layer onto target: its files overwrite, its
// whiteouts delete. Symlinks are copied as links, never followed.
func copyLayer(layer, target string) error {
	dst, err := os.OpenRoot(target)
	if err != nil {
		return err
	}
	defer dst.Close()
	// Directories get their modes at the end, so that a read-only one can
	// still be filled without root.
	dirModes := map[string]fs.FileMode{}
	defer func() {
		for name, mode := range dirModes {
			dst.Chmod(name, mode)
		}
	}()
	return filepath.WalkDir(layer, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(layer, p)
		if err != nil || rel == "." {
			return err
		}
		if deleted, ok := isWhiteout(rel); ok {
			return dst.RemoveAll(deleted)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if st, err := dst.Lstat(rel); err == nil && !st.IsDir() {
				dst.Remove(rel)
			}
			if err := dst.MkdirAll(rel, 0755); err != nil {
				return err
			}
			dirModes[rel] = info.Mode().Perm()
			return dst.Chmod(rel, info.Mode().Perm()|0700)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			dst.RemoveAll(rel)
			return dst.Symlink(link, rel)
		case info.Mode().IsRegular():
			dst.RemoveAll(rel)
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := dst.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
			if err != nil {
				return err
			}
			_, err = io.Copy(out, in)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			return err
		}
		return nil
	})
}
