// Tests for the pull and push jobs against dockerlab's v1 registry on
// loopback (internal/v1registry behind httptest): the happy paths, two
// pulls of one image at once, and a registry that misbehaves in every
// way the issue lists. Own tests; upstream tested pull against Docker
// Hub in integration/.
package graph

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/internal/v1registry"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// testRegistry is a v1 registry on 127.0.0.1 with a hook in front of it
// and a count of layer downloads per image id.
type testRegistry struct {
	root string
	host string // 127.0.0.1:port
	srv  *httptest.Server

	mu     sync.Mutex
	layers map[string]int
	hook   func(w http.ResponseWriter, r *http.Request) bool // true: handled
}

func newTestRegistry(t *testing.T, cfg v1registry.Config) *testRegistry {
	t.Helper()
	if cfg.Root == "" {
		cfg.Root = t.TempDir()
	}
	reg, err := v1registry.New(cfg)
	require.NoError(t, err)
	tr := &testRegistry{root: cfg.Root, layers: map[string]int{}}
	tr.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/layer") && r.Method == "GET" {
			tr.mu.Lock()
			tr.layers[strings.Split(r.URL.Path, "/")[3]]++
			tr.mu.Unlock()
		}
		tr.mu.Lock()
		hook := tr.hook
		tr.mu.Unlock()
		r.Header.Set("X-Test-Root", tr.root) // for hooks that read the storage
		if hook != nil && hook(w, r) {
			return
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(tr.srv.Close)
	tr.host = strings.TrimPrefix(tr.srv.URL, "http://")
	return tr
}

func (tr *testRegistry) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	tr.mu.Lock()
	tr.hook = h
	tr.mu.Unlock()
}

// oneFileTar is a tar holding one file.
func oneFileTar(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0644, Size: int64(len(content)), Typeflag: tar.TypeReg, ModTime: time.Unix(1408492800, 0)}))
	tw.Write([]byte(content))
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// seedChain seeds n one-file layers as repo:latest and answers the ids,
// base first.
func seedChain(t *testing.T, tr *testRegistry, repo string, n int) []string {
	t.Helper()
	var layers []v1registry.SeedLayer
	for i := 0; i < n; i++ {
		layers = append(layers, v1registry.SeedLayer{Tar: oneFileTar(t, fmt.Sprintf("file%d", i), strings.Repeat("x", 1000*(i+1))), Comment: fmt.Sprintf("layer %d", i)})
	}
	top, err := v1registry.Seed(tr.root, repo, "latest", layers, nil)
	require.NoError(t, err)
	anc, err := v1registry.Storage{Root: tr.root}.Ancestry(top)
	require.NoError(t, err)
	var ids []string
	for i := len(anc) - 1; i >= 0; i-- {
		ids = append(ids, anc[i])
	}
	return ids
}

func fastRetries(t *testing.T) {
	old := retryWait
	retryWait = time.Millisecond
	t.Cleanup(func() { retryWait = old })
}

// pull runs the pull job with json=true and answers its stream.
func (f *jobsFixture) pull(t *testing.T, name, tag string) (string, error) {
	return f.run(t, nil, "pull", []string{name, tag}, "json", "true", "parallel", "true")
}

// assertNoHalfImages: every image's parent is in the graph, and every
// image's layer is readable.
func assertNoHalfImages(t *testing.T, f *jobsFixture) {
	t.Helper()
	entries, err := os.ReadDir(f.graph.Root)
	require.NoError(t, err)
	for _, e := range entries {
		if !image.IsFullID(e.Name()) {
			continue
		}
		img, err := f.graph.Get(e.Name())
		require.NoError(t, err, "image %s", e.Name())
		if img.Parent != "" {
			assert.True(t, f.graph.Exists(img.Parent), "image %s has lost its parent %s", e.Name(), img.Parent)
		}
	}
}

