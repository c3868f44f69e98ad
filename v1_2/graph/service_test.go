// Tests for the image jobs through the engine, as the API server runs
// them: import → images → tag → history → image_inspect → image_export →
// (remove) → load gives the same ids back. Own tests; upstream tested
// these through integration/ with a whole daemon.
package graph

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jobsFixture is an engine with the image jobs on a vfs graph.
type jobsFixture struct {
	eng   *engine.Engine
	store *TagStore
	graph *Graph
	root  string
}

func newJobsFixture(t *testing.T) *jobsFixture {
	t.Helper()
	g, root := newTestGraph(t)
	return newJobsFixtureOn(t, g, root)
}

func newJobsFixtureOn(t *testing.T, g *Graph, root string) *jobsFixture {
	t.Helper()
	store, err := NewTagStore(filepath.Join(root, "repositories-"+g.Driver().String()), g)
	require.NoError(t, err)
	eng := engine.New()
	eng.Stderr, eng.Stdout, eng.Logging = io.Discard, io.Discard, false
	require.NoError(t, store.Install(eng))
	return &jobsFixture{eng: eng, store: store, graph: g, root: root}
}

// run runs name args with env (k, v pairs) and stdin, returning stdout.
func (f *jobsFixture) run(t *testing.T, stdin io.Reader, name string, args []string, env ...string) (string, error) {
	t.Helper()
	job := f.eng.Job(name, args...)
	for i := 0; i+1 < len(env); i += 2 {
		job.Setenv(env[i], env[i+1])
	}
	if stdin != nil {
		require.NoError(t, job.Stdin.Add(stdin))
	}
	var out bytes.Buffer
	job.Stdout.Add(&out)
	err := job.Run()
	return out.String(), err
}

func (f *jobsFixture) mustRun(t *testing.T, stdin io.Reader, name string, args []string, env ...string) string {
	t.Helper()
	out, err := f.run(t, stdin, name, args, env...)
	require.NoError(t, err, "job %s %v", name, args)
	return out
}

// list decodes a job's JSON array output.
func list(t *testing.T, out string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rows), out)
	return rows
}

func TestInstallRegistersUpstreamJobs(t *testing.T) {
	f := newJobsFixture(t)
	out := f.mustRun(t, nil, "commands", nil)
	for _, name := range Jobs {
		assert.Contains(t, strings.Fields(out), name)
	}
	assert.Len(t, Jobs, 14)
	err := f.store.Install(f.eng)
	assert.ErrorContains(t, err, `Could not register "image_set"`)
}

func TestImportImagesTagHistoryInspect(t *testing.T) {
	f := newJobsFixture(t)
	out := f.mustRun(t, layer(t, "bin/", "", "bin/sh", "shell!", "etc/motd", "hello"), "import", []string{"-", "busybox"})
	id := strings.TrimSpace(out)
	assert.True(t, strings.HasSuffix(out, "\r\n"), "a status line ends in CRLF: %q", out)
	require.Len(t, id, 64, out)

	// As JSON status lines, with a tag.
	out = f.mustRun(t, layer(t, "x", "y"), "import", []string{"-", "other", "v1"}, "json", "1")
	var status struct{ Status string }
	require.NoError(t, json.Unmarshal([]byte(out), &status))
	otherID := status.Status
	require.Len(t, otherID, 64, out)

	rows := list(t, f.mustRun(t, nil, "images", nil))
	require.Len(t, rows, 2)
	byID := map[string]map[string]any{}
	for _, r := range rows {
		byID[r["Id"].(string)] = r
		for _, k := range []string{"Id", "ParentId", "RepoTags", "Created", "Size", "VirtualSize"} {
			assert.Contains(t, r, k)
		}
	}
	assert.Equal(t, []any{"busybox:latest"}, byID[id]["RepoTags"])
	assert.Equal(t, float64(11), byID[id]["Size"])
	assert.Equal(t, float64(11), byID[id]["VirtualSize"])
	assert.Equal(t, []any{"other:v1"}, byID[otherID]["RepoTags"])

	// tag (legacy, IMAGE REPO TAG) and image_tag (NEWNAME OLDNAME).
	f.mustRun(t, nil, "tag", []string{"busybox", "mine", "v2"})
	f.mustRun(t, nil, "image_tag", []string{"mine:v3", id[:12]})
	rows = list(t, f.mustRun(t, nil, "images", nil, "filter", "mi*"))
	require.Len(t, rows, 1)
	assert.Equal(t, []any{"mine:v2", "mine:v3"}, rows[0]["RepoTags"])
	_, err := f.run(t, nil, "tag", []string{"busybox", "mine", "bad:tag"})
	assert.ErrorContains(t, err, "Illegal tag name: bad:tag")
	_, err = f.run(t, nil, "tag", []string{"nosuch", "mine"})
	assert.Error(t, err)

	// history: one row for a base image, with its names.
	hist := list(t, f.mustRun(t, nil, "history", []string{"mine:v2"}))
	require.Len(t, hist, 1)
	assert.Equal(t, id, hist[0]["Id"])
	assert.Equal(t, "", hist[0]["CreatedBy"])
	assert.Equal(t, []any{"busybox:latest", "mine:v2", "mine:v3"}, hist[0]["Tags"])
	for _, k := range []string{"Id", "Created", "CreatedBy", "Tags", "Size"} {
		assert.Contains(t, hist[0], k)
	}

	// image_inspect: the API's fields, and raw gives the stored bytes.
	var insp map[string]any
	require.NoError(t, json.Unmarshal([]byte(f.mustRun(t, nil, "image_inspect", []string{"busybox"})), &insp))
	assert.Equal(t, id, insp["Id"])
	assert.Equal(t, "Imported from -", insp["Comment"])
	assert.Equal(t, float64(11), insp["Size"])
	for _, k := range []string{"Id", "Parent", "Comment", "Created", "Container", "ContainerConfig", "DockerVersion", "Author", "Config", "Architecture", "Os", "Size"} {
		assert.Contains(t, insp, k)
	}
	raw := f.mustRun(t, nil, "image_inspect", []string{id}, "raw", "1")
	onDisk, err := os.ReadFile(filepath.Join(f.graph.ImageRoot(id), "json"))
	require.NoError(t, err)
	assert.Equal(t, string(onDisk), raw)
	_, err = f.run(t, nil, "image_inspect", []string{"nosuch"})
	assert.EqualError(t, err, "No such image: nosuch")

	// image_get: the small public view.
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(f.mustRun(t, nil, "image_get", []string{"busybox:latest"})), &got))
	assert.Equal(t, id, got["Id"])
	assert.Equal(t, "", got["Parent"])
}

