package cli

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/internal/v1registry"
)

// Docker 1.2's own client: login saves ~/.dockercfg, pull and push send
// its account in X-Registry-Auth to a registry that wants one, search
// finds what was pushed, logout forgets the account.
func TestV12ClientRegistryCommandsOnFake(t *testing.T) {
	h := fake.New()
	regHost := privateRegistry(t, h)
	home := t.TempDir()
	t.Setenv("HOME", home)
	host := startV12Daemon(t, h)
	run := func(stdin string, args ...string) (string, int) {
		out, errOut, code := v12(t, host, []byte(stdin), args...)
		return out + errOut, code
	}
	image := regHost + "/library/busybox"

	out, code := run("", "pull", image)
	assert.NotEqual(t, 0, code, "the registry wants an account")
	assert.Contains(t, out, "Authentication is required")

	out, code = run("wonderland\nalice@example.com\n", "login", "-u", "alice", regHost)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "Login Succeeded")
	cfg, err := os.ReadFile(filepath.Join(home, ".dockercfg"))
	require.NoError(t, err)
	assert.Contains(t, string(cfg), `"auth":"YWxpY2U6d29uZGVybGFuZA=="`, "base64 of alice:wonderland")

	out, code = run("", "pull", image)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "Download complete")
	out, code = run("", "tag", image, regHost+"/alice/box")
	require.Equal(t, 0, code, out)
	out, code = run("", "push", regHost+"/alice/box")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "Pushing tag for rev")
	out, code = run("", "search", regHost+"/alice")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "alice/box")

	out, code = run("", "logout", regHost)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "Remove login credentials for "+regHost)
	_, err = os.Stat(filepath.Join(home, ".dockercfg"))
	assert.True(t, os.IsNotExist(err), "the last account gone, the file goes")
	out, code = run("", "login", "-u", "alice", "-p", "wrong", regHost)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, out, "Wrong login/password")
}

// privateRegistry is a token-mode v1 registry on loopback holding
// library/busybox, for the account alice:wonderland only.
func privateRegistry(t *testing.T, h backend.Host) string {
	t.Helper()
	regRoot := t.TempDir()
	_, err := v1registry.Seed(regRoot, "library/busybox", "latest", []v1registry.SeedLayer{{Tar: rootfsTar(t, h)}}, nil)
	require.NoError(t, err)
	accounts := filepath.Join(t.TempDir(), "accounts")
	require.NoError(t, os.WriteFile(accounts, []byte("alice:wonderland\n"), 0600))
	reg, err := v1registry.New(v1registry.Config{Root: regRoot, AuthFile: accounts, Token: true})
	require.NoError(t, err)
	srv := httptest.NewServer(reg)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// build sends the whole ~/.dockercfg in X-Registry-Config, as 1.2's
// client did: FROM of an image the daemon lacks pulls it with the saved
// account of the image's registry, its progress in the build's output.
func TestV12ClientBuildPullsWithSavedAccountOnFake(t *testing.T) {
	h := fake.New()
	regHost := privateRegistry(t, h)
	t.Setenv("HOME", t.TempDir())
	host := startV12Daemon(t, h)
	dockerfile := "FROM " + regHost + "/library/busybox\nRUN echo pulled-for-the-build > /p\n"

	out, errOut, code := v12(t, host, []byte(dockerfile), "build", "-t", "frompriv", "-")
	assert.NotEqual(t, 0, code, "no account saved yet: %s", out)
	assert.Contains(t, out+errOut, "Authentication is required")

	out, errOut, code = v12(t, host, []byte("wonderland\nalice@example.com\n"), "login", "-u", "alice", regHost)
	require.Equal(t, 0, code, out+errOut)

	out, errOut, code = v12(t, host, []byte(dockerfile), "build", "-t", "frompriv", "-")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "Pulling repository "+regHost+"/library/busybox")
	assert.Contains(t, out, "Download complete")
	assert.Contains(t, out, "Successfully built ")
	out, errOut, code = v12(t, host, nil, "run", "--rm", "frompriv", "cat", "/p")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "pulled-for-the-build\n", out)

	// -t is checked before anything is sent, as 1.2's client did.
	_, errOut, code = v12(t, host, []byte(dockerfile), "build", "-t", "Bad/Name", "-")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "Invalid namespace name (Bad)")
}
