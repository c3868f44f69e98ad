// The request factory every registry call goes through: it stamps 1.2's
// User-Agent and the client's X-Meta-* headers on each request, and for
// a standalone https registry the user's basic credentials.
//
// Upstream: registry/httpfactory.go at v1.2.0 (HTTPRequestFactory),
// utils/http.go at v1.2.0 (HTTPRequestFactory, HTTPUserAgentDecorator,
// HTTPMetaHeadersDecorator, HTTPAuthDecorator).
// Book: ch.9 §9.5.2 创建session对象.
package registry

import (
	"fmt"
	"io"
	"net/http"
	"runtime"

	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
)

// HTTPRequestFactory makes requests with the same decorations.
type HTTPRequestFactory struct {
	metaHeaders map[string][]string
	basicAuth   *AuthConfig // set for a standalone https registry
}

// NewHTTPRequestFactory is registry.HTTPRequestFactory(metaHeaders).
func NewHTTPRequestFactory(metaHeaders map[string][]string) *HTTPRequestFactory {
	return &HTTPRequestFactory{metaHeaders: metaHeaders}
}

// KernelVersion answers the kernel release for the User-Agent; builtins
// sets it (the registry does not ask the kernel itself).
var KernelVersion = func() string { return "" }

// UserAgent is what 1.2 said it was: docker, go, commit, kernel, os, arch.
func UserAgent() string {
	return fmt.Sprintf("docker/%s go/%s git-commit/%s kernel/%s os/%s arch/%s",
		dockerversion.VERSION, runtime.Version(), dockerversion.GITCOMMIT, KernelVersion(), runtime.GOOS, runtime.GOARCH)
}

// NewRequest builds a decorated request.
func (f *HTTPRequestFactory) NewRequest(method, urlStr string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequest(method, urlStr, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", UserAgent())
	if f == nil {
		return req, nil
	}
	for k, v := range f.metaHeaders {
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	if f.basicAuth != nil {
		req.SetBasicAuth(f.basicAuth.Username, f.basicAuth.Password)
	}
	return req, nil
}
