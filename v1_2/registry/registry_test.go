// Tests for name resolution, endpoint expansion, login and search
// against dockerlab's v1 registry on loopback. Own tests; upstream's
// registry_test.go ran against a mock of Docker Hub.
package registry

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/internal/v1registry"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func TestResolveRepositoryName(t *testing.T) {
	for _, c := range []struct{ in, host, remote, err string }{
		{"busybox", INDEXSERVER, "busybox", ""},
		{"student/app", INDEXSERVER, "student/app", ""},
		{"localhost:5000/busybox", "localhost:5000", "busybox", ""},
		{"localhost/library/busybox", "localhost", "library/busybox", ""},
		{"127.0.0.1:5000/abcd/x", "127.0.0.1:5000", "abcd/x", ""},
		{"localhost:5000/abc/x", "", "", "Invalid namespace name (abc)"}, // 4 characters at least
		{"http://localhost/x", "", "", "Invalid repository name"},
		{"Busybox", "", "", "Invalid repository name (Busybox)"},
		{"localhost:5000/library/..", "", "", "Invalid repository name (..)"},
		{"index.docker.io/busybox", "", "", `try "busybox" instead`},
	} {
		host, remote, err := ResolveRepositoryName(c.in)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		assert.Equal(t, c.host, host, c.in)
		assert.Equal(t, c.remote, remote, c.in)
	}
	SetDefaultIndex("127.0.0.1:5000")
	defer SetDefaultIndex("")
	host, _, err := ResolveRepositoryName("busybox")
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:5000", host, "--default-registry replaces Docker Hub")
}

// startRegistry runs a v1 registry on 127.0.0.1 and answers its host.
func startRegistry(t *testing.T, cfg v1registry.Config) string {
	t.Helper()
	if cfg.Root == "" {
		cfg.Root = t.TempDir()
	}
	reg, err := v1registry.New(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(reg)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestExpandFallsBackToHTTPAndPings(t *testing.T) {
	host := startRegistry(t, v1registry.Config{})
	ep, err := ExpandAndVerifyRegistryUrl(host)
	require.NoError(t, err)
	assert.Equal(t, "http://"+host+"/v1/", ep, "https fails, http answers")
	info, err := pingRegistryEndpoint(ep)
	require.NoError(t, err)
	assert.True(t, info.Standalone)
	tokenHost := startRegistry(t, v1registry.Config{Token: true})
	info, err = pingRegistryEndpoint("http://" + tokenHost + "/v1/")
	require.NoError(t, err)
	assert.False(t, info.Standalone)
	// Something that is not a registry.
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	_, err = ExpandAndVerifyRegistryUrl(strings.TrimPrefix(plain.URL, "http://"))
	assert.ErrorContains(t, err, "Invalid Registry endpoint")
}

func TestAuthJob(t *testing.T) {
	accounts := filepath.Join(t.TempDir(), "accounts")
	// "{SHA}…" is htpasswd -s for "secret".
	require.NoError(t, os.WriteFile(accounts, []byte("alice:wonderland\nbob:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n"), 0600))
	open := startRegistry(t, v1registry.Config{})
	private := startRegistry(t, v1registry.Config{AuthFile: accounts})
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, NewService().Install(eng))
	login := func(server, user, pass string) (string, error) {
		job := eng.Job("auth")
		job.SetenvJson("authConfig", AuthConfig{Username: user, Password: pass, ServerAddress: server})
		var out strings.Builder
		job.Stdout.Add(&out)
		err := job.Run()
		return strings.TrimSpace(out.String()), err
	}
	out, err := login(open, "anyone", "x")
	require.NoError(t, err)
	assert.Contains(t, out, "Account created", "an open registry creates any account, as docker-registry did")
	out, err = login(private, "alice", "wonderland")
	require.NoError(t, err)
	assert.Equal(t, "Login Succeeded", out)
	out, err = login(private, "bob", "secret")
	require.NoError(t, err)
	assert.Equal(t, "Login Succeeded", out)
	_, err = login(private, "alice", "wrong")
	assert.ErrorContains(t, err, "Wrong login/password")
	_, err = login(private, "mallory", "x")
	assert.ErrorContains(t, err, "Wrong login/password")
}

func TestSearchJob(t *testing.T) {
	root := t.TempDir()
	host := startRegistry(t, v1registry.Config{Root: root})
	_, err := v1registry.Seed(root, "library/busybox", "latest", []v1registry.SeedLayer{{Tar: emptyTar()}}, nil)
	require.NoError(t, err)
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, NewService().Install(eng))
	job := eng.Job("search", host+"/busy")
	var out strings.Builder
	job.Stdout.Add(&out)
	require.NoError(t, job.Run())
	assert.Contains(t, out.String(), `"name":"library/busybox"`)
	assert.Contains(t, out.String(), `"is_official":true`)
}

func emptyTar() []byte { return make([]byte, 1024) }

func TestConfigFileRoundTripAndLegacy(t *testing.T) {
	dir := t.TempDir()
	cfg, err := LoadConfig(dir)
	require.NoError(t, err)
	cfg.Configs["localhost:5000"] = AuthConfig{Username: "ken", Password: "te:st", Email: "k@x"}
	require.NoError(t, SaveConfig(cfg))
	fi, err := os.Stat(filepath.Join(dir, CONFIGFILE))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0600), fi.Mode().Perm())
	cfg, err = LoadConfig(dir)
	require.NoError(t, err)
	got := cfg.ResolveAuthConfig("http://localhost:5000/v1/")
	assert.Equal(t, "ken", got.Username)
	assert.Equal(t, "te:st", got.Password)
	// 0.1.0's two-line file (note 002) still reads, as Docker Hub's.
	require.NoError(t, os.WriteFile(filepath.Join(dir, CONFIGFILE), []byte("auth = a2VuOnRlc3Q=\nemail = ken@example.com\n"), 0600))
	cfg, err = LoadConfig(dir)
	require.NoError(t, err)
	assert.Equal(t, "test", cfg.ResolveAuthConfig("").Password)
	require.NoError(t, os.WriteFile(filepath.Join(dir, CONFIGFILE), []byte("garbage"), 0600))
	_, err = LoadConfig(dir)
	assert.Error(t, err)
}
