// The registry client of Docker 0.1.0: pull and push of images and
// repositories over the 2013 v1 protocol, every request with HTTP basic
// auth from the daemon's .dockercfg.
//
// Upstream: registry.go at v0.1.0 (REGISTRY_ENDPOINT, NewMultipleImgJson,
// getRemoteHistory, LookupRemoteImage, getRemoteImage, PullImage,
// PullRepository, PushImage, pushTag, pushPrimitive, PushRepository).
// Book: ch.9 (what 1.2 kept of this protocol and what it changed).
// Notes: 002 "读取认证文件"
//
// The 2013 protocol differs from 1.2's: a repository's tags are
// /v1/users/<user>/<repo> (not /v1/repositories/…/tags), the history is
// /v1/images/<id>/history (the json objects themselves, concatenated, not
// a list of ids), there is no index, no token and no checksum, and a
// layer upload asks PUT …/layer for a place to put it (a 307 Location)
// first. dockerlab's registry (`dockerlab registry serve`) answers these
// too; --registry on the v0.1 daemon points it there.
//
// Divergences (docs/divergences.md "v0.1 registry"):
//   - the history is decoded as it is; 0.1.0 first replaced every "null"
//     in it with "" (corrupting, e.g., /dev/null in a command; fixed
//     upstream in e09383bc);
//   - every answer is bounded and every request has a timeout;
//   - a layer is tarred once (0.1.0 tarred it twice to learn its length).
package docker

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/v0_1/auth"
)

// REGISTRY_ENDPOINT is where 0.1.0 pulled from and pushed to.
const REGISTRY_ENDPOINT = auth.REGISTRY_SERVER + "/v1"

// maxRegistryJSON bounds a json answer of the registry.
const maxRegistryJSON = 16 << 20

// registryClient is the client of every call: 0.1.0 used http's default
// client, which waits for ever; this one gives up after a silent minute.
var registryClient = &http.Client{
	Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: time.Minute},
}

// registryRequest builds a request with the account's basic auth.
func registryRequest(method, url string, body io.Reader, authConfig *auth.AuthConfig) (*http.Request, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(authConfig.Username, authConfig.Password)
	return req, nil
}

// readRegistryJSON reads at most maxRegistryJSON bytes of an answer.
func readRegistryJSON(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxRegistryJSON+1))
	if err != nil {
		return nil, fmt.Errorf("Error while reading the http response: %s", err)
	}
	if len(b) > maxRegistryJSON {
		return nil, fmt.Errorf("the registry's answer is larger than %d bytes", maxRegistryJSON)
	}
	return b, nil
}

// NewMultipleImgJson decodes concatenated image json objects.
func NewMultipleImgJson(src []byte) ([]*Image, error) {
	var ret []*Image
	dec := json.NewDecoder(bytes.NewReader(src))
	for {
		m := &Image{}
		if err := dec.Decode(m); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		ret = append(ret, m)
	}
	return ret, nil
}

// getRemoteHistory is the json of an image and of each of its parents.
func (graph *Graph) getRemoteHistory(endpoint, imgId string, authConfig *auth.AuthConfig) ([]*Image, error) {
	req, err := registryRequest("GET", endpoint+"/images/"+imgId+"/history", nil, authConfig)
	if err != nil {
		return nil, err
	}
	res, err := registryClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("Internal server error: %d trying to fetch remote history for %s", res.StatusCode, imgId)
	}
	body, err := readRegistryJSON(res.Body)
	if err != nil {
		return nil, err
	}
	history, err := NewMultipleImgJson(body)
	if err != nil {
		return nil, fmt.Errorf("Error while parsing the json: %s", err)
	}
	return history, nil
}

