// The client side of the registry v2 protocol (the OCI distribution
// API): version check, bearer tokens, manifests and blobs. Docker 1.2
// knew only v1; every registry today speaks only v2, so dockerlab pulls
// from one too and registers what it gets in 1.2's graph
// (graph/pull_v2.go).
//
// Not upstream: Docker 1.2 had no v2 client. 1.3.0 added a pre-spec one
// (registry/session_v2.go, URLs /v2/manifest/…), 1.6.0 the final API,
// 1.10.0 schema2 manifests. The types, media types and digests come from
// github.com/opencontainers/image-spec and go-digest.
// Book: ch.9 §9.6 总结 (what changed after 1.2, chapters/09-pull).
//
// Every answer is bounded (a manifest 4 MiB, a config 8 MiB), every blob
// is checked against its digest before anything uses it, redirects stop
// after 10, and a read waits at most the receive timeout.
package registry

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// The media types of manifests. The Docker ones are plain strings: no
// maintained library exports them without pulling in a whole client.
const (
	MediaTypeDockerSchema1       = "application/vnd.docker.distribution.manifest.v1+json"
	MediaTypeDockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
	MediaTypeDockerSchema2       = "application/vnd.docker.distribution.manifest.v2+json"
	MediaTypeDockerManifestList  = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// ManifestAccept is what a v2 pull says it understands, in order.
var ManifestAccept = []string{
	ocispec.MediaTypeImageIndex,
	MediaTypeDockerManifestList,
	ocispec.MediaTypeImageManifest,
	MediaTypeDockerSchema2,
	MediaTypeDockerSchema1Signed,
	MediaTypeDockerSchema1,
}

const (
	maxManifest = 4 << 20
	// MaxConfigBlob bounds an image config blob.
	MaxConfigBlob = 8 << 20
)

// V2Session talks to one v2 registry about one repository.
type V2Session struct {
	Base       string // "http://127.0.0.1:5000/v2/"
	Name       string // the repository on that registry
	authConfig *AuthConfig
	factory    *HTTPRequestFactory

	mu    sync.Mutex
	token string // a bearer token, once a 401 asked for one
}

// v2Host maps 1.2's index to where Docker Hub serves v2 today.
func v2Host(hostname string) string {
	if hostname == INDEXSERVER {
		return "registry-1.docker.io"
	}
	return hostname
}

// PingV2 says whether hostname answers the v2 protocol: GET /v2/ over
// https, then http, answering 200, or 401 with the v2 version header.
func PingV2(hostname string) (string, bool) {
	host := v2Host(hostname)
	for _, scheme := range []string{"https", "http"} {
		base := scheme + "://" + host + "/v2/"
		req, err := http.NewRequest("GET", base, nil)
		if err != nil {
			return "", false
		}
		resp, _, err := doRequest(req, nil, ConnectTimeout)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == 200 || resp.StatusCode == 401 && strings.Contains(resp.Header.Get("Docker-Distribution-API-Version"), "registry/2.0") {
			return base, true
		}
	}
	return "", false
}

// NewV2Session prepares calls about repository name at base. A Docker
// Hub name without a namespace is library/<name>.
func NewV2Session(base, hostname, name string, authConfig *AuthConfig, factory *HTTPRequestFactory) *V2Session {
	if hostname == INDEXSERVER && !strings.Contains(name, "/") {
		name = "library/" + name
	}
	if factory == nil {
		factory = NewHTTPRequestFactory(nil)
	}
	return &V2Session{Base: base, Name: name, authConfig: authConfig, factory: factory}
}

// do sends a GET, fetching a bearer token once if the registry asks.
func (s *V2Session) do(target string, accept []string) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		req, err := s.factory.NewRequest("GET", target, nil)
		if err != nil {
			return nil, err
		}
		for _, a := range accept {
			req.Header.Add("Accept", a)
		}
		s.mu.Lock()
		if s.token != "" {
			req.Header.Set("Authorization", "Bearer "+s.token)
		}
		s.mu.Unlock()
		resp, _, err := doRequest(req, nil, ReceiveTimeout)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != 401 || attempt > 0 {
			return resp, nil
		}
		challenge := resp.Header.Get("WWW-Authenticate")
		resp.Body.Close()
		if err := s.fetchToken(challenge); err != nil {
			return nil, err
		}
	}
}

