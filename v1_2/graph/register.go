// Registering an image: the steps of book ch.10 §10.2 镜像注册, in
// upstream's order.
//
// Upstream: graph/graph.go at v1.2.0 (Register, Create).
// Book: ch.10 §10.2 镜像注册, §10.3–10.6.
//
//  1. verify the id (§10.3 验证ID);
//  2. refuse an id the graph already has;
//  3. remove leftovers of that id: its directory, and its layer in the
//     driver (the graph, not the driver, is the source of truth);
//  4. make a scratch directory under _tmp;
//  5. create the layer in the driver on top of the parent and Get it
//     (§10.4 路径: for aufs, mnt/diff/layers; here overlay or vfs);
//  6. untar the layer into it, measure it, write layersize and json into
//     the scratch directory (§10.5 内容);
//  7. rename the scratch directory to <root>/<id> — the commit point;
//  8. add the id to the index (§10.6 注册ID).
//
// Any failure after step 3 removes the layer from the driver again.
package graph

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// Register stores img with its layer. jsonData, when not nil, is the
// image's json exactly as received (a pull); layerData may be nil for an
// empty layer.
func (g *Graph) Register(jsonData []byte, layerData archive.ArchiveReader, img *image.Image) (err error) {
	if err := image.ValidateID(img.ID); err != nil {
		return err
	}
	// One Register per id at a time: the second then finds the image
	// registered and refuses before it touches the driver (upstream's
	// loser of such a race removed the winner's layer).
	unlock := g.lockID(img.ID)
	defer unlock()
	//lab:begin ch10.graph-register
	if g.Exists(img.ID) {
		return fmt.Errorf("Image %s already exists", img.ID)
	}
	defer func() {
		if err != nil {
			g.driver.Remove(img.ID) // it may not exist: the error is not interesting
		}
	}()
	if err := os.RemoveAll(g.ImageRoot(img.ID)); err != nil {
		return err
	}
	g.driver.Remove(img.ID)

	tmp, err := g.Mktemp("")
	if err != nil {
		return fmt.Errorf("Mktemp failed: %s", err)
	}
	defer os.RemoveAll(tmp)

	if err := g.driver.Create(img.ID, img.Parent); err != nil {
		return fmt.Errorf("Driver %s failed to create image rootfs %s: %w", g.driver, img.ID, err)
	}
	rootfs, err := g.driver.Get(img.ID, "")
	if err != nil {
		return fmt.Errorf("Driver %s failed to get image rootfs %s: %w", g.driver, img.ID, err)
	}
	defer g.driver.Put(img.ID)

	img.SetGraph(g)
	if err := image.StoreImage(img, jsonData, layerData, tmp, rootfs); err != nil {
		return err
	}
	if err := os.Rename(tmp, g.ImageRoot(img.ID)); err != nil {
		return err
	}
	return g.idIndex.Add(img.ID)
	//lab:end ch10.graph-register
}

// Create registers a new image made from layerData: a container's changes
// (`docker commit`, containerID and containerImage set) or a whole root
// file system (`docker import`, both ""). The configs are JSON objects
// (runconfig.Config in upstream), nil when absent.
func (g *Graph) Create(layerData archive.ArchiveReader, containerID, containerImage, comment, author string, containerConfig, config []byte) (*image.Image, error) {
	img := &image.Image{
		ID:            image.GenerateRandomID(),
		Comment:       comment,
		Created:       time.Now().UTC(),
		DockerVersion: dockerversion.VERSION,
		Author:        author,
		Config:        config,
		Architecture:  runtime.GOARCH,
		OS:            runtime.GOOS,
	}
	if containerID != "" {
		img.Parent = containerImage
		img.Container = containerID
		img.ContainerConfig = containerConfig
	}
	if err := g.Register(nil, layerData, img); err != nil {
		return nil, err
	}
	return img, nil
}

// Import registers a tarball of a whole root file system as a new base
// image, as the `import` job does (graph/import.go at v1.2.0 called
// Create(archive, "", "", "Imported from "+src, "", nil, nil)).
func (g *Graph) Import(layer io.Reader, comment string) (*image.Image, error) {
	if layer == nil {
		return nil, fmt.Errorf("graph: Import needs a tar stream")
	}
	return g.Create(layer, "", "", comment, "", nil, nil)
}

// TempLayerArchive writes an image's layer to a temp file under the graph
// and returns it (it deletes itself once read or closed). Upstream also
// drew a progress bar ("Buffering to disk") on an output stream for
// push; without a registry nothing here needs one (save streams each
// layer straight from image_tarlayer).
func (g *Graph) TempLayerArchive(id string, compression archive.Compression) (*archive.TempArchive, error) {
	img, err := g.Get(id)
	if err != nil {
		return nil, err
	}
	tmp, err := g.Mktemp("")
	if err != nil {
		return nil, err
	}
	a, err := img.TarLayer()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	defer a.Close()
	return archive.NewTempArchive(a, tmp)
}