// LookupRemoteImage says whether imgId names an image on the registry: the
// 2013 registry answered its json with a 307 to the storage.
func (graph *Graph) LookupRemoteImage(endpoint, imgId string, authConfig *auth.AuthConfig) bool {
	req, err := registryRequest("GET", endpoint+"/images/"+imgId+"/json", nil, authConfig)
	if err != nil {
		return false
	}
	res, err := registryClient.Transport.RoundTrip(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == 307
}

// getRemoteImage fetches an image's json and opens its layer.
func (graph *Graph) getRemoteImage(endpoint, imgId string, authConfig *auth.AuthConfig) (*Image, io.ReadCloser, error) {
	req, err := registryRequest("GET", endpoint+"/images/"+imgId+"/json", nil, authConfig)
	if err != nil {
		return nil, nil, err
	}
	res, err := registryClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return nil, nil, fmt.Errorf("Internal server error: %d trying to get image %s", res.StatusCode, imgId)
	}
	body, err := readRegistryJSON(res.Body)
	if err != nil {
		return nil, nil, err
	}
	img := &Image{}
	if err := json.Unmarshal(body, img); err != nil {
		return nil, nil, fmt.Errorf("Error while parsing the json: %s", err)
	}
	img.Id = imgId
	req, err = registryRequest("GET", endpoint+"/images/"+imgId+"/layer", nil, authConfig)
	if err != nil {
		return nil, nil, err
	}
	res, err = registryClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	if res.StatusCode != 200 {
		res.Body.Close()
		return nil, nil, fmt.Errorf("Internal server error: %d trying to get the layer of %s", res.StatusCode, imgId)
	}
	return img, res.Body, nil
}

