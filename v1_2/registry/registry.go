// Package registry is Docker 1.2.0's client of the v1 registry protocol:
// how a name becomes a registry host and a remote name, how a host
// becomes an endpoint URL (https first, http if that fails), the HTTP
// client every call uses, and (session.go) every call itself.
//
// Upstream: registry/registry.go at v1.2.0 (ResolveRepositoryName,
// validateRepositoryName, ExpandAndVerifyRegistryUrl,
// pingRegistryEndpoint, newClient, doRequest,
// AddRequiredHeadersToRedirectedRequests, ErrInvalidRepositoryName),
// utils/timeoutconn.go at v1.2.0 (TimeoutConn, as timeoutConn).
// Book: ch.9 §9.5.2 创建session对象 (the endpoint is resolved and pinged
// before the session is made); ch.1 §1.4.1 (docker pull's path).
//
// Left out: the client certificates of /etc/docker/certs.d/<host>/ (1.2
// tried each *.cert/*.key pair in turn); a classroom registry is on
// loopback and speaks plain http, which 1.2 fell back to silently.
package registry

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

var (
	// ErrAlreadyExists is a registry's "this image is there already".
	ErrAlreadyExists = errors.New("Image already exists")
	// ErrInvalidRepositoryName is 1.2's answer to a name with a scheme.
	ErrInvalidRepositoryName = errors.New("Invalid repository name (ex: \"registry.domain.tld/myrepos\")")
	errLoginRequired         = errors.New("Authentication is required.")
)

// TimeoutType says which deadline the HTTP client puts on a connection.
type TimeoutType uint32

const (
	NoTimeout      TimeoutType = iota // push: a big layer may take long
	ReceiveTimeout                    // pull, search: a read may wait 1 minute
	ConnectTimeout                    // ping: 5 s to connect, 10 s in all
)

// receiveTimeout is how long one read may block (1.2's 1 minute). Tests
// shorten it.
var receiveTimeout = time.Minute

// SetReceiveTimeout changes the receive timeout (tests of a silent
// registry); the answer puts the old one back.
func SetReceiveTimeout(d time.Duration) (restore func()) {
	old := receiveTimeout
	receiveTimeout = d
	return func() { receiveTimeout = old }
}

// maxJSONBody bounds every JSON answer a registry sends: image lists,
// tags, ancestries, image json. A registry that sends more is broken or
// hostile (1.2 read them whole, unbounded).
const maxJSONBody = 16 << 20

// defaultIndex is the index a name without a host goes to. 1.2 had only
// Docker Hub; dockerlab lets the daemon point it at a registry of its own
// (--default-registry; docs/divergences.md).
var (
	indexMu      sync.RWMutex
	defaultIndex = ""
)

// INDEXSERVER is Docker Hub's index, 1.2's default.
const INDEXSERVER = "https://index.docker.io/v1/"

// IndexServerAddress is where a name without a registry host goes: Docker
// Hub, or the host given to SetDefaultIndex.
func IndexServerAddress() string {
	indexMu.RLock()
	defer indexMu.RUnlock()
	if defaultIndex != "" {
		return defaultIndex
	}
	return INDEXSERVER
}

// SetDefaultIndex makes host ("127.0.0.1:5000") the registry of names
// without a host; "" puts Docker Hub back. Not upstream.
func SetDefaultIndex(host string) {
	indexMu.Lock()
	defer indexMu.Unlock()
	defaultIndex = host
}

var (
	validNamespace = regexp.MustCompile(`^([a-z0-9_]{4,30})$`)
	validRepo      = regexp.MustCompile(`^([a-z0-9-_.]+)$`)
)

// validateRepositoryName checks "[namespace/]name" as 1.2 did: a
// namespace of 4 to 30 of [a-z0-9_] ("library" when absent), a name of
// [a-z0-9-_.]. dockerlab also refuses "." and ".." as a name: they would
// be path steps on the registry's disk and in its URLs.
func validateRepositoryName(repositoryName string) error {
	namespace, name := "library", repositoryName
	if parts := strings.SplitN(repositoryName, "/", 2); len(parts) == 2 {
		namespace, name = parts[0], parts[1]
	}
	if !validNamespace.MatchString(namespace) {
		return fmt.Errorf("Invalid namespace name (%s), only [a-z0-9_] are allowed, size between 4 and 30", namespace)
	}
	if !validRepo.MatchString(name) || name == "." || name == ".." {
		return fmt.Errorf("Invalid repository name (%s), only [a-z0-9-_.] are allowed", name)
	}
	return nil
}

// ResolveRepositoryName splits a name into the registry host and the name
// on that registry: "localhost:5000/busybox" → ("localhost:5000",
// "busybox"); "busybox" or "user/app" → (IndexServerAddress(), name). A
// first part is a host when it holds '.' or ':' or is "localhost".
func ResolveRepositoryName(reposName string) (string, string, error) {
	if strings.Contains(reposName, "://") {
		return "", "", ErrInvalidRepositoryName
	}
	nameParts := strings.SplitN(reposName, "/", 2)
	if len(nameParts) == 1 || (!strings.Contains(nameParts[0], ".") && !strings.Contains(nameParts[0], ":") && nameParts[0] != "localhost") {
		if err := validateRepositoryName(reposName); err != nil {
			return "", "", err
		}
		return IndexServerAddress(), reposName, nil
	}
	hostname, reposName := nameParts[0], nameParts[1]
	if strings.Contains(hostname, "index.docker.io") {
		return "", "", fmt.Errorf("Invalid repository name, try \"%s\" instead", reposName)
	}
	if err := validateRepositoryName(reposName); err != nil {
		return "", "", err
	}
	return hostname, reposName, nil
}

