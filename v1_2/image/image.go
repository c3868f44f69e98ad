// Package image is one Docker 1.2.0 image: its metadata (the "json" file
// next to each layer) and the walk up its chain of parents.
//
// Upstream: image/image.go at v1.2.0, image/graph.go at v1.2.0.
// Book: ch.8 Docker镜像 (an image is a read-only layer plus metadata naming its
// parent), ch.10 §10.5 镜像内容 (the json and layersize files).
// Notes: 003.
package image

import (
	"encoding/json"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
)

// MaxImageDepth is the deepest chain of layers a container may sit on.
// Upstream took AUFS's compile-time branch limit (127); dockerlab keeps
// the number so that the error reads the same.
const MaxImageDepth = 127

// Image is the metadata of one layer, with Docker 1.2.0's JSON names.
//
// Config and ContainerConfig were runconfig.Config in upstream; here they
// are kept as the raw JSON object, so this package does not depend on the
// daemon's config types (docs/divergences.md). Decode them with
// json.Unmarshal where a typed config is needed.
type Image struct {
	ID              string          `json:"id"`
	Parent          string          `json:"parent,omitempty"`
	Comment         string          `json:"comment,omitempty"`
	Created         time.Time       `json:"created"`
	Container       string          `json:"container,omitempty"`
	ContainerConfig json.RawMessage `json:"container_config,omitempty"`
	DockerVersion   string          `json:"docker_version,omitempty"`
	Author          string          `json:"author,omitempty"`
	Config          json.RawMessage `json:"config,omitempty"`
	Architecture    string          `json:"architecture,omitempty"`
	OS              string          `json:"os,omitempty"`
	Size            int64

	graph Graph // set once the image is registered in a graph
}

// Graph is what an image needs from the graph that holds it: its parents,
// its directory, and the storage driver of its layer.
type Graph interface {
	Get(id string) (*Image, error)
	ImageRoot(id string) string
	Driver() graphdriver.Driver
}

// SetGraph attaches the image to the graph it is registered in.
func (img *Image) SetGraph(g Graph) { img.graph = g }

// NewImgJSON decodes an image's json (as a registry or `docker load`
// sends it).
func NewImgJSON(src []byte) (*Image, error) {
	img := &Image{}
	if err := json.Unmarshal(src, img); err != nil {
		return nil, err
	}
	return img, nil
}
