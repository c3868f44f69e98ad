// Tests of the exercises of chapter 9 in this package:
//   - ch09.pull-image (TagStore.pullImage: GetRemoteHistory, then each
//     layer from the base up, stopping at the first that fails):
//     `dockerlab lab check ch09.pull-image`, or `go test ./v1_2/graph
//     -run TestCh09PullImage`;
//   - ch09.pull-pool (TagStore.poolAdd and poolRemove: one channel per
//     pull or push in flight, which a second puller waits on):
//     `dockerlab lab check ch09.pull-pool`, or `go test ./v1_2/graph -run
//     TestCh09PullPool`.
//
// They pull from dockerlab's own v1 registry (internal/v1registry) on a
// free port of 127.0.0.1 (newTestRegistry) into a vfs graph on temp dirs
// (newJobsFixture), so they need no kernel and no network but loopback.
package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

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

// labCh09Closed says whether c is closed, without waiting.
func labCh09Closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// The pull pool: one channel per key in flight. A second pull of the same
// key is told it is in progress and gets the first one's channel to wait
// on; poolRemove closes it (waking the waiters) and frees the key.
func TestCh09PullPool(t *testing.T) {
	s := newJobsFixture(t).store
	c, err := s.poolAdd("pull", "busybox:latest")
	require.NoError(t, err, "the first pull of busybox:latest gets its place in the pool")
	require.NotNil(t, c, "…and a new channel, which its waiters will wait on")
	c2, err := s.poolAdd("pull", "busybox:latest")
	assert.EqualError(t, err, "pull busybox:latest is already in progress", "a second pull of the same key is told that it is in progress")
	assert.True(t, c2 == c, "…and gets the first pull's channel, to wait on (not nil, not a new one)")
	other, err := s.poolAdd("pull", "busybox:ubuntu")
	require.NoError(t, err, "another key is another pull, which runs")

	require.NoError(t, s.poolRemove("pull", "busybox:latest"))
	assert.True(t, labCh09Closed(c), "poolRemove closes the key's channel: closing is what wakes every waiter at once")
	assert.False(t, labCh09Closed(other), "…that key's channel only")
	again, err := s.poolAdd("pull", "busybox:latest")
	require.NoError(t, err, "once removed, the key is free: the next pull of busybox:latest runs")
	assert.False(t, labCh09Closed(again), "…with a new channel")
	assert.NoError(t, s.poolRemove("pull", "nothing:here"), "removing a key that is not in the pool is not an error")
	assert.False(t, labCh09Closed(again), "…and closes nothing else")
}

// Pulls and pushes share the keys: poolAdd looks in both pools, so a pull
// of a name being pushed (or the other way round) is told so, with the
// channel of the work in progress. Each kind is removed from its own pool.
func TestCh09PullPool_Push(t *testing.T) {
	s := newJobsFixture(t).store
	pc, err := s.poolAdd("push", "student/app")
	require.NoError(t, err)
	require.NotNil(t, pc)
	c, err := s.poolAdd("pull", "student/app")
	assert.EqualError(t, err, "push student/app is already in progress", "a pull of a name being pushed waits for the push: poolAdd looks in the pushing pool too")
	assert.True(t, c == pc, "…and gets the push's channel")

	lc, err := s.poolAdd("pull", "layer:abc")
	require.NoError(t, err)
	c, err = s.poolAdd("push", "layer:abc")
	assert.EqualError(t, err, "pull layer:abc is already in progress", "a push of a key being pulled is told so: poolAdd looks in the pulling pool first")
	assert.True(t, c == lc)

	require.NoError(t, s.poolRemove("pull", "student/app"))
	assert.False(t, labCh09Closed(pc), `poolRemove("pull", …) looks in the pulling pool only: the push goes on`)
	require.NoError(t, s.poolRemove("push", "student/app"))
	assert.True(t, labCh09Closed(pc), `poolRemove("push", …) ends the push`)
	_, err = s.poolAdd("push", "student/app")
	assert.NoError(t, err, "the name is free again")
}