// ExpandAndVerifyRegistryUrl turns a host into a pinged endpoint URL:
// https://host/v1/ if it answers, else http://host/v1/. 1.2 fell back to
// http on any error, silently (--insecure-registry came in 1.3.1).
func ExpandAndVerifyRegistryUrl(hostname string) (string, error) {
	if hostname == INDEXSERVER {
		return hostname, nil
	}
	if strings.HasPrefix(hostname, "http:") || strings.HasPrefix(hostname, "https:") {
		if !strings.HasSuffix(hostname, "/") {
			hostname += "/"
		}
		if strings.Count(hostname, "/") == 3 { // scheme://host/ : no path
			hostname += "v1/"
		}
		if _, err := pingRegistryEndpoint(hostname); err != nil {
			return "", fmt.Errorf("Invalid Registry endpoint: %w", err)
		}
		return hostname, nil
	}
	endpoint := fmt.Sprintf("https://%s/v1/", hostname)
	if _, err := pingRegistryEndpoint(endpoint); err != nil {
		endpoint = fmt.Sprintf("http://%s/v1/", hostname)
		if _, err = pingRegistryEndpoint(endpoint); err != nil {
			return "", fmt.Errorf("Invalid Registry endpoint: %w", err)
		}
	}
	return endpoint, nil
}

// RegistryInfo is what /v1/_ping says about a registry.
type RegistryInfo struct {
	Version    string `json:"version"`
	Standalone bool   `json:"standalone"`
}

// pingRegistryEndpoint asks <endpoint>_ping. Any 2xx is a registry; the
// body and the X-Docker-Registry-* headers are optional details. A
// registry is standalone unless it says otherwise.
func pingRegistryEndpoint(endpoint string) (RegistryInfo, error) {
	if endpoint == INDEXSERVER {
		return RegistryInfo{Standalone: false}, nil // Docker Hub is never pinged
	}
	req, err := http.NewRequest("GET", endpoint+"_ping", nil)
	if err != nil {
		return RegistryInfo{}, err
	}
	resp, _, err := doRequest(req, nil, ConnectTimeout)
	if err != nil {
		return RegistryInfo{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return RegistryInfo{}, fmt.Errorf("%s_ping answered %s, not a v1 registry", endpoint, resp.Status)
	}
	body, err := readJSONBody(resp)
	if err != nil {
		return RegistryInfo{}, err
	}
	info := RegistryInfo{Standalone: true}
	_ = json.Unmarshal(body, &info) // 1.2 ignored a body it could not read
	if v := resp.Header.Get("X-Docker-Registry-Version"); v != "" {
		info.Version = v
	}
	switch s := resp.Header.Get("X-Docker-Registry-Standalone"); {
	case strings.EqualFold(s, "true") || s == "1":
		info.Standalone = true
	case s != "":
		info.Standalone = false
	}
	return info, nil
}

// newClient makes the client of one request: keep-alives off, the
// environment's proxy, a cookie jar (the session's), and the timeout.
func newClient(jar http.CookieJar, timeout TimeoutType) *http.Client {
	transport := &http.Transport{
		DisableKeepAlives:     true,
		Proxy:                 http.ProxyFromEnvironment,
		ResponseHeaderTimeout: 2 * receiveTimeout,
	}
	switch timeout {
	case ConnectTimeout:
		transport.Dial = func(network, addr string) (net.Conn, error) {
			conn, err := net.DialTimeout(network, addr, 5*time.Second)
			if err != nil {
				return nil, err
			}
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			return conn, nil
		}
	case ReceiveTimeout:
		transport.Dial = func(network, addr string) (net.Conn, error) {
			conn, err := net.DialTimeout(network, addr, 30*time.Second)
			if err != nil {
				return nil, err
			}
			return &timeoutConn{Conn: conn, timeout: receiveTimeout}, nil
		}
	}
	return &http.Client{Transport: transport, CheckRedirect: AddRequiredHeadersToRedirectedRequests, Jar: jar}
}

// timeoutConn gives every read its own deadline: a registry that stops
// sending in the middle of a layer fails the read instead of hanging the
// pull (upstream utils.NewTimeoutConn).
type timeoutConn struct {
	net.Conn
	timeout time.Duration
}

func (c *timeoutConn) Read(b []byte) (int, error) {
	c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
	return c.Conn.Read(b)
}

// doRequest sends req with a fresh client.
func doRequest(req *http.Request, jar http.CookieJar, timeout TimeoutType) (*http.Response, *http.Client, error) {
	client := newClient(jar, timeout)
	resp, err := client.Do(req)
	return resp, client, err
}

// maxRedirects stops a registry that redirects in a loop (1.2 relied on
// Go's default of 10; the number is kept).
const maxRedirects = 10

// AddRequiredHeadersToRedirectedRequests copies the first request's
// headers onto each redirect, except Authorization, which only follows to
// Docker's own https hosts.
func AddRequiredHeadersToRedirectedRequests(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects (a redirect loop?) at %s", maxRedirects, req.URL)
	}
	if len(via) == 0 {
		return nil
	}
	first := via[0]
	trusted := func(r *http.Request) bool {
		host := r.URL.Host
		return r.URL.Scheme == "https" && (strings.HasSuffix(host, "docker.com") || strings.HasSuffix(host, "docker.io"))
	}
	for k, v := range first.Header {
		if k == "Authorization" && !(trusted(first) && trusted(req)) {
			continue
		}
		req.Header[k] = v
	}
	return nil
}

// readJSONBody reads a JSON answer, refusing one over maxJSONBody.
func readJSONBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s: %w", resp.Request.URL, err)
	}
	if len(body) > maxJSONBody {
		return nil, fmt.Errorf("the answer of %s is larger than %d bytes: refused", resp.Request.URL, maxJSONBody)
	}
	return body, nil
}
