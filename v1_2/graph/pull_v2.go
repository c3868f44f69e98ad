// Pulling from a v2 registry into 1.2's graph: what the "pull" job does
// when a registry has no /v1/_ping but answers /v2/ (every registry
// today: Docker Hub, Debian's docker-registry, any OCI registry).
//
// Not upstream: Docker 1.2 spoke only v1 (docs/divergences.md "pull from
// v2 registries"). Later Dockers (1.6 for the API, 1.10 for schema2)
// did this in graph/pull_v2.go and distribution/pull_v2.go.
// Book: ch.9 §9.6 总结 — chapters/09-pull shows it as "what changed after 1.2".
//
// 1.2's graph knows images by v1 ids chained by "parent"; v2 knows
// content by digest. The bridge:
//
//   - schema1 manifests carry v1 json with id and parent already
//     (history[].v1Compatibility): registered as they are;
//   - schema2 and OCI manifests have one config and a list of layers:
//     each layer becomes a v1 image whose id is sha256("<layer digest
//     hex> <parent id>"), the top one also hashing the config's digest,
//     so the same layers under two configs give two top images (the
//     scheme of distribution's schema2→schema1 converter);
//   - an index (manifest list) is resolved to the daemon's os/arch.
//
// Every blob is downloaded into the graph's _tmp and checked against its
// digest before graph.Register sees a byte of it, so a corrupt blob
// never reaches the graph.
package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/registry"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// v2Accept is the Accept list of manifest requests; tests narrow it to
// make a registry send schema1.
var v2Accept = registry.ManifestAccept

// v2Endpoint answers the v2 base URL of hostname, if it speaks v2.
func (s *TagStore) v2Endpoint(hostname string) (string, bool) {
	return registry.PingV2(hostname)
}

// v2Layer is one layer to register: its v1 id and json, and the blob
// holding its tar.
type v2Layer struct {
	id, parent string
	json       []byte
	blob       digest.Digest
}

// pullV2Repository pulls tag (every tag when "") of remoteName.
func (s *TagStore) pullV2Repository(job *engine.Job, base, localName, remoteName, tag string, sf *utils.StreamFormatter, authConfig *registry.AuthConfig) error {
	hostname, _, _ := registry.ResolveRepositoryName(localName)
	if hostname == registry.IndexServerAddress() && !strings.HasPrefix(localName, hostname+"/") {
		localName = remoteName
	}
	sess := registry.NewV2Session(base, hostname, remoteName, authConfig, nil)
	tags := []string{tag}
	if tag == "" {
		var err error
		if tags, err = sess.Tags(); err != nil {
			return err
		}
	}
	for _, t := range tags {
		if err := validateTagName(t); err != nil {
			return fmt.Errorf("the registry lists tag %q: %w", t, err)
		}
		if err := s.pullV2Tag(job, sess, localName, t, sf); err != nil {
			return err
		}
	}
	return nil
}

// pullV2Tag pulls one tag: manifest, (platform), layers, tag.
func (s *TagStore) pullV2Tag(job *engine.Job, sess *registry.V2Session, localName, tag string, sf *utils.StreamFormatter) error {
	out := job.Stdout
	out.Write(sf.FormatStatus("", "%s: Pulling from %s (registry v2, not in Docker 1.2)", tag, sess.Name))
	body, mediaType, dgst, err := sess.GetManifest(tag, v2Accept)
	if err != nil {
		return err
	}
	trace(job, "v2: manifest %s:%s is %s (%s)", sess.Name, tag, mediaType, dgst)
	if mediaType == ocispec.MediaTypeImageIndex || mediaType == registry.MediaTypeDockerManifestList {
		child, err := pickPlatform(body)
		if err != nil {
			return err
		}
		trace(job, "v2: the index picks %s for %s/%s", child, runtime.GOOS, runtime.GOARCH)
		if body, mediaType, _, err = sess.GetManifest(child.String(), v2Accept); err != nil {
			return err
		}
	}
	var layers []v2Layer
	switch mediaType {
	case registry.MediaTypeDockerSchema1, registry.MediaTypeDockerSchema1Signed:
		layers, err = schema1Layers(body)
	case registry.MediaTypeDockerSchema2, ocispec.MediaTypeImageManifest:
		layers, err = s.schema2Layers(sess, body)
	default:
		err = fmt.Errorf("manifest %s:%s has media type %q, which this pull does not understand", sess.Name, tag, mediaType)
	}
	if err != nil {
		return err
	}
	for _, l := range layers {
		if err := s.pullV2Layer(job, sess, l, sf); err != nil {
			return err
		}
	}
	top := layers[len(layers)-1].id
	if err := s.Set(localName, tag, top, true); err != nil {
		return err
	}
	out.Write(sf.FormatStatus("", "Digest: %s", dgst))
	out.Write(sf.FormatStatus("", "Status: Downloaded image for %s:%s (v1 id %s)", localName, tag, image.TruncateID(top)))
	return nil
}