// PullImage registers every image of imgId's history the graph lacks,
// in the order the registry lists them (the image first: 0.1.0's graph
// did not need the parent to be there).
func (graph *Graph) PullImage(endpoint, imgId string, authConfig *auth.AuthConfig) error {
	history, err := graph.getRemoteHistory(endpoint, imgId, authConfig)
	if err != nil {
		return err
	}
	for _, j := range history {
		if graph.Exists(j.Id) {
			continue
		}
		img, layer, err := graph.getRemoteImage(endpoint, j.Id, authConfig)
		if err != nil {
			return err
		}
		err = graph.Register(layer, img)
		layer.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// PullRepository pulls every tag of remote (askedTag is ignored, as in
// 0.1.0) and tags the images locally.
func (graph *Graph) PullRepository(stdout io.Writer, endpoint, remote, askedTag string, repositories *TagStore, authConfig *auth.AuthConfig) error {
	fmt.Fprintf(stdout, "Pulling repo: %s\n", endpoint+"/users/"+remote)
	req, err := registryRequest("GET", endpoint+"/users/"+remote, nil, authConfig)
	if err != nil {
		return err
	}
	res, err := registryClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("Internal server error: %d trying to pull %s", res.StatusCode, remote)
	}
	rawJson, err := readRegistryJSON(res.Body)
	if err != nil {
		return err
	}
	t := map[string]string{}
	if err := json.Unmarshal(rawJson, &t); err != nil {
		return err
	}
	for _, tag := range sortedTags(t) {
		rev := t[tag]
		if err := graph.PullImage(endpoint, rev, authConfig); err != nil {
			return err
		}
		if err := repositories.Set(remote, tag, rev, true); err != nil {
			return err
		}
	}
	return repositories.Save()
}

// PushImage sends the image and then each parent, child first; a parent
// the registry has (204) ends the walk's work for it.
func (graph *Graph) PushImage(stdout io.Writer, endpoint string, imgOrig *Image, authConfig *auth.AuthConfig) error {
	return imgOrig.WalkHistory(func(img *Image) error {
		jsonRaw, err := os.ReadFile(jsonPath(graph.imageRoot(img.Id)))
		if err != nil {
			return fmt.Errorf("Error while retreiving the path for {%s}: %s", img.Id, err)
		}
		fmt.Fprintf(stdout, "Pushing image [%s] on {%s}\n", img.Id, endpoint+"/images/"+img.Id+"/json")
		req, err := registryRequest("PUT", endpoint+"/images/"+img.Id+"/json", bytes.NewReader(jsonRaw), authConfig)
		if err != nil {
			return err
		}
		req.Header.Add("Content-type", "application/json")
		res, err := registryClient.Do(req)
		if err != nil {
			return fmt.Errorf("Error: Internal server error trying to push image {%s} (json): %s", img.Id, err)
		}
		res.Body.Close()
		switch res.StatusCode {
		case 200:
		case 204:
			fmt.Fprintf(stdout, "The image %s is already up to date on the registry.\n", img.Id)
			return nil
		case 400:
			return fmt.Errorf("Error: Invalid Json")
		default:
			return fmt.Errorf("Error: Internal server error: %d trying to push image {%s} (json)", res.StatusCode, img.Id)
		}

		// Ask where the layer goes: a 307 with a Location.
		req, err = registryRequest("PUT", endpoint+"/images/"+img.Id+"/layer", nil, authConfig)
		if err != nil {
			return err
		}
		res, err = registryClient.Transport.RoundTrip(req)
		if err != nil || res.StatusCode != 307 {
			if res != nil {
				res.Body.Close()
				return fmt.Errorf("Internal server error trying to push image {%s} (layer 1): %d", img.Id, res.StatusCode)
			}
			return fmt.Errorf("Internal server error trying to push image {%s} (layer 1): %s", img.Id, err)
		}
		res.Body.Close()
		location, err := res.Location()
		if err != nil {
			return fmt.Errorf("Fail to retrieve layer storage URL for image {%s}: %s", img.Id, err)
		}
		layer, err := img.layer()
		if err != nil {
			return err
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		if err := Tar(layer, zw); err != nil {
			return fmt.Errorf("Error while retrieving layer for {%s}: %s", img.Id, err)
		}
		if err := zw.Close(); err != nil {
			return err
		}
		req, err = registryRequest("PUT", location.String(), bytes.NewReader(gz.Bytes()), authConfig)
		if err != nil {
			return err
		}
		res, err = registryClient.Do(req)
		if err != nil {
			return fmt.Errorf("Error trying to push image {%s} (layer 2): %s", img.Id, err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("Error trying to push image {%s} (layer 2): (%d)", img.Id, res.StatusCode)
		}
		return nil
	})
}

// pushTag points remote:tag at revision. An empty tag is "lastest" — a
// typo of 0.1.0's kept because it is what 0.1.0 sent.
func (graph *Graph) pushTag(endpoint, remote, revision, tag string, authConfig *auth.AuthConfig) error {
	if tag == "" {
		tag = "lastest"
	}
	req, err := registryRequest("PUT", endpoint+"/users/"+remote+"/"+tag, strings.NewReader(`"`+revision+`"`), authConfig)
	if err != nil {
		return err
	}
	req.Header.Add("Content-type", "application/json")
	res, err := registryClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != 200 && res.StatusCode != 201 {
		return fmt.Errorf("Internal server error: %d trying to push tag %s on %s", res.StatusCode, tag, remote)
	}
	return nil
}

// PushRepository pushes each tag's image, then the tag.
func (graph *Graph) PushRepository(stdout io.Writer, endpoint, remote string, localRepo Repository, authConfig *auth.AuthConfig) error {
	for _, tag := range sortedTags(localRepo) {
		img, err := graph.Get(localRepo[tag])
		if err != nil {
			return err
		}
		if err := graph.PushImage(stdout, endpoint, img, authConfig); err != nil {
			return err
		}
		if err := graph.pushTag(endpoint, remote, img.Id, tag, authConfig); err != nil {
			return err
		}
	}
	return nil
}

// sortedTags lists a repository's tags in order (0.1.0 used map order).
func sortedTags[V any](m map[string]V) []string {
	tags := make([]string, 0, len(m))
	for t := range m {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	return tags
}