// A kind that is neither "pull" nor "push" is an error of the caller's,
// and changes nothing.
func TestCh09PullPool_UnknownKind(t *testing.T) {
	s := newJobsFixture(t).store
	c, err := s.poolAdd("build", "busybox")
	assert.EqualError(t, err, "Unknown pool type")
	assert.Nil(t, c, "no channel for an unknown kind")
	pc, err := s.poolAdd("pull", "busybox")
	require.NoError(t, err, "the unknown kind took no place in either pool")
	assert.EqualError(t, s.poolRemove("build", "busybox"), "Unknown pool type")
	assert.False(t, labCh09Closed(pc), "removing an unknown kind closes nothing")
}

// labCh09Watch is a job's stdout that says when a line arrives.
type labCh09Watch struct {
	want string
	seen chan struct{}
	mu   sync.Mutex
	buf  bytes.Buffer
	once sync.Once
}

func (w *labCh09Watch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

// labCh09Pull runs the pull job of name:latest in the background, its
// output to w; its result arrives on the channel.
func labCh09Pull(f *jobsFixture, name string, w io.Writer) chan error {
	job := f.eng.Job("pull", name, "latest")
	job.SetenvBool("json", true)
	job.SetenvBool("parallel", true)
	job.Stdout.Add(w)
	done := make(chan error, 1)
	go func() { done <- job.Run() }()
	return done
}

// labCh09Result waits for a pull's result, failing the test instead of
// hanging when the pull never ends.
func labCh09Result(t *testing.T, done chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not end: is it waiting on a pool channel that nobody closes?", what)
		return nil
	}
}

// Two pulls of busybox:latest: the registry holds the first one's first
// layer until the second has said it is waiting. The second waits on the
// first one's channel (CmdPull), poolRemove wakes it, and every layer is
// downloaded once.
func TestCh09PullPool_SecondPullWaits(t *testing.T) {
	tr := newTestRegistry(t, v1registry.Config{})
	ids := seedChain(t, tr, "library/busybox", 2)
	entered, release := make(chan struct{}), make(chan struct{})
	var hold, unblock sync.Once
	// Registered after the registry's cleanup, so it runs before it: a
	// held request must end before the server can close.
	t.Cleanup(func() { unblock.Do(func() { close(release) }) })
	tr.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/layer") {
			first := false
			hold.Do(func() { first = true })
			if first {
				close(entered)
				<-release
			}
		}
		return false
	})
	f := newJobsFixture(t)
	name := tr.host + "/library/busybox"
	key := name + ":latest"

	var out1 bytes.Buffer
	done1 := labCh09Pull(f, name, &out1)
	select {
	case <-entered:
	case err := <-done1:
		t.Fatalf("the first pull ended before it downloaded a layer: %v\n%s", err, out1.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the first pull never asked for a layer")
	}
	f.store.Lock()
	c := f.store.pullingPool[key]
	f.store.Unlock()
	require.NotNil(t, c, "while the first pull runs, poolAdd keeps a channel for %q in store.pullingPool", key)

	w2 := &labCh09Watch{want: "already being pulled by another client. Waiting.", seen: make(chan struct{})}
	done2 := labCh09Pull(f, name, w2)
	var err2 error
	ended2 := false
	select {
	case <-w2.seen:
	case err2 = <-done2:
		ended2 = true
	case <-time.After(30 * time.Second):
		t.Fatal("the second pull neither waited nor ended")
	}
	unblock.Do(func() { close(release) })
	require.NoError(t, labCh09Result(t, done1, "the first pull"), "the first pull; it wrote:\n%s", out1.String())
	if ended2 {
		t.Fatalf("the second pull of %s must wait for the first (poolAdd answers the first pull's channel with its error, and CmdPull waits on it); it ran on its own and ended with: %v", key, err2)
	}
	require.True(t, labCh09Closed(c), "when the first pull ends, poolRemove closes its channel: the second pull is waiting on it")
	f.store.Lock()
	left := len(f.store.pullingPool)
	f.store.Unlock()
	assert.Zero(t, left, "poolRemove takes each key out of the pool when its work ends")
	require.NoError(t, labCh09Result(t, done2, "the second pull"))
	for _, id := range ids {
		assert.Equal(t, 1, tr.layers[id], "layer %s is downloaded once, by the first pull", image.TruncateID(id))
	}
	img, err := f.store.LookupImage(key)
	require.NoError(t, err)
	assert.Equal(t, ids[1], img.ID)
}
