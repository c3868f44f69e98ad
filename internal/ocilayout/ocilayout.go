// Package ocilayout writes a root filesystem tarball as an OCI image
// layout (index.json, oci-layout, blobs/sha256/…), the form skopeo copies
// into a v2 registry. The layout holds two names: "latest" (an image
// manifest for this machine's platform) and "multi" (an image index of
// this platform's manifest and an s390x one whose config says so, to
// show that a pull picks its own platform).
//
// Not upstream: Docker 1.2 had no v2 or OCI; this feeds dockerlab's v2
// pull (v1_2/graph/pull_v2.go) without any network. The types come from
// github.com/opencontainers/image-spec and go-digest.
// Book: ch.9 §9.6 (what changed after 1.2).
package ocilayout

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Layout is an OCI layout on disk holding the demo image under three
// names: "latest" (an image manifest), "multi" (an index of a linux/<this
// arch> image and a linux/s390x one whose config says so), and nothing
// else.
type Layout struct {
	Dir       string
	Layer     digest.Digest // the busybox layer blob
	Config    digest.Digest // this platform's config
	Manifest  digest.Digest
	OtherArch string
}

// Write writes rootfsTar (a plain tar) as an OCI layout in dir.
func Write(dir string, rootfsTar []byte) (*Layout, error) {
	return WriteLayers(dir, rootfsTar)
}

// WriteLayers is Write for an image of several layers (plain tars, base
// first); Layout.Layer is the first one's blob.
func WriteLayers(dir string, layers ...[]byte) (*Layout, error) {
	l := &Layout{Dir: dir, OtherArch: "s390x"}
	var werr error
	put := func(b []byte) digest.Digest {
		d := digest.FromBytes(b)
		p := filepath.Join(l.Dir, "blobs", "sha256", d.Encoded())
		if err := os.MkdirAll(filepath.Dir(p), 0755); err != nil && werr == nil {
			werr = err
		}
		if err := os.WriteFile(p, b, 0644); err != nil && werr == nil {
			werr = err
		}
		return d
	}
	var layerDescs []ocispec.Descriptor
	var diffIDs []digest.Digest
	var history []ocispec.History
	created := time.Date(2014, 8, 20, 0, 0, 0, 0, time.UTC)
	for i, tarBytes := range layers {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(tarBytes)
		zw.Close()
		d := put(gz.Bytes())
		if i == 0 {
			l.Layer = d
		}
		layerDescs = append(layerDescs, ocispec.Descriptor{MediaType: ocispec.MediaTypeImageLayerGzip, Digest: d, Size: int64(gz.Len())})
		diffIDs = append(diffIDs, digest.FromBytes(tarBytes))
		by := "ADD busybox.tar in /"
		if i > 0 {
			by = fmt.Sprintf("ADD layer%d.tar in /", i)
		}
		history = append(history, ocispec.History{Created: &created, CreatedBy: by})
	}
	manifestFor := func(arch string, cmd []string) ocispec.Descriptor {
		config := ocispec.Image{
			Created:  &created,
			Platform: ocispec.Platform{OS: "linux", Architecture: arch},
			Config:   ocispec.ImageConfig{Cmd: cmd, Env: []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}},
			RootFS:   ocispec.RootFS{Type: "layers", DiffIDs: diffIDs},
			History:  append(append([]ocispec.History(nil), history...), ocispec.History{Created: &created, CreatedBy: "CMD " + strings.Join(cmd, " "), EmptyLayer: true}),
		}
		cb, _ := json.Marshal(config)
		cd := put(cb)
		m := ocispec.Manifest{
			Versioned: specs.Versioned{SchemaVersion: 2},
			MediaType: ocispec.MediaTypeImageManifest,
			Config:    ocispec.Descriptor{MediaType: ocispec.MediaTypeImageConfig, Digest: cd, Size: int64(len(cb))},
			Layers:    layerDescs,
		}
		mb, _ := json.Marshal(m)
		md := put(mb)
		if arch == runtime.GOARCH {
			l.Config, l.Manifest = cd, md
		}
		return ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: md, Size: int64(len(mb)), Platform: &ocispec.Platform{OS: "linux", Architecture: arch}}
	}
	here := manifestFor(runtime.GOARCH, []string{"sh"})
	other := manifestFor(l.OtherArch, []string{"echo", "wrong platform"})
	idx := ocispec.Index{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{other, here}}
	ib, _ := json.Marshal(idx)
	id := put(ib)

	latest := here
	latest.Platform = nil
	latest.Annotations = map[string]string{ocispec.AnnotationRefName: "latest"}
	multi := ocispec.Descriptor{MediaType: ocispec.MediaTypeImageIndex, Digest: id, Size: int64(len(ib)), Annotations: map[string]string{ocispec.AnnotationRefName: "multi"}}
	top := ocispec.Index{Versioned: specs.Versioned{SchemaVersion: 2}, MediaType: ocispec.MediaTypeImageIndex, Manifests: []ocispec.Descriptor{latest, multi}}
	tb, _ := json.Marshal(top)
	if werr != nil {
		return nil, werr
	}
	if err := os.WriteFile(filepath.Join(l.Dir, "index.json"), tb, 0644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(l.Dir, ocispec.ImageLayoutFile), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0644); err != nil {
		return nil, err
	}
	return l, nil
}