func TestPullFromV1Registry(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	ids := seedChain(t, tr, "library/busybox", 3)
	f := newJobsFixture(t)
	name := tr.host + "/library/busybox"
	out, err := f.pull(t, name, "latest")
	require.NoError(t, err, out)
	for _, want := range []string{
		`{"status":"Pulling repository ` + name + `"}` + "\r\n",
		`"status":"Pulling dependent layers","progressDetail":{},"id":"` + image.TruncateID(ids[2]) + `"}`,
		`{"status":"Pulling fs layer","progressDetail":{},"id":"` + image.TruncateID(ids[0]) + `"}`,
		`"status":"Downloading","progressDetail":{"current":`,
		`"status":"Download complete"`,
	} {
		assert.Contains(t, out, want)
	}
	img, err := f.store.LookupImage(name + ":latest")
	require.NoError(t, err)
	assert.Equal(t, ids[2], img.ID)
	assert.Equal(t, ids[1], img.Parent)
	for _, id := range ids {
		assert.Equal(t, 1, tr.layers[id], "layer %s downloaded once", id)
	}
	// A second pull finds every layer and downloads nothing.
	out, err = f.pull(t, name, "latest")
	require.NoError(t, err, out)
	for _, id := range ids {
		assert.Equal(t, 1, tr.layers[id], "layer %s not downloaded again", id)
	}
	// An unknown tag and an unknown repository are clear errors.
	_, err = f.pull(t, name, "nosuch")
	assert.ErrorContains(t, err, "Tag nosuch not found in repository "+name)
	_, err = f.pull(t, tr.host+"/library/nothere", "latest")
	assert.ErrorContains(t, err, "image library/nothere not found")
}

func TestPushRmiPullGivesSameID(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	seedChain(t, tr, "library/busybox", 1)
	f := newJobsFixture(t)
	_, err := f.pull(t, tr.host+"/library/busybox", "latest")
	require.NoError(t, err)
	base, err := f.store.LookupImage(tr.host + "/library/busybox")
	require.NoError(t, err)
	// A child image of our own, then a name on the registry for it.
	img := &image.Image{ID: image.GenerateRandomID(), Parent: base.ID, Created: time.Now().UTC(), Comment: "pushed by the test"}
	require.NoError(t, f.graph.Register(nil, bytes.NewReader(oneFileTar(t, "hello", "hi\n")), img))
	remote := tr.host + "/student/mine"
	require.NoError(t, f.store.Set(remote, "v1", img.ID, true))

	out, err := f.run(t, nil, "push", []string{remote}, "json", "true", "tag", "v1")
	require.NoError(t, err, out)
	assert.Contains(t, out, "The push refers to a repository ["+remote+"] (len: 1)")
	assert.Contains(t, out, "already pushed, skipping") // the base came from there
	assert.Contains(t, out, `"status":"Image successfully pushed","progressDetail":{},"id":"`+image.TruncateID(img.ID))
	st := v1registry.Storage{Root: tr.root}
	assert.True(t, st.ImageComplete(img.ID))
	checksum, err := os.ReadFile(filepath.Join(tr.root, "images", img.ID, "_checksum"))
	require.NoError(t, err)
	assert.Contains(t, string(checksum), "tarsum+sha256:")

	// rmi, then pull: the same id, the same json bytes.
	rawBefore, err := img.RawJson()
	require.NoError(t, err)
	_, err = f.store.Delete(remote, "v1")
	require.NoError(t, err)
	require.NoError(t, f.graph.Delete(img.ID))
	assert.False(t, f.graph.Exists(img.ID))
	out, err = f.pull(t, remote, "v1")
	require.NoError(t, err, out)
	got, err := f.store.LookupImage(remote + ":v1")
	require.NoError(t, err)
	assert.Equal(t, img.ID, got.ID)
	rawAfter, err := got.RawJson()
	require.NoError(t, err)
	assert.Equal(t, rawBefore, rawAfter)
}