func TestImportFromFileAndBadInput(t *testing.T) {
	f := newJobsFixture(t)
	path := filepath.Join(t.TempDir(), "rootfs.tar")
	data, err := io.ReadAll(layer(t, "a", "b"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0600))
	out := f.mustRun(t, nil, "import", []string{path, ""})
	id := strings.TrimSpace(out)
	img, err := f.graph.Get(id)
	require.NoError(t, err)
	assert.Equal(t, "Imported from "+path, img.Comment)
	assert.Empty(t, f.store.ByID()[id], "an empty REPO tags nothing")

	_, err = f.run(t, nil, "import", []string{"-"})
	assert.EqualError(t, err, "Usage: import SRC REPO [TAG]")
	_, err = f.run(t, nil, "import", []string{"/no/such/file.tar", "x"})
	assert.ErrorContains(t, err, "a file on the daemon's machine")
	_, err = f.run(t, strings.NewReader("not a tar at all, just some text that is long enough"), "import", []string{"-", "x"})
	assert.Error(t, err)
	_, err = f.run(t, layer(t, "a", "b"), "import", []string{"-", "x", "bad/tag"})
	assert.ErrorContains(t, err, "Illegal tag name")
}

func TestImagesAllDanglingAndHistoryOfAStack(t *testing.T) {
	f := newJobsFixture(t)
	register(t, f.graph, baseID, "", "etc/", "", "etc/motd", "hi")
	register(t, f.graph, midID, baseID, "mid", "12345")
	register(t, f.graph, topID, midID, "top", "1")
	register(t, f.graph, loneID, "", "lone", "x")
	// The top image was committed from a container running `sh -c echo`.
	writeContainerConfig(t, f.graph, topID, `{"Cmd":["/bin/sh","-c","echo top"]}`)
	f.mustRun(t, nil, "tag", []string{topID, "app"})

	ids := func(rows []map[string]any) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r["Id"].(string))
		}
		sort.Strings(out)
		return out
	}
	// Heads only: app (tagged) and lone (dangling).
	rows := list(t, f.mustRun(t, nil, "images", nil))
	assert.Equal(t, sorted(topID, loneID), ids(rows))
	for _, r := range rows {
		if r["Id"] == topID {
			assert.Equal(t, float64(2+5+1), r["VirtualSize"], "layer plus parents")
			assert.Equal(t, midID, r["ParentId"])
		}
	}
	// -a: every image; untagged ones as <none>:<none>.
	rows = list(t, f.mustRun(t, nil, "images", nil, "all", "1"))
	assert.Equal(t, sorted(baseID, midID, topID, loneID), ids(rows))
	// dangling=true: untagged heads only.
	rows = list(t, f.mustRun(t, nil, "images", nil, "filters", `{"dangling":["true"]}`))
	assert.Equal(t, []string{loneID}, ids(rows))
	assert.Equal(t, []any{"<none>:<none>"}, rows[0]["RepoTags"])
	_, err := f.run(t, nil, "images", nil, "filters", `not json`)
	assert.Error(t, err)

	hist := list(t, f.mustRun(t, nil, "history", []string{"app"}))
	require.Len(t, hist, 3)
	assert.Equal(t, topID, hist[0]["Id"], "newest first")
	assert.Equal(t, "/bin/sh -c echo top", hist[0]["CreatedBy"])
	assert.Equal(t, baseID, hist[2]["Id"])
	assert.Nil(t, hist[2]["Tags"], "an untagged layer has null Tags, as 1.2")

	viz := f.mustRun(t, nil, "viz", nil)
	assert.True(t, strings.HasPrefix(viz, "digraph docker {\n"))
	assert.Contains(t, viz, ` "`+midID+`" -> "`+topID+`"`)
	assert.Contains(t, viz, ` base -> "`+baseID+`" [style=invis]`)
	assert.Contains(t, viz, `app:latest`)
}

