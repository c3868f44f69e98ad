// Tests for the v1 registry's refusals (paths, names, ids, sizes, missing
// tokens) and its token mode, through plain HTTP requests.
package v1registry

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestServer(t *testing.T, cfg Config) (*httptest.Server, string) {
	t.Helper()
	if cfg.Root == "" {
		cfg.Root = t.TempDir()
	}
	s, err := New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, cfg.Root
}

func do(t *testing.T, method, url string, body []byte, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

const id1 = "1111111111111111111111111111111111111111111111111111111111111111"

func TestRefusesPathTraversalInNamesAndIDs(t *testing.T) {
	srv, _ := newTestServer(t, Config{})
	for _, path := range []string{
		"/v1/images/../../etc/passwd/json",
		"/v1/images/..%2f..%2fetc/json",
		"/v1/images/" + strings.Repeat("a", 63) + "/json",
		"/v1/images/ABCDEF/layer",
		"/v1/repositories/../x/tags",
		"/v1/repositories/library/..%2f..%2fx/tags",
		"/v1/repositories/a/b/c/tags",
		"/v1/repositories/library/busybox/tags/..%2ftag_x",
		"/v1/users/library/..",
	} {
		resp, body := do(t, "GET", srv.URL+path, nil)
		assert.Contains(t, []int{400, 404}, resp.StatusCode, "%s → %s", path, body)
	}
	resp, body := do(t, "PUT", srv.URL+"/v1/repositories/library/busybox/tags/..", []byte(`"`+id1+`"`))
	assert.Equal(t, 400, resp.StatusCode, body)
	// A json whose id is not the URL's, and a parent that is not there.
	resp, body = do(t, "PUT", srv.URL+"/v1/images/"+id1+"/json", []byte(`{"id":"`+strings.Repeat("2", 64)+`"}`))
	assert.Equal(t, 400, resp.StatusCode, body)
	resp, body = do(t, "PUT", srv.URL+"/v1/images/"+id1+"/json", []byte(`{"id":"`+id1+`","parent":"../../x"}`))
	assert.Equal(t, 400, resp.StatusCode, body)
	assert.Contains(t, body, "non existing parent")
}

func TestRefusesBodiesOverTheBound(t *testing.T) {
	srv, root := newTestServer(t, Config{MaxJSON: 1024, MaxLayer: 4096})
	resp, body := do(t, "PUT", srv.URL+"/v1/images/"+id1+"/json", []byte(`{"id":"`+id1+`","pad":"`+strings.Repeat("x", 2000)+`"}`))
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, body)
	resp, body = do(t, "PUT", srv.URL+"/v1/images/"+id1+"/json", []byte(`{"id":"`+id1+`"}`))
	require.Equal(t, 200, resp.StatusCode, body)
	resp, body = do(t, "PUT", srv.URL+"/v1/images/"+id1+"/layer", bytes.Repeat([]byte("x"), 5000))
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, body)
	assert.False(t, Storage{Root: root}.ImageComplete(id1))
	resp, body = do(t, "PUT", srv.URL+"/v1/repositories/library/x/", bytes.Repeat([]byte(" "), 2000))
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, body)
	// An unfinished push is not served.
	resp, _ = do(t, "GET", srv.URL+"/v1/images/"+id1+"/json", nil)
	assert.Equal(t, 404, resp.StatusCode)
}

func TestChecksumMustMatchTheLayer(t *testing.T) {
	srv, root := newTestServer(t, Config{})
	do(t, "PUT", srv.URL+"/v1/images/"+id1+"/json", []byte(`{"id":"`+id1+`"}`))
	resp, _ := do(t, "PUT", srv.URL+"/v1/images/"+id1+"/layer", []byte("layer bytes"))
	require.Equal(t, 200, resp.StatusCode)
	resp, body := do(t, "PUT", srv.URL+"/v1/images/"+id1+"/checksum", nil, "X-Docker-Checksum", "tarsum+sha256:0", "X-Docker-Checksum-Payload", "sha256:0000")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Contains(t, body, "Checksum mismatch")
	assert.False(t, Storage{Root: root}.ImageComplete(id1))
}

func TestTokenModeWantsTheIndexToken(t *testing.T) {
	root := t.TempDir()
	_, err := Seed(root, "library/busybox", "latest", []SeedLayer{{Tar: make([]byte, 1024)}}, nil)
	require.NoError(t, err)
	srv, _ := newTestServer(t, Config{Root: root, Token: true})
	resp, _ := do(t, "GET", srv.URL+"/v1/_ping", nil)
	assert.Equal(t, "false", resp.Header.Get("X-Docker-Registry-Standalone"))
	// Without a token the registry part refuses.
	resp, _ = do(t, "GET", srv.URL+"/v1/repositories/library/busybox/tags", nil)
	assert.Equal(t, 401, resp.StatusCode)
	// The index hands one out with the image list...
	resp, _ = do(t, "GET", srv.URL+"/v1/repositories/busybox/images", nil, "X-Docker-Token", "true")
	require.Equal(t, 200, resp.StatusCode)
	tok := resp.Header.Get("X-Docker-Token")
	assert.Regexp(t, `^signature=[0-9a-f]+,repository="library/busybox",access=read$`, tok)
	tok = "Token " + tok
	assert.NotEmpty(t, resp.Header.Get("X-Docker-Endpoints"))
	// ...which opens the registry part, and earns a session cookie.
	resp, body := do(t, "GET", srv.URL+"/v1/repositories/library/busybox/tags", nil, "Authorization", tok)
	require.Equal(t, 200, resp.StatusCode, body)
	cookie := resp.Header.Get("Set-Cookie")
	require.Contains(t, cookie, "session=")
	resp, _ = do(t, "GET", srv.URL+"/v1/repositories/library/busybox/tags", nil, "Cookie", strings.Split(cookie, ";")[0])
	assert.Equal(t, 200, resp.StatusCode, "the cookie alone is enough")
	// A read token does not allow a push.
	resp, _ = do(t, "PUT", srv.URL+"/v1/images/"+id1+"/json", []byte(`{"id":"`+id1+`"}`), "Authorization", tok)
	assert.Equal(t, 401, resp.StatusCode)
	// A forged token does not work.
	resp, _ = do(t, "GET", srv.URL+"/v1/repositories/library/busybox/tags", nil, "Authorization", "Token signature=deadbeef,repository=\"library/busybox\",access=read")
	assert.Equal(t, 401, resp.StatusCode)
}

func TestSeedTwiceGivesTheSameID(t *testing.T) {
	root := t.TempDir()
	a, err := Seed(root, "busybox", "latest", []SeedLayer{{Tar: make([]byte, 1024)}}, nil)
	require.NoError(t, err)
	b, err := Seed(root, "busybox", "latest", []SeedLayer{{Tar: make([]byte, 1024)}}, nil)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	tags, err := Storage{Root: root}.Tags(Repo{"library", "busybox"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"latest": a}, tags)
}