func TestPushOfImageWithMissingParentSaysSo(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	f := newJobsFixture(t)
	parent := &image.Image{ID: image.GenerateRandomID(), Created: time.Now().UTC()}
	require.NoError(t, f.graph.Register(nil, bytes.NewReader(oneFileTar(t, "a", "a")), parent))
	child := &image.Image{ID: image.GenerateRandomID(), Parent: parent.ID, Created: time.Now().UTC()}
	require.NoError(t, f.graph.Register(nil, bytes.NewReader(oneFileTar(t, "b", "b")), child))
	remote := tr.host + "/student/orphan"
	require.NoError(t, f.store.Set(remote, "latest", child.ID, true))
	// The parent's metadata is lost (a broken disk, a hand-edited graph).
	require.NoError(t, os.Remove(filepath.Join(f.graph.ImageRoot(parent.ID), "json")))
	_, err := f.run(t, nil, "push", []string{remote}, "json", "true")
	assert.ErrorContains(t, err, "its parent "+image.TruncateID(parent.ID)+" is missing")
}

func TestConcurrentPullsDownloadEachLayerOnce(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	ids := seedChain(t, tr, "library/busybox", 4)
	// Hold every layer download a moment so the pulls overlap.
	tr.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/layer") {
			time.Sleep(20 * time.Millisecond)
		}
		return false
	})
	f := newJobsFixture(t)
	name := tr.host + "/library/busybox"
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Two ask for name:latest, two for name with no tag (all
			// tags): different pool keys, the same layers.
			tag := "latest"
			if i%2 == 1 {
				tag = ""
			}
			_, errs[i] = f.pull(t, name, tag)
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "pull %d", i)
	}
	for _, id := range ids {
		assert.Equal(t, 1, tr.layers[id], "layer %s downloaded exactly once", image.TruncateID(id))
	}
	img, err := f.store.LookupImage(name)
	require.NoError(t, err)
	assert.Equal(t, ids[3], img.ID)
}

func TestPullFaultsLeaveNoHalfImage(t *testing.T) {
	fastRetries(t)
	type fault struct {
		name string
		hook func(ids []string) func(w http.ResponseWriter, r *http.Request) bool
		want string
	}
	on := func(suffix string, do func(w http.ResponseWriter, r *http.Request)) func(ids []string) func(w http.ResponseWriter, r *http.Request) bool {
		return func(ids []string) func(w http.ResponseWriter, r *http.Request) bool {
			return func(w http.ResponseWriter, r *http.Request) bool {
				// The fault hits the middle layer only: the base goes in
				// whole, the top never comes.
				if strings.HasSuffix(r.URL.Path, ids[1]+suffix) {
					do(w, r)
					return true
				}
				return false
			}
		}
	}
	faults := []fault{
		{"garbage image list", func(ids []string) func(w http.ResponseWriter, r *http.Request) bool {
			return func(w http.ResponseWriter, r *http.Request) bool {
				if strings.HasSuffix(r.URL.Path, "/images") {
					w.Write([]byte("<html>not json"))
					return true
				}
				return false
			}
		}, "is not a JSON list"},
		{"garbage image json", on("/json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{{{")) }), "Failed to parse json"},
		{"404 in the middle", on("/json", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }), "HTTP code 404"},
		{"corrupt layer", on("/layer", func(w http.ResponseWriter, r *http.Request) {
			w.Write(append([]byte{0x1f, 0x8b, 0x08}, bytes.Repeat([]byte{0xff}, 600)...))
		}), "layer " + "%s"},
		{"connection dropped mid-layer", on("/layer", func(w http.ResponseWriter, r *http.Request) {
			// Half of the real layer, then the connection closes.
			id := strings.Split(r.URL.Path, "/")[3]
			layer, _ := os.ReadFile(filepath.Join(r.Header.Get("X-Test-Root"), "images", id, "layer"))
			hj, _ := w.(http.Hijacker)
			c, buf, _ := hj.Hijack()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(layer))
			buf.Write(layer[:len(layer)/2])
			buf.Flush()
			c.Close()
		}), "unexpected EOF"},
		{"redirect loop", on("/layer", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"?again", http.StatusFound)
		}), "redirect"},
		{"ancestry naming a path", on("/ancestry", func(w http.ResponseWriter, r *http.Request) {
			json.NewEncoder(w).Encode([]string{"../../../etc"})
		}), "does not start with the image itself"},
	}
	for _, fc := range faults {
		t.Run(fc.name, func(t *testing.T) {
			tr := newTestRegistry(t, v1registry.Config{})
			ids := seedChain(t, tr, "library/busybox", 3)
			if fc.name == "ancestry naming a path" {
				// The ancestry asked for is the top image's.
				ids = []string{ids[0], ids[2], ids[2]}
			}
			tr.setHook(fc.hook(ids))
			f := newJobsFixture(t)
			name := tr.host + "/library/busybox"
			out, err := f.pull(t, name, "latest")
			require.Error(t, err, out)
			want := fc.want
			if strings.Contains(want, "%s") {
				want = fmt.Sprintf(want, image.TruncateID(ids[1]))
			}
			assert.ErrorContains(t, err, want)
			assertNoHalfImages(t, f)
			_, lookErr := f.store.LookupImage(name)
			assert.Error(t, lookErr, "no tag points at a half-pulled image")
			// The registry heals; the next pull succeeds.
			tr.setHook(nil)
			out, err = f.pull(t, name, "latest")
			require.NoError(t, err, out)
			assertNoHalfImages(t, f)
		})
	}
}

