// FROM of an image the daemon does not have: the build runs the
// registry's "pull" job (v1_2/graph pull.go), whose progress goes into
// the build's stream, against dockerlab's v1 registry on loopback.
package daemon

import (
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/internal/v1registry"
	"github.com/dockerlab/dockerlab/v1_2/archive"
)

// seededRegistry serves library/busybox (the backend's test rootfs as one
// layer) on 127.0.0.1 at a port of its own; with accounts, only to them.
func seededRegistry(t *testing.T, h backend.Host, accounts string) string {
	t.Helper()
	root := t.TempDir()
	layer, err := archive.Tar(backendtest.Rootfs(t, h), archive.Uncompressed)
	require.NoError(t, err)
	data, err := io.ReadAll(layer)
	layer.Close()
	require.NoError(t, err)
	_, err = v1registry.Seed(root, "library/busybox", "latest", []v1registry.SeedLayer{{Tar: data, Comment: "the test rootfs"}}, nil)
	require.NoError(t, err)
	cfg := v1registry.Config{Root: root}
	if accounts != "" {
		cfg.AuthFile = t.TempDir() + "/accounts"
		require.NoError(t, os.WriteFile(cfg.AuthFile, []byte(accounts), 0o600))
	}
	reg, err := v1registry.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(reg)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestBuildFromPullsFake(t *testing.T) { buildFromPulls(t, fake.New(), "10.114.0.1/16") }

func buildFromPulls(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	host := seededRegistry(t, h, "")
	name := host + "/library/busybox"
	before := l.imageCount(t)

	out, err := l.build(t, dockerfileOnly(t, "FROM "+name, "RUN echo built-on-pulled > /p"), "t=frompull")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Step 0 : FROM "+name+"\n")
	assert.Contains(t, out, "Pulling repository "+name, "the pull job's progress is in the build's stream")
	assert.Contains(t, out, "Download complete")
	assert.Contains(t, out, "Step 1 : RUN echo built-on-pulled > /p\n")
	builtID(t, out)
	assert.Equal(t, "built-on-pulled\n", l.runImage(t, "frompull", "cat", "/p"))
	_, err = l.d.repositories.LookupImage(name)
	assert.NoError(t, err, "the pulled image is tagged as pulled")

	// A name the registry does not have: the pull job's error ends the
	// build, and nothing is half made.
	n := l.imageCount(t)
	assert.Greater(t, n, before)
	out, err = l.build(t, dockerfileOnly(t, "FROM "+host+"/library/nosuch", "RUN true"))
	require.Error(t, err, out)
	assert.Contains(t, err.Error(), "library/nosuch")
	assert.Equal(t, n, l.imageCount(t))

	// The image is here now: no second pull, every step from the cache.
	out, err = l.build(t, dockerfileOnly(t, "FROM "+name, "RUN echo built-on-pulled > /p"))
	require.NoError(t, err, out)
	assert.NotContains(t, out, "Pulling repository")
	assert.Contains(t, out, " ---> Using cache\n")
}

// The X-Registry-Config the server hands the build (the client's whole
// .dockercfg) gives FROM's pull the account of the image's registry
// (registry.ConfigFile.ResolveAuthConfig); without it, a registry that
// wants an account refuses.
func TestBuildFromPullsWithAccountFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.116.0.1/16")
	host := seededRegistry(t, fake.New(), "alice:wonderland\n")
	dockerfile := dockerfileOnly(t, "FROM "+host+"/library/busybox")

	out, err := l.build(t, dockerfile)
	require.Error(t, err, out)
	assert.Contains(t, err.Error(), "Authentication is required")

	others := `"https://index.docker.io/v1/":{"username":"bob","password":"x"}`
	out, err = l.build(t, dockerfile, `configFile={"configs":{`+others+`,"http://`+host+`/v1/":{"username":"alice","password":"wonderland"}}}`)
	require.NoError(t, err, out)
	assert.Contains(t, out, "Download complete")
}
