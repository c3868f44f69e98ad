// Tests for the .dockercfg format of Docker 0.1.0 (auth/auth.go; reference
// docs/upstream/v0.1.0.md §2 "AuthConfig / .dockercfg").
package auth

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/internal/v1registry"
)

func TestEncodeDecode(t *testing.T) {
	c := &AuthConfig{Username: "ken", Password: "test", Email: "test@example.com"}
	encoded := EncodeAuth(c)
	assert.Equal(t, "a2VuOnRlc3Q=", encoded) // the value 0.1.0's own test checked

	back, err := DecodeAuth(encoded)
	require.NoError(t, err)
	assert.Equal(t, "ken", back.Username)
	assert.Equal(t, "test", back.Password)

	_, err = DecodeAuth("not base64!")
	assert.ErrorContains(t, err, "not base64")
	// A password with ":" cannot round-trip, as in 0.1.0.
	_, err = DecodeAuth(EncodeAuth(&AuthConfig{Username: "a", Password: "b:c"}))
	assert.ErrorContains(t, err, "exactly one")
}

func TestSaveWritesTwoLinesMode0600(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, SaveConfig(NewAuthConfig("ken", "test", "ken@example.com", root)))

	path := filepath.Join(root, ".dockercfg")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "auth = a2VuOnRlc3Q=\nemail = ken@example.com\n", string(data))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0600), info.Mode().Perm())

	loaded, err := LoadConfig(root)
	require.NoError(t, err)
	assert.Equal(t, "ken", loaded.Username)
	assert.Equal(t, "test", loaded.Password)
	assert.Equal(t, "ken@example.com", loaded.Email)

	// Saving again replaces the file; no temporary file is left behind.
	loaded.Email = "new@example.com"
	require.NoError(t, SaveConfig(loaded))
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	again, err := LoadConfig(root)
	require.NoError(t, err)
	assert.Equal(t, "new@example.com", again.Email)
}

func TestLoadMissingGivesEmptyConfigAndError(t *testing.T) {
	c, err := LoadConfig(t.TempDir())
	assert.ErrorIs(t, err, ErrConfigMissing)
	assert.EqualError(t, err, "The Auth config file is missing")
	require.NotNil(t, c) // 0.1.0's runtime relied on this
	assert.Equal(t, "", c.Username)
}

func TestLoadMalformedIsAnErrorNotAPanic(t *testing.T) {
	for name, content := range map[string]string{
		"empty":        "",
		"one line":     "auth = a2VuOnRlc3Q=",
		"no separator": "auth a2VuOnRlc3Q=\nemail = x\n",
		"swapped":      "email = x\nauth = a2VuOnRlc3Q=\n",
		"bad base64":   "auth = ???\nemail = x\n",
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(root, ".dockercfg"), []byte(content), 0600))
			c, err := LoadConfig(root)
			assert.Error(t, err)
			assert.Nil(t, c)
		})
	}
}

func TestSaveNeedsARoot(t *testing.T) {
	assert.ErrorContains(t, SaveConfig(&AuthConfig{Username: "x"}), "no root directory")
}

func TestLoginAgainstARegistry(t *testing.T) {
	accounts := filepath.Join(t.TempDir(), "accounts")
	require.NoError(t, os.WriteFile(accounts, []byte("ken:test\n"), 0600))
	for _, c := range []struct {
		name, user, pass string
		cfg              v1registry.Config
		status, err      string
	}{
		{"open registry: any account is created", "ken", "test", v1registry.Config{}, "Account Created\n", ""},
		{"known account, right password", "ken", "test", v1registry.Config{AuthFile: accounts}, "Login Succeeded\n", ""},
		{"known account, wrong password", "ken", "nope", v1registry.Config{AuthFile: accounts}, "", "Login:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.Root = t.TempDir()
			reg, err := v1registry.New(c.cfg)
			require.NoError(t, err)
			srv := httptest.NewServer(reg)
			defer srv.Close()
			root := t.TempDir()
			status, err := Login(NewAuthConfig(c.user, c.pass, "ken@example.com", root), srv.URL)
			if c.err != "" {
				assert.ErrorContains(t, err, c.err)
				_, statErr := os.Stat(filepath.Join(root, CONFIGFILE))
				assert.True(t, os.IsNotExist(statErr), "a failed login saves nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.status, status)
			saved, err := LoadConfig(root)
			require.NoError(t, err)
			assert.Equal(t, c.user, saved.Username)
		})
	}
}