func TestImageSetGetTarLayer(t *testing.T) {
	f := newJobsFixture(t)
	js := `{"id":"` + baseID + `","comment":"set by job"}`
	f.mustRun(t, layer(t, "f", "abc"), "image_set", []string{baseID}, "json", js)
	raw := f.mustRun(t, nil, "image_inspect", []string{baseID}, "raw", "1")
	assert.Equal(t, js, raw, "image_set keeps the json bytes")

	tr := tar.NewReader(strings.NewReader(f.mustRun(t, nil, "image_tarlayer", []string{baseID})))
	hdr, err := tr.Next()
	require.NoError(t, err)
	assert.Equal(t, "f", hdr.Name)

	_, err = f.run(t, nil, "image_set", []string{baseID})
	assert.EqualError(t, err, "mandatory key 'json' is not set")
	_, err = f.run(t, nil, "image_set", nil, "json", js)
	assert.EqualError(t, err, "usage: image_set NAME")
	_, err = f.run(t, nil, "image_tarlayer", []string{"nosuch"})
	assert.EqualError(t, err, "No such image: nosuch")
	_, err = f.run(t, nil, "image_get", []string{"nosuch"})
	assert.Error(t, err)
}

func TestPullPushCheckTheirArguments(t *testing.T) {
	f := newJobsFixture(t)
	_, err := f.run(t, nil, "pull", nil)
	assert.EqualError(t, err, "Usage: pull IMAGE [TAG]")
	_, err = f.run(t, nil, "push", nil)
	assert.EqualError(t, err, "Usage: push IMAGE")
	_, err = f.run(t, nil, "pull", []string{"http://x/y"})
	assert.ErrorContains(t, err, "Invalid repository name")
}

// tarNames lists the entries of a tar.
func tarNames(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		body, err := io.ReadAll(tr)
		require.NoError(t, err)
		out[strings.TrimSuffix(hdr.Name, "/")] = body
	}
}

