// Seeding: put an image into a registry's storage directly, so that a
// fresh machine can pull without any network (`dockerlab registry seed`
// puts the busybox demo image in; the benchmarks put a 5-layer image).
//
// Not upstream: docker-registry had no such command; an image got there
// by a push. The files written are exactly what a push leaves.
// Book: ch.9 (the image chapter 9's demo pulls).
package v1registry

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/pkg/tarsum"
)

// SeedLayer is one layer to seed: a tar (plain), and the command the
// history shows for it.
type SeedLayer struct {
	Tar     []byte
	Comment string
}

// seedCreated is every seeded image's creation date: Docker 1.2.0's
// release day, so that two seeds of the same tar give the same ids.
var seedCreated = time.Date(2014, 8, 20, 0, 0, 0, 0, time.UTC)

// Seed stores layers (base first) as a chain of images in root, tags the
// top one repo:tag, and answers its id. The ids are derived from the
// contents, so seeding the same layers twice changes nothing. config is
// the top image's "config" (nil: run sh).
func Seed(root, repoName, tag string, layers []SeedLayer, config json.RawMessage) (string, error) {
	repo, err := ParseRepo(repoName)
	if err != nil {
		return "", err
	}
	if err := CheckTag(tag); err != nil {
		return "", err
	}
	if len(layers) == 0 {
		return "", fmt.Errorf("seed: no layers")
	}
	if config == nil {
		config = json.RawMessage(`{"Cmd":["sh"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}`)
	}
	st := Storage{Root: root}
	parent := ""
	var index []map[string]string
	ancestry := []string{}
	for i, l := range layers {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		if _, err := zw.Write(l.Tar); err != nil {
			return "", err
		}
		if err := zw.Close(); err != nil {
			return "", err
		}
		layerSum := sha256.Sum256(l.Tar)
		idSum := sha256.Sum256([]byte("dockerlab seed " + hex.EncodeToString(layerSum[:]) + " " + parent))
		id := hex.EncodeToString(idSum[:])
		img := map[string]interface{}{
			"id":               id,
			"created":          seedCreated.Add(time.Duration(i) * time.Second),
			"container_config": map[string]interface{}{"Cmd": []string{"/bin/sh", "-c", "#(nop) " + l.Comment}},
			"docker_version":   "1.2.0",
			"architecture":     "amd64",
			"os":               "linux",
			"Size":             len(l.Tar),
		}
		if parent != "" {
			img["parent"] = parent
		}
		if i == len(layers)-1 {
			img["config"] = config
		}
		js, err := json.Marshal(img)
		if err != nil {
			return "", err
		}
		ts := &tarsum.TarSum{Reader: bytes.NewReader(l.Tar), DisableCompression: true}
		if _, err := io.Copy(io.Discard, ts); err != nil {
			return "", fmt.Errorf("seed: layer %d is not a tar: %w", i, err)
		}
		payload := sha256.New()
		payload.Write(js)
		payload.Write([]byte{'\n'})
		payload.Write(gz.Bytes())
		ancestry = append([]string{id}, ancestry...)
		a, _ := json.Marshal(ancestry)
		if !st.ImageComplete(id) {
			for _, f := range []struct {
				name string
				data []byte
			}{
				{"_inprogress", []byte("true")},
				{"json", js},
				{"ancestry", a},
				{"layer", gz.Bytes()},
				{"_payload", []byte("sha256:" + hex.EncodeToString(payload.Sum(nil)))},
				{"_checksum", []byte(ts.Sum(js))},
			} {
				if err := writeFile(st.imagePath(id, f.name), f.data); err != nil {
					return "", err
				}
			}
			if err := removeFile(st.imagePath(id, "_inprogress")); err != nil {
				return "", err
			}
		}
		index = append(index, map[string]string{"id": id, "checksum": ts.Sum(js)})
		parent = id
	}
	if err := st.MergeIndexImages(repo, index); err != nil {
		return "", err
	}
	return parent, st.SetTag(repo, tag, parent)
}