// fetchToken answers a "Bearer realm=…,service=…,scope=…" challenge.
func (s *V2Session) fetchToken(challenge string) error {
	scheme, params, _ := strings.Cut(challenge, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return fmt.Errorf("the registry wants %q authentication, which a v2 pull does not speak", scheme)
	}
	p := map[string]string{}
	for _, kv := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		p[strings.ToLower(k)] = strings.Trim(v, `"`)
	}
	realm, err := url.Parse(p["realm"])
	if err != nil || realm.Scheme == "" {
		return fmt.Errorf("the registry's token realm %q is not a URL", p["realm"])
	}
	q := realm.Query()
	if p["service"] != "" {
		q.Set("service", p["service"])
	}
	scope := p["scope"]
	if scope == "" {
		scope = "repository:" + s.Name + ":pull"
	}
	q.Set("scope", scope)
	realm.RawQuery = q.Encode()
	req, err := s.factory.NewRequest("GET", realm.String(), nil)
	if err != nil {
		return err
	}
	if s.authConfig != nil && s.authConfig.Username != "" {
		req.SetBasicAuth(s.authConfig.Username, s.authConfig.Password)
	}
	resp, _, err := doRequest(req, nil, ConnectTimeout)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("the token server %s answered %s", realm.Host, resp.Status)
	}
	body, err := readJSONBody(resp)
	if err != nil {
		return err
	}
	var tok struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil {
		return fmt.Errorf("the token server's answer is not JSON: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token = tok.Token; s.token == "" {
		s.token = tok.AccessToken
	}
	return nil
}

// GetManifest fetches a manifest by tag or digest: its bytes, media type
// and digest. A manifest fetched by digest must hash to it.
func (s *V2Session) GetManifest(ref string, accept []string) ([]byte, string, digest.Digest, error) {
	resp, err := s.do(s.Base+s.Name+"/manifests/"+ref, accept)
	if err != nil {
		return nil, "", "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == 404 {
		return nil, "", "", fmt.Errorf("manifest for %s:%s not found", s.Name, ref)
	}
	if resp.StatusCode != 200 {
		return nil, "", "", &HTTPRequestError{Message: fmt.Sprintf("manifest %s:%s: %s", s.Name, ref, resp.Status), StatusCode: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxManifest+1))
	if err != nil {
		return nil, "", "", fmt.Errorf("reading manifest %s:%s: %w", s.Name, ref, err)
	}
	if len(body) > maxManifest {
		return nil, "", "", fmt.Errorf("manifest %s:%s is larger than %d bytes: refused", s.Name, ref, maxManifest)
	}
	dgst := digest.FromBytes(body)
	if want, err := digest.Parse(ref); err == nil && want != dgst {
		return nil, "", "", fmt.Errorf("manifest %s@%s: the registry sent bytes whose digest is %s", s.Name, ref, dgst)
	}
	mediaType, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	return body, strings.TrimSpace(mediaType), dgst, nil
}

// GetBlob opens a blob; the caller checks its digest while reading
// (OpenVerified) and closes it.
func (s *V2Session) GetBlob(dgst digest.Digest) (io.ReadCloser, int64, error) {
	if err := dgst.Validate(); err != nil {
		return nil, 0, fmt.Errorf("blob digest %q: %w", dgst, err)
	}
	resp, err := s.do(s.Base+s.Name+"/blobs/"+dgst.String(), nil)
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != 200 {
		resp.Body.Close()
		return nil, 0, &HTTPRequestError{Message: fmt.Sprintf("blob %s: %s", dgst, resp.Status), StatusCode: resp.StatusCode}
	}
	return resp.Body, resp.ContentLength, nil
}

// Tags lists a repository's tags (GET <name>/tags/list).
func (s *V2Session) Tags() ([]string, error) {
	resp, err := s.do(s.Base+s.Name+"/tags/list", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("tags of %s: %s", s.Name, resp.Status)
	}
	body, err := readJSONBody(resp)
	if err != nil {
		return nil, err
	}
	var list struct {
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("tags of %s: not JSON: %w", s.Name, err)
	}
	return list.Tags, nil
}

// ReadVerified reads a whole blob of at most max bytes and checks its
// digest.
func ReadVerified(r io.Reader, dgst digest.Digest, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("blob %s is larger than %d bytes: refused", dgst, max)
	}
	if got := digest.FromBytes(b); got != dgst {
		return nil, fmt.Errorf("blob %s: the registry sent bytes whose digest is %s", dgst, got)
	}
	return b, nil
}
