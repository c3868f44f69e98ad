package etchosts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const standard = "127.0.0.1\tlocalhost\n" +
	"::1\tlocalhost ip6-localhost ip6-loopback\n" +
	"fe00::0\tip6-localnet\n" +
	"ff00::0\tip6-mcastprefix\n" +
	"ff02::1\tip6-allnodes\n" +
	"ff02::2\tip6-allrouters\n"

func TestBuildOwnLineThenStandardThenLinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hosts")
	require.NoError(t, Build(path, "172.17.0.3", "web", "", []Entry{{"db", "172.17.0.2"}, {"cache", "172.17.0.4"}}))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "172.17.0.3\tweb\n"+standard+"172.17.0.4\tcache\n172.17.0.2\tdb\n", string(got))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
}

func TestContentDomainAndNoIP(t *testing.T) {
	assert.Equal(t, "10.0.0.2\tweb.example.org web\n"+standard, string(Content("10.0.0.2", "web", "example.org", nil)))
	assert.Equal(t, standard, string(Content("", "web", "", nil)), "no address: no line of its own")
}
