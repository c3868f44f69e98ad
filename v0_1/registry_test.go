// Tests for 0.1.0's registry client against dockerlab's registry on
// loopback: the 2013 endpoints (/v1/users/<repo>, /images/<id>/history,
// the 307 before a layer upload), pull of an image 1.2's layout holds,
// push child first, login. Own tests: 0.1.0 had none for registry.go.
package docker

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/internal/v1registry"
)

func TestPullPushLoginAgainstARegistry(t *testing.T) {
	regRoot := t.TempDir()
	accounts := filepath.Join(t.TempDir(), "accounts")
	require.NoError(t, os.WriteFile(accounts, []byte("ken:test\n"), 0600))
	reg, err := v1registry.New(v1registry.Config{Root: regRoot, AuthFile: accounts})
	require.NoError(t, err)
	hs := httptest.NewServer(reg)
	defer hs.Close()
	base, err := v1registry.Seed(regRoot, "library/busybox", "latest", []v1registry.SeedLayer{{Tar: fakeTar(t)}}, nil)
	require.NoError(t, err)

	host, root := newFakeHostWithBridge(t), filepath.Join(t.TempDir(), "root")
	srv, err := NewServer(host, root)
	require.NoError(t, err)
	srv.SetRegistry(hs.URL)
	// login: prompts, then the registry checks the account; .dockercfg
	// is written (0.1.0 used it only after a restart of the daemon).
	out := call(t, srv, "ken\ntest\nken@example.com\n", "login")
	assert.Contains(t, out, "Username (): Password: Email (): Login Succeeded\n")
	assert.FileExists(t, filepath.Join(srv.runtime.root, ".dockercfg"))
	assert.Contains(t, call(t, srv, "ken\nwrong\nx\n", "login"), "Error : Login:")
	// 0.1.0's quirk: the running daemon keeps the account it started
	// with (none), so this registry refuses it until the daemon restarts.
	assert.Contains(t, call(t, srv, "", "pull", "busybox"), "401")
	srv, err = NewServer(host, root)
	require.NoError(t, err)
	srv.SetRegistry(hs.URL)

	// pull a repository by name: /v1/users/busybox is library/busybox.
	out = call(t, srv, "", "pull", "busybox")
	assert.Contains(t, out, "Pulling repo: "+hs.URL+"/v1/users/busybox\n")
	assert.Contains(t, out, "Pull completed\n", out)
	assert.Regexp(t, `busybox +latest +`+base[:16], call(t, srv, "", "images"))

	// push a child image of it under ken/, child first, as 0.1.0 did.
	child := strings.TrimSpace(call(t, srv, string(fakeTar(t)), "import", "-", "ken/box"))
	require.Regexp(t, `^[0-9a-f]{16}$`, child)
	out = call(t, srv, "", "push", "ken/box")
	assert.Contains(t, out, "Pushing ken/box (1 tags) on ken/box...\n")
	assert.Contains(t, out, "Push completed\n", out)
	st := v1registry.Storage{Root: regRoot}
	assert.True(t, st.ImageComplete(child), "the 0.1.0 upload completes the image")
	tags, err := st.Tags(v1registry.Repo{Namespace: "ken", Name: "box"})
	require.NoError(t, err)
	assert.Equal(t, child, tags["latest"])

	// A second daemon with the same account pulls it back.
	root2 := filepath.Join(t.TempDir(), "root2")
	require.NoError(t, os.MkdirAll(root2, 0700))
	cfg, err := os.ReadFile(filepath.Join(root, ".dockercfg"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root2, ".dockercfg"), cfg, 0600))
	srv2, err := NewServer(host, root2)
	require.NoError(t, err)
	srv2.SetRegistry(hs.URL)
	out = call(t, srv2, "", "pull", "ken/box")
	assert.Contains(t, out, "Pull completed\n", out)
	assert.Regexp(t, `ken/box +latest +`+child, call(t, srv2, "", "images"))
	// A name without user/ is pushed under the login's user.
	assert.Contains(t, call(t, srv2, "", "push", "nosuch"), "No such image or repository: nosuch")
}
