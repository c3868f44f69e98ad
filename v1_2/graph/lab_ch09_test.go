// Tests of the exercises of chapter 9 in this package:
//   - ch09.pull-image (TagStore.pullImage: GetRemoteHistory, then each
//     layer from the base up, stopping at the first that fails):
//     `dockerlab lab check ch09.pull-image`, or `go test ./v1_2/graph
//     -run TestCh09PullImage`.
//
// They pull from dockerlab's own v1 registry (internal/v1registry) on a
// free port of 127.0.0.1 (newTestRegistry) into a vfs graph on temp dirs
// (newJobsFixture), so they need no kernel and no network but loopback.
package graph

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/internal/v1registry"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// labCh09Requests records the image requests the registry gets, as
// "ancestry|json|layer <short id>", in the order they arrive.
type labCh09Requests struct {
	mu  sync.Mutex
	got []string
}

// record puts a hook in front of tr that notes each image request and
// then lets fault (if any) answer it.
func (rq *labCh09Requests) record(tr *testRegistry, fault func(w http.ResponseWriter, r *http.Request) bool) {
	tr.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		// /v1/images/<id>/<what>
		if parts := strings.Split(r.URL.Path, "/"); len(parts) == 5 && parts[2] == "images" {
			rq.mu.Lock()
			rq.got = append(rq.got, parts[4]+" "+image.TruncateID(parts[3]))
			rq.mu.Unlock()
		}
		return fault != nil && fault(w, r)
	})
}

func (rq *labCh09Requests) list() []string {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	return append([]string(nil), rq.got...)
}

// labCh09Fetches is what pulling ids (base first) asks the registry for:
// the ancestry of the top image, then each layer's json and layer, from
// the base up.
func labCh09Fetches(ids []string) []string {
	want := []string{"ancestry " + image.TruncateID(ids[len(ids)-1])}
	for _, id := range ids {
		want = append(want, "json "+image.TruncateID(id), "layer "+image.TruncateID(id))
	}
	return want
}

// A three-layer image: the registry answers its ancestry top first, and
// pullImage fetches and registers the layers the other way round, base
// first, so that each layer's parent is in the graph when it arrives.
func TestCh09PullImage(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	ids := seedChain(t, tr, "library/busybox", 3) // base first
	var rq labCh09Requests
	rq.record(tr, nil)
	f := newJobsFixture(t)
	name := tr.host + "/library/busybox"

	out, err := f.pull(t, name, "latest")
	require.NoError(t, err, "pulling a three-layer image; the job wrote:\n%s", out)
	assert.Equal(t, labCh09Fetches(ids), rq.list(),
		"GetRemoteHistory first (one request: the ancestry, top first), then for each layer from the BASE up: its json, then its layer (pullLayer does both and graph.Register)")
	assert.Contains(t, out, `{"status":"Pulling dependent layers","progressDetail":{},"id":"`+image.TruncateID(ids[2])+`"}`,
		"before the layers, the client is told (a progress line for the image being pulled): Pulling dependent layers")
	for i, id := range ids {
		img, err := f.graph.Get(id)
		require.NoError(t, err, "layer %d of 3 (%s) is registered in the graph", i+1, image.TruncateID(id))
		parent := ""
		if i > 0 {
			parent = ids[i-1]
		}
		assert.Equal(t, parent, img.Parent, "the parent of each layer is the next one in the ancestry (the one below it)")
	}
	img, err := f.store.LookupImage(name + ":latest")
	require.NoError(t, err)
	assert.Equal(t, ids[2], img.ID)
}

// The middle layer cannot be downloaded: the pull fails, the base that
// arrived whole stays, nothing above the missing layer is even asked for
// (it could not be registered without its parent), and no tag points at a
// half image. The next pull, once the registry heals, fetches only what is
// missing.
func TestCh09PullImage_StopsAtTheFailedLayer(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	ids := seedChain(t, tr, "library/busybox", 3)
	var rq labCh09Requests
	rq.record(tr, func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/images/"+ids[1]+"/layer") {
			http.Error(w, "the disk is on fire", http.StatusInternalServerError)
			return true
		}
		return false
	})
	f := newJobsFixture(t)
	name := tr.host + "/library/busybox"

	out, err := f.pull(t, name, "latest")
	require.Error(t, err, "the middle layer answered 500: the pull fails; the job wrote:\n%s", out)
	assert.Equal(t, labCh09Fetches(ids)[:5], rq.list(),
		"the loop stops at the first layer that fails: the layer above it is never asked for")
	assert.True(t, f.graph.Exists(ids[0]), "the base arrived whole before the failure: it stays in the graph")
	assert.False(t, f.graph.Exists(ids[1]), "the failed layer is not in the graph")
	assert.False(t, f.graph.Exists(ids[2]), "nothing above the failed layer is in the graph")
	assertNoHalfImages(t, f)
	_, err = f.store.LookupImage(name)
	assert.Error(t, err, "no tag points at a half-pulled image")

	rq.record(tr, nil) // the registry heals
	out, err = f.pull(t, name, "latest")
	require.NoError(t, err, "the second pull; the job wrote:\n%s", out)
	assert.Equal(t, 1, tr.layers[ids[0]], "the base is in the graph already: the second pull does not download it again")
	img, err := f.store.LookupImage(name)
	require.NoError(t, err)
	assert.Equal(t, ids[2], img.ID)
	assertNoHalfImages(t, f)
}

// An ancestry whose first entry is the image itself but which then names
// something that is not an image id ("../../../etc", a path the graph
// would join under its root): the whole list is checked before the first
// layer is fetched, so a lying registry gets nothing written.
func TestCh09PullImage_AncestryCheckedFirst(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	ids := seedChain(t, tr, "library/busybox", 2)
	top := ids[1]
	var rq labCh09Requests
	rq.record(tr, func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/images/"+top+"/ancestry") {
			json.NewEncoder(w).Encode([]string{top, "../../../etc", ids[0]})
			return true
		}
		return false
	})
	f := newJobsFixture(t)

	out, err := f.pull(t, tr.host+"/library/busybox", "latest")
	require.Error(t, err, "the ancestry names a path; the job wrote:\n%s", out)
	assert.ErrorContains(t, err, `"../../../etc", which is not an image id`,
		"each entry of the ancestry must be a full image id (image.IsFullID); the error names the bad one")
	assert.Equal(t, []string{"ancestry " + image.TruncateID(top)}, rq.list(),
		"check the whole ancestry before fetching anything: not one json or layer is asked for")
	assert.False(t, f.graph.Exists(ids[0]), "nothing is registered from a registry whose ancestry is bad")
}
