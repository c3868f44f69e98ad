// Tests for pulls from a v2 registry: Debian's docker-registry on
// loopback, filled by skopeo (internal/v2test), in each manifest format,
// and a registry that sends a corrupt blob or a huge manifest. Own tests:
// Docker 1.2 had no v2 client.
package graph

import (
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/internal/ocilayout"
	"github.com/dockerlab/dockerlab/internal/v2test"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// v2Fixture is a Debian registry holding a two-file image as
// library/hello:oci (an OCI manifest), :s2 (schema2) and :multi (an
// index of this platform and another).
func v2Fixture(t *testing.T) (*v2test.Registry, *ocilayout.Layout) {
	reg := v2test.Start(t)
	layout := v2test.WriteLayout(t, v2test.TarOf("bin/hello", "#!/bin/sh\necho hello\n", "etc/motd", "from a v2 registry\n"))
	reg.Copy(t, layout.Dir, "latest", "library/hello:oci")
	reg.Copy(t, layout.Dir, "latest", "library/hello:s2", "--format", "v2s2")
	reg.Copy(t, layout.Dir, "multi", "library/hello:multi", "--all")
	return reg, layout
}

func TestPullV2ManifestFormats(t *testing.T) {
	reg, _ := v2Fixture(t)
	f := newJobsFixture(t)
	name := reg.Host + "/library/hello"
	ids := map[string]string{}
	for _, tag := range []string{"oci", "s2", "multi"} {
		out, err := f.pull(t, name, tag)
		require.NoError(t, err, out)
		assert.Contains(t, out, tag+": Pulling from library/hello (registry v2, not in Docker 1.2)")
		assert.Contains(t, out, `"status":"Digest: sha256:`)
		img, err := f.store.LookupImage(name + ":" + tag)
		require.NoError(t, err, tag)
		ids[tag] = img.ID
		assert.Contains(t, string(img.Config), `"Cmd":["sh"]`, "%s: the config of %s/%s, not the other platform's", tag, runtime.GOOS, runtime.GOARCH)
		assert.Equal(t, "linux", img.OS)
		// The layer is in the driver: bin/hello is in the rootfs.
		dir, err := f.graph.Driver().Get(img.ID, "")
		require.NoError(t, err)
		b, err := os.ReadFile(dir + "/etc/motd")
		f.graph.Driver().Put(img.ID)
		require.NoError(t, err)
		assert.Equal(t, "from a v2 registry\n", string(b))
	}
	// Same layer and config: the same v1 id, whatever the manifest format.
	assert.Equal(t, ids["oci"], ids["multi"])
	assertNoHalfImages(t, f)

	// schema1: a client that does not take schema2 gets the registry's
	// rewrite, whose v1Compatibility json carries ids of its own.
	old := v2Accept
	v2Accept = []string{registry.MediaTypeDockerSchema1Signed, registry.MediaTypeDockerSchema1}
	defer func() { v2Accept = old }()
	out, err := f.pull(t, name, "s2")
	require.NoError(t, err, out)
	img, err := f.store.LookupImage(name + ":s2")
	require.NoError(t, err)
	raw, err := img.RawJson()
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"id":"`+img.ID+`"`)
	assert.NotEqual(t, ids["s2"], img.ID, "schema1's ids are the registry's, not derived here")
	assert.Contains(t, string(raw), `"throwaway":true`, "the rewrite marks the empty CMD layer")
	assertNoHalfImages(t, f)
}

func TestPullV2WrongDigestLeavesNothing(t *testing.T) {
	reg, layout := v2Fixture(t)
	blob := reg.BlobPath(layout.Layer)
	good, err := os.ReadFile(blob)
	require.NoError(t, err)
	bad := append([]byte(nil), good...)
	bad[len(bad)/2] ^= 0xff
	require.NoError(t, os.WriteFile(blob, bad, 0644))
	f := newJobsFixture(t)
	name := reg.Host + "/library/hello"
	_, err = f.pull(t, name, "s2")
	assert.ErrorContains(t, err, "do not match its digest")
	assertNoHalfImages(t, f)
	_, err = f.store.LookupImage(name + ":s2")
	assert.Error(t, err)
	entries, _ := os.ReadDir(f.graph.Root)
	for _, e := range entries {
		assert.NotEqual(t, 64, len(e.Name()), "no image directory: %s", e.Name())
	}
	require.NoError(t, os.WriteFile(blob, good, 0644))
	out, err := f.pull(t, name, "s2")
	require.NoError(t, err, out)
}

func TestPullV2RefusesAHugeManifest(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v2/":
			w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
		case strings.Contains(r.URL.Path, "/manifests/"):
			w.Header().Set("Content-Type", registry.MediaTypeDockerSchema2)
			w.Write([]byte(`{"schemaVersion":2,"layers":[`))
			for i := 0; i < 200000; i++ {
				w.Write([]byte(`{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"},`))
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	f := newJobsFixture(t)
	_, err := f.pull(t, strings.TrimPrefix(srv.URL, "http://")+"/library/huge", "latest")
	assert.ErrorContains(t, err, "larger than")
	assertNoHalfImages(t, f)
}
