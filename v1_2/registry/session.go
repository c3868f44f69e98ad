// The Session: every HTTP call 1.2's pull, push and search make to an
// index and its registries, with the cookie jar and the tokens the index
// hands out.
//
// Upstream: registry/session.go at v1.2.0 (Session, NewSession,
// GetRemoteHistory, LookupRemoteImage, GetRemoteImageJSON,
// GetRemoteImageLayer, GetRemoteTags, GetRepositoryData,
// PushImageChecksumRegistry, PushImageJSONRegistry,
// PushImageLayerRegistry, PushRegistryTag, PushImageJSONIndex,
// SearchRepositories, setTokenAuth).
// Book: ch.9 §9.5.2 创建session对象 and §9.5.3 执行镜像下载 (the calls pullRepository
// and pullImage make).
//
// Two kinds of host: the index (<index> = http://host/v1/) answers "which
// images, which tags, where, and a token"; each endpoint (<ep>) of
// X-Docker-Endpoints serves the images themselves and wants the token.
// A standalone registry is both.
//
// dockerlab bounds every JSON answer (maxJSONBody) and gives layer reads
// the receive timeout; 1.2 read JSON answers whole.
package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/pkg/tarsum"
)

// Session talks to one index and the registries it names.
type Session struct {
	authConfig    *AuthConfig
	reqFactory    *HTTPRequestFactory
	indexEndpoint string
	jar           *cookiejar.Jar
	timeout       TimeoutType
}

// NewSession makes the session of one pull, push or search. For a
// standalone https registry every request also carries the user's basic
// credentials (1.2's HTTPAuthDecorator).
func NewSession(authConfig *AuthConfig, factory *HTTPRequestFactory, indexEndpoint string, timeout bool) (*Session, error) {
	if factory == nil {
		factory = NewHTTPRequestFactory(nil)
	}
	r := &Session{authConfig: authConfig, indexEndpoint: indexEndpoint, reqFactory: factory}
	if timeout {
		r.timeout = ReceiveTimeout
	}
	var err error
	if r.jar, err = cookiejar.New(nil); err != nil {
		return nil, err
	}
	if indexEndpoint != INDEXSERVER && strings.HasPrefix(indexEndpoint, "https://") {
		info, err := pingRegistryEndpoint(indexEndpoint)
		if err != nil {
			return nil, err
		}
		if info.Standalone && authConfig != nil {
			factory.basicAuth = authConfig
		}
	}
	return r, nil
}

func (r *Session) doRequest(req *http.Request) (*http.Response, error) {
	resp, _, err := doRequest(req, r.jar, r.timeout)
	return resp, err
}

// HTTPRequestError is an answer with an unexpected status.
type HTTPRequestError struct {
	Message    string
	StatusCode int
}

func (e *HTTPRequestError) Error() string { return e.Message }

func httpError(resp *http.Response, format string, a ...interface{}) error {
	return &HTTPRequestError{Message: fmt.Sprintf(format, a...), StatusCode: resp.StatusCode}
}

// setTokenAuth sends the index's tokens to a registry, even none.
func setTokenAuth(req *http.Request, token []string) {
	req.Header.Set("Authorization", "Token "+strings.Join(token, ","))
}

// get sends a GET with the token and answers the response.
func (r *Session) get(target string, token []string) (*http.Response, error) {
	req, err := r.reqFactory.NewRequest("GET", target, nil)
	if err != nil {
		return nil, err
	}
	setTokenAuth(req, token)
	return r.doRequest(req)
}

// GetRemoteHistory is the ancestry of an image: its id first, the base
// layer last.
func (r *Session) GetRemoteHistory(imgID, registry string, token []string) ([]string, error) {
	res, err := r.get(registry+"images/"+imgID+"/ancestry", token)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		if res.StatusCode == 401 {
			return nil, errLoginRequired
		}
		return nil, httpError(res, "Server error: %d trying to fetch remote history for %s", res.StatusCode, imgID)
	}
	body, err := readJSONBody(res)
	if err != nil {
		return nil, err
	}
	var history []string
	if err := json.Unmarshal(body, &history); err != nil {
		return nil, fmt.Errorf("Error while reading the ancestry of %s from %s: %w", imgID, registry, err)
	}
	if len(history) == 0 || history[0] != imgID {
		return nil, fmt.Errorf("The ancestry of %s from %s does not start with the image itself", imgID, registry)
	}
	return history, nil
}

// LookupRemoteImage says whether a registry has an image (push asks it
// before sending one).
func (r *Session) LookupRemoteImage(imgID, registry string, token []string) bool {
	res, err := r.get(registry+"images/"+imgID+"/json", token)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == 200
}