// pickPlatform chooses the daemon's os/arch from an index.
func pickPlatform(body []byte) (digest.Digest, error) {
	var index ocispec.Index
	if err := json.Unmarshal(body, &index); err != nil {
		return "", fmt.Errorf("the image index is not JSON: %w", err)
	}
	for _, m := range index.Manifests {
		if m.Platform != nil && m.Platform.OS == runtime.GOOS && m.Platform.Architecture == runtime.GOARCH {
			return m.Digest, nil
		}
	}
	return "", fmt.Errorf("the image index has no manifest for %s/%s", runtime.GOOS, runtime.GOARCH)
}

// schema1Layers reads a schema1 manifest: history[i].v1Compatibility is
// the v1 json of the layer in fsLayers[i], newest first.
func schema1Layers(body []byte) ([]v2Layer, error) {
	var m struct {
		SchemaVersion int `json:"schemaVersion"`
		FSLayers      []struct {
			BlobSum digest.Digest `json:"blobSum"`
		} `json:"fsLayers"`
		History []struct {
			V1Compatibility string `json:"v1Compatibility"`
		} `json:"history"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("the schema1 manifest is not JSON: %w", err)
	}
	if m.SchemaVersion != 1 || len(m.FSLayers) == 0 || len(m.FSLayers) != len(m.History) {
		return nil, fmt.Errorf("the schema1 manifest is malformed: %d layers, %d history entries", len(m.FSLayers), len(m.History))
	}
	var layers []v2Layer
	for i := len(m.FSLayers) - 1; i >= 0; i-- {
		raw := []byte(m.History[i].V1Compatibility)
		img, err := image.NewImgJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("schema1 history %d: %w", i, err)
		}
		if !image.IsFullID(img.ID) {
			return nil, fmt.Errorf("schema1 history %d has id %q, which is not an image id", i, img.ID)
		}
		parent := ""
		if len(layers) > 0 {
			parent = layers[len(layers)-1].id
		}
		if img.Parent != parent {
			return nil, fmt.Errorf("schema1 history %d: parent %q, but the layer below is %q", i, img.Parent, parent)
		}
		layers = append(layers, v2Layer{id: img.ID, parent: parent, json: raw, blob: m.FSLayers[i].BlobSum})
	}
	return layers, nil
}

// schema2Layers reads a schema2 or OCI manifest and its config, and makes
// the v1 json of each layer.
func (s *TagStore) schema2Layers(sess *registry.V2Session, body []byte) ([]v2Layer, error) {
	var m ocispec.Manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("the manifest is not JSON: %w", err)
	}
	if len(m.Layers) == 0 {
		return nil, fmt.Errorf("the manifest lists no layers")
	}
	rc, _, err := sess.GetBlob(m.Config.Digest)
	if err != nil {
		return nil, err
	}
	configJSON, err := registry.ReadVerified(rc, m.Config.Digest, registry.MaxConfigBlob)
	rc.Close()
	if err != nil {
		return nil, err
	}
	var config ocispec.Image
	if err := json.Unmarshal(configJSON, &config); err != nil {
		return nil, fmt.Errorf("the image config is not JSON: %w", err)
	}
	var raw struct {
		Config          json.RawMessage `json:"config"`
		ContainerConfig json.RawMessage `json:"container_config"`
		DockerVersion   string          `json:"docker_version"`
	}
	json.Unmarshal(configJSON, &raw) // the typed decode above already succeeded
	// The history entries that made a layer, oldest first, to date and
	// describe each layer (`docker history`).
	var history []ocispec.History
	for _, h := range config.History {
		if !h.EmptyLayer {
			history = append(history, h)
		}
	}
	var layers []v2Layer
	parent := ""
	for i, l := range m.Layers {
		if err := l.Digest.Validate(); err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		seed := l.Digest.Encoded() + " " + parent
		top := i == len(m.Layers)-1
		if top {
			seed += " " + m.Config.Digest.String()
		}
		sum := sha256.Sum256([]byte(seed))
		id := hex.EncodeToString(sum[:])
		v1 := map[string]interface{}{"id": id}
		if parent != "" {
			v1["parent"] = parent
		}
		created := time.Time{}
		if config.Created != nil {
			created = *config.Created
		}
		if i < len(history) {
			if history[i].Created != nil {
				created = *history[i].Created
			}
			if history[i].CreatedBy != "" {
				v1["container_config"] = map[string]interface{}{"Cmd": []string{history[i].CreatedBy}}
			}
			if history[i].Comment != "" {
				v1["comment"] = history[i].Comment
			}
		}
		v1["created"] = created.UTC()
		if top {
			if len(raw.Config) > 0 {
				v1["config"] = raw.Config
			}
			if len(raw.ContainerConfig) > 0 {
				v1["container_config"] = raw.ContainerConfig
			}
			if raw.DockerVersion != "" {
				v1["docker_version"] = raw.DockerVersion
			}
			v1["author"] = config.Author
			v1["architecture"] = config.Architecture
			v1["os"] = config.OS
		}
		js, err := json.Marshal(v1)
		if err != nil {
			return nil, err
		}
		layers = append(layers, v2Layer{id: id, parent: parent, json: js, blob: l.Digest})
		parent = id
	}
	return layers, nil
}

// pullV2Layer downloads one blob into _tmp, checks its digest, then
// registers it. A layer the graph has is skipped; the pool keeps two
// pulls from fetching it together.
func (s *TagStore) pullV2Layer(job *engine.Job, sess *registry.V2Session, l v2Layer, sf *utils.StreamFormatter) error {
	out := job.Stdout
	shortID := image.TruncateID(l.id)
	if c, err := s.poolAdd("pull", "layer:"+l.id); err != nil {
		if c == nil {
			return err
		}
		out.Write(sf.FormatProgress(shortID, "Waiting", nil))
		<-c
		if !s.graph.Exists(l.id) {
			return s.pullV2Layer(job, sess, l, sf)
		}
	} else {
		defer s.poolRemove("pull", "layer:"+l.id)
	}
	if s.graph.Exists(l.id) {
		out.Write(sf.FormatProgress(shortID, "Already exists", nil))
		return nil
	}
	img, err := image.NewImgJSON(l.json)
	if err != nil {
		return err
	}
	out.Write(sf.FormatProgress(shortID, "Pulling fs layer", nil))
	tmpDir, err := s.graph.Mktemp("")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	path := filepath.Join(tmpDir, "blob")
	if err := downloadVerified(sess, l.blob, path, out, sf, shortID); err != nil {
		out.Write(sf.FormatProgress(shortID, "Error downloading", nil))
		return fmt.Errorf("layer %s (%s): %w", shortID, l.blob, err)
	}
	out.Write(sf.FormatProgress(shortID, "Verifying Checksum", nil))
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	trace(job, "v2: blob %s verified → graph.Register(%s) (ch.10 §10.2)", l.blob, shortID)
	if err := s.graph.Register(l.json, f, img); err != nil {
		return fmt.Errorf("layer %s: %w", shortID, err)
	}
	out.Write(sf.FormatProgress(shortID, "Pull complete", nil))
	return nil
}

// downloadVerified copies a blob into path, showing progress, and fails
// unless its bytes hash to dgst.
func downloadVerified(sess *registry.V2Session, dgst digest.Digest, path string, out io.Writer, sf *utils.StreamFormatter, shortID string) error {
	rc, size, err := sess.GetBlob(dgst)
	if err != nil {
		return err
	}
	defer rc.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	verifier := dgst.Verifier()
	progress := utils.ProgressReader(rc, int(size), out, sf, false, shortID, "Downloading")
	if _, err := io.Copy(io.MultiWriter(f, verifier), progress); err != nil {
		return err
	}
	if !verifier.Verified() {
		return fmt.Errorf("the blob's bytes do not match its digest %s", dgst)
	}
	return f.Close()
}