func TestPullTimesOutOnASilentRegistry(t *testing.T) {
	fastRetries(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	// Answers /v1/_ping, then accepts and says nothing.
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				buf := make([]byte, 4096)
				n, _ := c.Read(buf)
				if n > 0 && buf[0] == 0x16 {
					return // a TLS hello: no https here
				}
				if strings.Contains(string(buf[:n]), "_ping") {
					c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"))
					return
				}
				time.Sleep(3 * time.Second)
			}(c)
		}
	}()
	restore := registry.SetReceiveTimeout(200 * time.Millisecond)
	defer restore()
	f := newJobsFixture(t)
	_, err = f.pull(t, ln.Addr().String()+"/library/busybox", "latest")
	assert.ErrorContains(t, err, "timeout")
}

func TestPullAndPushInTokenMode(t *testing.T) {
	accounts := filepath.Join(t.TempDir(), "accounts")
	require.NoError(t, os.WriteFile(accounts, []byte("alice:wonderland\n"), 0600))
	tr := newTestRegistry(t, v1registry.Config{Token: true, AuthFile: accounts})
	ids := seedChain(t, tr, "library/busybox", 2)
	f := newJobsFixture(t)
	name := tr.host + "/library/busybox"
	// Without an account the index refuses.
	_, err := f.pull(t, name, "latest")
	assert.ErrorContains(t, err, "Authentication is required.")
	// With one: the index's token opens the registry part (then the
	// session cookie does), as ch.9 §9.5.2 describes.
	auth := `{"username":"alice","password":"wonderland"}`
	out, err := f.run(t, nil, "pull", []string{name, "latest"}, "json", "true", "authConfig", auth)
	require.NoError(t, err, out)
	img, err := f.store.LookupImage(name)
	require.NoError(t, err)
	assert.Equal(t, ids[1], img.ID)
	require.NoError(t, f.store.Set(tr.host+"/alice/copy", "latest", img.ID, true))
	out, err = f.run(t, nil, "push", []string{tr.host + "/alice/copy"}, "json", "true", "authConfig", auth)
	require.NoError(t, err, out)
	tags, err := v1registry.Storage{Root: tr.root}.Tags(v1registry.Repo{Namespace: "alice", Name: "copy"})
	require.NoError(t, err)
	assert.Equal(t, img.ID, tags["latest"])
}