func TestSaveRemoveLoadKeepsIDs(t *testing.T) {
	f := newJobsFixture(t)
	register(t, f.graph, baseID, "", "etc/", "", "etc/motd", "hi", "tmp/", "", "tmp/x", "x")
	register(t, f.graph, midID, baseID, "mid", "12345")
	register(t, f.graph, topID, midID, "top", "1")
	f.mustRun(t, nil, "tag", []string{topID, "app", "v1"})
	f.mustRun(t, nil, "tag", []string{midID, "app", "v0"})
	wantJSON, err := os.ReadFile(filepath.Join(f.graph.ImageRoot(topID), "json"))
	require.NoError(t, err)

	saved := []byte(f.mustRun(t, nil, "image_export", []string{"app"}))
	entries := tarNames(t, saved)
	assert.JSONEq(t, `{"app":{"v0":"`+midID+`","v1":"`+topID+`"}}`, string(entries["repositories"]))
	for _, id := range []string{baseID, midID, topID} {
		assert.Equal(t, "1.0", string(entries[id+"/VERSION"]))
		assert.Contains(t, entries, id+"/layer.tar")
	}
	assert.Equal(t, string(wantJSON), string(entries[topID+"/json"]), "json byte for byte")

	// Saving by id writes no repositories file; by name:tag, only that name.
	byID := tarNames(t, []byte(f.mustRun(t, nil, "image_export", []string{topID[:12]})))
	assert.NotContains(t, byID, "repositories")
	assert.Contains(t, byID, baseID+"/json")
	byTag := tarNames(t, []byte(f.mustRun(t, nil, "image_export", []string{"app:v0"})))
	assert.JSONEq(t, `{"app":{"v0":"`+midID+`"}}`, string(byTag["repositories"]))
	assert.NotContains(t, byTag, topID+"/json")
	_, err = f.run(t, nil, "image_export", []string{"nosuch"})
	assert.EqualError(t, err, "No such image: nosuch")
	_, err = f.run(t, nil, "image_export", nil)
	assert.EqualError(t, err, "Usage: image_export IMAGE")
	// Several names (GET /images/get?names=...): one tar, names merged.
	both := tarNames(t, []byte(f.mustRun(t, nil, "image_export", []string{"app:v0", "app:v1", baseID[:12]})))
	assert.JSONEq(t, `{"app":{"v0":"`+midID+`","v1":"`+topID+`"}}`, string(both["repositories"]))
	assert.Contains(t, both, topID+"/layer.tar")

	// Remove everything, as rmi would.
	require.NoError(t, f.store.DeleteAll(topID))
	require.NoError(t, f.store.DeleteAll(midID))
	for _, id := range []string{topID, midID, baseID} {
		require.NoError(t, f.graph.Delete(id))
	}
	assert.Empty(t, list(t, f.mustRun(t, nil, "images", nil, "all", "1")))

	f.mustRun(t, bytes.NewReader(saved), "load", nil)
	img, err := f.store.LookupImage("app:v1")
	require.NoError(t, err)
	assert.Equal(t, topID, img.ID)
	gotJSON, err := os.ReadFile(filepath.Join(f.graph.ImageRoot(topID), "json"))
	require.NoError(t, err)
	assert.Equal(t, wantJSON, gotJSON)
	rows := list(t, f.mustRun(t, nil, "images", nil, "all", "1"))
	assert.Len(t, rows, 3)
	// The stack's files came back: the top layer sees the base's files.
	dir, err := f.graph.Driver().Get(topID, "")
	require.NoError(t, err)
	defer f.graph.Driver().Put(topID)
	motd, err := os.ReadFile(filepath.Join(dir, "etc/motd"))
	require.NoError(t, err)
	assert.Equal(t, "hi", string(motd))

	// Loading again changes nothing and does not fail.
	f.mustRun(t, bytes.NewReader(saved), "load", nil)
	assert.Len(t, list(t, f.mustRun(t, nil, "images", nil, "all", "1")), 3)
}

func TestLoadBadInput(t *testing.T) {
	f := newJobsFixture(t)
	_, err := f.run(t, strings.NewReader("plain text, not a tar, long enough to not be a header"), "load", nil)
	assert.ErrorContains(t, err, "load:")
	_, err = f.run(t, layer(t, "blobs/", "", "blobs/x", "1"), "load", nil)
	assert.ErrorContains(t, err, "no image found")
	_, err = f.run(t, layer(t, baseID+"/", "", baseID+"/json", `{"id":"`+midID+`"}`), "load", nil)
	assert.ErrorContains(t, err, "holds the json of image")
	_, err = f.run(t, layer(t, "repositories", `{"x":{"latest":"`+baseID+`"}}`), "load", nil)
	assert.Error(t, err, "a name for an image the tar lacks")
}

func sorted(ids ...string) []string {
	sort.Strings(ids)
	return ids
}

// writeContainerConfig rewrites an image's json with a container config,
// as `docker commit` would have stored it.
func writeContainerConfig(t *testing.T, g *Graph, id, cfg string) {
	t.Helper()
	img, err := g.Get(id)
	require.NoError(t, err)
	img.ContainerConfig = json.RawMessage(cfg)
	data, err := json.Marshal(img)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(g.ImageRoot(id), "json"), data, 0600))
}

var (
	midID  = "1111111111111111111111111111111111111111111111111111111111111111"[:60] + "aaaa"
	topID  = "2222222222222222222222222222222222222222222222222222222222222222"[:60] + "bbbb"
	loneID = "3333333333333333333333333333333333333333333333333333333333333333"[:60] + "cccc"
)

// Docker 1.2's own `docker save` wrote a "./" entry first (its tar walk
// started at the directory itself); tars from other tools may prefix
// every name with "./". Both load.
func TestLoadAcceptsDotSlashNames(t *testing.T) {
	f := newJobsFixture(t)
	register(t, f.graph, baseID, "", "etc/", "", "etc/motd", "hi")
	f.mustRun(t, nil, "tag", []string{baseID, "dotted"})
	saved := []byte(f.mustRun(t, nil, "image_export", []string{"dotted"}))
	require.NoError(t, f.store.DeleteAll(baseID))
	require.NoError(t, f.graph.Delete(baseID))

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "./", Typeflag: tar.TypeDir, Mode: 0755}))
	tr := tar.NewReader(bytes.NewReader(saved))
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		hdr.Name = "./" + hdr.Name
		require.NoError(t, tw.WriteHeader(hdr))
		_, err = io.Copy(tw, tr)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())

	f.mustRun(t, &buf, "load", nil)
	img, err := f.store.LookupImage("dotted")
	require.NoError(t, err)
	assert.Equal(t, baseID, img.ID)
}