// GetRemoteImageJSON is an image's json, byte for byte (its checksum
// covers these bytes), and the layer's size from X-Docker-Size (-1 when
// absent).
func (r *Session) GetRemoteImageJSON(imgID, registry string, token []string) ([]byte, int, error) {
	res, err := r.get(registry+"images/"+imgID+"/json", token)
	if err != nil {
		return nil, -1, fmt.Errorf("Failed to download json: %s", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return nil, -1, httpError(res, "HTTP code %d", res.StatusCode)
	}
	imageSize := -1
	if h := res.Header.Get("X-Docker-Size"); h != "" {
		if imageSize, err = strconv.Atoi(h); err != nil {
			return nil, -1, fmt.Errorf("X-Docker-Size %q is not a number", h)
		}
	}
	jsonString, err := readJSONBody(res)
	if err != nil {
		return nil, -1, fmt.Errorf("Failed to parse downloaded json: %s (%s)", err, jsonString)
	}
	return jsonString, imageSize, nil
}

// GetRemoteImageLayer opens an image's layer (a tar, plain or gzip); the
// caller closes it. Reads wait at most the receive timeout each.
func (r *Session) GetRemoteImageLayer(imgID, registry string, token []string) (io.ReadCloser, error) {
	res, err := r.get(registry+"images/"+imgID+"/layer", token)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != 200 {
		res.Body.Close()
		return nil, httpError(res, "Server error: Status %d while fetching image layer (%s)", res.StatusCode, imgID)
	}
	return res.Body, nil
}

// GetRemoteTags asks each registry in turn for {tag: id} of a repository.
// A name without a namespace is "library/<name>".
func (r *Session) GetRemoteTags(registries []string, repository string, token []string) (map[string]string, error) {
	if !strings.Contains(repository, "/") {
		repository = "library/" + repository
	}
	for _, host := range registries {
		res, err := r.get(fmt.Sprintf("%srepositories/%s/tags", host, repository), token)
		if err != nil {
			return nil, err
		}
		if res.StatusCode != 200 && res.StatusCode != 404 {
			res.Body.Close()
			continue
		}
		if res.StatusCode == 404 {
			res.Body.Close()
			return nil, fmt.Errorf("Repository not found")
		}
		body, err := readJSONBody(res)
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		result := map[string]string{}
		if err := json.Unmarshal(body, &result); err != nil {
			return nil, fmt.Errorf("the tags of %s from %s are not a JSON object of tag → id: %w", repository, host, err)
		}
		return result, nil
	}
	return nil, fmt.Errorf("Could not reach any registry endpoint")
}

// buildEndpointsList turns X-Docker-Endpoints ("host[:port]", comma
// separated, perhaps repeated) into endpoint URLs with the index's
// scheme.
func buildEndpointsList(headers []string, indexEp string) ([]string, error) {
	u, err := url.Parse(indexEp)
	if err != nil {
		return nil, err
	}
	var endpoints []string
	for _, h := range headers {
		for _, ep := range strings.Split(h, ",") {
			if ep = strings.TrimSpace(ep); ep == "" {
				continue
			}
			if strings.ContainsAny(ep, "/?#@ ") {
				return nil, fmt.Errorf("X-Docker-Endpoints names %q, which is not a host[:port]", ep)
			}
			endpoints = append(endpoints, fmt.Sprintf("%s://%s/v1/", u.Scheme, ep))
		}
	}
	return endpoints, nil
}

// indexGet sends a GET to the index asking for a token, with the user's
// basic credentials when there is a user.
func (r *Session) indexGet(target string) (*http.Response, error) {
	req, err := r.reqFactory.NewRequest("GET", target, nil)
	if err != nil {
		return nil, err
	}
	if r.authConfig != nil && r.authConfig.Username != "" {
		req.SetBasicAuth(r.authConfig.Username, r.authConfig.Password)
	}
	req.Header.Set("X-Docker-Token", "true")
	return r.doRequest(req)
}

// GetRepositoryData asks the index for a repository: its images, the
// registries holding them (X-Docker-Endpoints; the index itself when
// absent) and tokens (X-Docker-Token). The checksums of the body are
// ignored, as 1.2 ignored them.
func (r *Session) GetRepositoryData(remote string) (*RepositoryData, error) {
	res, err := r.indexGet(fmt.Sprintf("%srepositories/%s/images", r.indexEndpoint, remote))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode == 401 {
		return nil, errLoginRequired
	}
	if res.StatusCode != 200 {
		return nil, httpError(res, "HTTP code: %d", res.StatusCode)
	}
	var tokens []string
	if res.Header.Get("X-Docker-Token") != "" {
		tokens = res.Header["X-Docker-Token"]
	}
	var endpoints []string
	if res.Header.Get("X-Docker-Endpoints") != "" {
		if endpoints, err = buildEndpointsList(res.Header["X-Docker-Endpoints"], r.indexEndpoint); err != nil {
			return nil, err
		}
	} else {
		u, err := url.Parse(r.indexEndpoint)
		if err != nil {
			return nil, err
		}
		endpoints = append(endpoints, fmt.Sprintf("%s://%s/v1/", u.Scheme, res.Request.URL.Host))
	}
	body, err := readJSONBody(res)
	if err != nil {
		return nil, err
	}
	var remoteChecksums []*ImgData
	if err := json.Unmarshal(body, &remoteChecksums); err != nil {
		return nil, fmt.Errorf("the image list of %s is not a JSON list of {\"id\": …}: %w", remote, err)
	}
	imgsData := map[string]*ImgData{}
	for _, elem := range remoteChecksums {
		if elem != nil {
			imgsData[elem.ID] = elem
		}
	}
	return &RepositoryData{ImgList: imgsData, Endpoints: endpoints, Tokens: tokens}, nil
}

// PushImageChecksumRegistry sends the two checksums of a pushed layer.
func (r *Session) PushImageChecksumRegistry(imgData *ImgData, registry string, token []string) error {
	req, err := r.reqFactory.NewRequest("PUT", registry+"images/"+imgData.ID+"/checksum", nil)
	if err != nil {
		return err
	}
	setTokenAuth(req, token)
	req.Header.Set("X-Docker-Checksum", imgData.Checksum)
	req.Header.Set("X-Docker-Checksum-Payload", imgData.ChecksumPayload)
	res, err := r.doRequest(req)
	if err != nil {
		return fmt.Errorf("Failed to upload metadata: %s", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return registryErrorOf(res, "Error: Status %d trying to push checksum %s", res.StatusCode, imgData.ID)
	}
	return nil
}

// registryErrorOf reads a registry's {"error": …} body: "Image already
// exists" is ErrAlreadyExists, anything else an error naming the status.
func registryErrorOf(res *http.Response, format string, a ...interface{}) error {
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	var jsonBody map[string]string
	if json.Unmarshal(body, &jsonBody) == nil && jsonBody["error"] == ErrAlreadyExists.Error() {
		return ErrAlreadyExists
	}
	msg := fmt.Sprintf(format, a...)
	if len(body) > 0 {
		msg += ": " + strings.TrimSpace(string(body))
	}
	return httpError(res, "%s", msg)
}

// PushImageJSONRegistry sends an image's json, as stored.
func (r *Session) PushImageJSONRegistry(imgData *ImgData, jsonRaw []byte, registry string, token []string) error {
	req, err := r.reqFactory.NewRequest("PUT", registry+"images/"+imgData.ID+"/json", bytes.NewReader(jsonRaw))
	if err != nil {
		return err
	}
	req.Header.Add("Content-type", "application/json")
	setTokenAuth(req, token)
	res, err := r.doRequest(req)
	if err != nil {
		return fmt.Errorf("Failed to upload metadata: %s", err)
	}
	defer res.Body.Close()
	if res.StatusCode == 401 && strings.HasPrefix(registry, "http://") {
		return httpError(res, "HTTP code 401, Docker will not send auth headers over HTTP.")
	}
	if res.StatusCode != 200 {
		return registryErrorOf(res, "HTTP code %d while uploading metadata", res.StatusCode)
	}
	return nil
}

// PushImageLayerRegistry streams a layer (chunked) through TarSum, which
// sends it gzip-compressed and computes the tarsum on the way; the
// payload checksum is sha256(json + "\n" + the bytes sent). Both are
// returned for PushImageChecksumRegistry.
func (r *Session) PushImageLayerRegistry(imgID string, layer io.Reader, registry string, token []string, jsonRaw []byte) (checksum, checksumPayload string, err error) {
	ts := &tarsum.TarSum{Reader: layer}
	h := sha256.New()
	h.Write(jsonRaw)
	h.Write([]byte{'\n'})
	body := io.TeeReader(ts, h)
	req, err := r.reqFactory.NewRequest("PUT", registry+"images/"+imgID+"/layer", body)
	if err != nil {
		return "", "", err
	}
	req.ContentLength = -1
	req.TransferEncoding = []string{"chunked"}
	req.Header.Set("Content-Type", "application/octet-stream")
	setTokenAuth(req, token)
	res, err := r.doRequest(req)
	ts.Close() // ends the copy if the request stopped reading early
	if err != nil {
		return "", "", fmt.Errorf("Failed to upload layer: %s", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return "", "", registryErrorOf(res, "Received HTTP code %d while uploading layer", res.StatusCode)
	}
	if ts.Err() != nil {
		return "", "", ts.Err()
	}
	return ts.Sum(jsonRaw), "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// PushRegistryTag points a tag at an image on a registry.
func (r *Session) PushRegistryTag(remote, revision, tag, registry string, token []string) error {
	body := strconv.Quote(revision) // the JSON string "<id>"
	req, err := r.reqFactory.NewRequest("PUT", registry+"repositories/"+remote+"/tags/"+tag, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Add("Content-type", "application/json")
	setTokenAuth(req, token)
	req.ContentLength = int64(len(body))
	res, err := r.doRequest(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != 200 && res.StatusCode != 201 {
		return httpError(res, "Internal server error: %d trying to push tag %s on %s", res.StatusCode, tag, remote)
	}
	return nil
}

// PushImageJSONIndex tells the index about a push: first (validate false)
// the image list, answered with tokens and endpoints; at the end
// (validate true) the images with checksums, answered 204. Basic auth is
// always sent, even empty.
func (r *Session) PushImageJSONIndex(remote string, imgList []*ImgData, validate bool, regs []string) (*RepositoryData, error) {
	var imgListJSON []byte
	var err error
	if validate {
		var withChecksum []*ImgData
		for _, elem := range imgList {
			if elem.Checksum != "" {
				withChecksum = append(withChecksum, elem)
			}
		}
		if withChecksum == nil {
			withChecksum = []*ImgData{}
		}
		imgListJSON, err = json.Marshal(withChecksum)
	} else {
		imgListJSON, err = json.Marshal(imgList)
	}
	if err != nil {
		return nil, err
	}
	suffix := ""
	if validate {
		suffix = "images"
	}
	req, err := r.reqFactory.NewRequest("PUT", fmt.Sprintf("%srepositories/%s/%s", r.indexEndpoint, remote, suffix), bytes.NewReader(imgListJSON))
	if err != nil {
		return nil, err
	}
	req.Header.Add("Content-type", "application/json")
	var user, pass string
	if r.authConfig != nil {
		user, pass = r.authConfig.Username, r.authConfig.Password
	}
	req.SetBasicAuth(user, pass)
	req.ContentLength = int64(len(imgListJSON))
	req.Header.Set("X-Docker-Token", "true")
	if validate {
		req.Header["X-Docker-Endpoints"] = regs
	}
	res, err := r.doRequest(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode == 401 {
		return nil, errLoginRequired
	}
	var tokens, endpoints []string
	if !validate {
		if res.StatusCode != 200 && res.StatusCode != 201 {
			return nil, registryErrorOf(res, "Error: Status %d trying to push repository %s", res.StatusCode, remote)
		}
		if res.Header.Get("X-Docker-Token") == "" {
			return nil, fmt.Errorf("Index response didn't contain an access token")
		}
		tokens = res.Header["X-Docker-Token"]
		if res.Header.Get("X-Docker-Endpoints") == "" {
			return nil, fmt.Errorf("Index response didn't contain any endpoints")
		}
		if endpoints, err = buildEndpointsList(res.Header["X-Docker-Endpoints"], r.indexEndpoint); err != nil {
			return nil, err
		}
	} else if res.StatusCode != 204 {
		return nil, registryErrorOf(res, "Error: Status %d trying to push checksums %s", res.StatusCode, remote)
	}
	return &RepositoryData{Tokens: tokens, Endpoints: endpoints}, nil
}

// SearchRepositories is GET <index>search?q=term.
func (r *Session) SearchRepositories(term string) (*SearchResults, error) {
	res, err := r.indexGet(r.indexEndpoint + "search?q=" + url.QueryEscape(term))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return nil, httpError(res, "Unexepected status code %d", res.StatusCode)
	}
	body, err := readJSONBody(res)
	if err != nil {
		return nil, err
	}
	result := new(SearchResults)
	if err := json.Unmarshal(body, result); err != nil {
		return nil, fmt.Errorf("the search answer of %s is not JSON: %w", r.indexEndpoint, err)
	}
	return result, nil
}

// IndexEndpoint is the expanded index URL of the session.
func (r *Session) IndexEndpoint() string { return r.indexEndpoint }
