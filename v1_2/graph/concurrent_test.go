// Many clients at once: the API server runs each request's job in its
// own goroutine, so the same tar may be loaded twice at the same moment.
package graph

import (
	"bytes"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConcurrentLoadsOfOneTar(t *testing.T) {
	f := newJobsFixture(t)
	register(t, f.graph, baseID, "", "etc/", "", "etc/motd", "hi")
	register(t, f.graph, midID, baseID, "mid", "12345")
	f.mustRun(t, nil, "tag", []string{midID, "app"})
	saved := []byte(f.mustRun(t, nil, "image_export", []string{"app"}))
	require.NoError(t, f.store.DeleteAll(midID))
	require.NoError(t, f.graph.Delete(midID))
	require.NoError(t, f.graph.Delete(baseID))

	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.run(t, bytes.NewReader(saved), "load", nil)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	images, err := f.graph.Map()
	require.NoError(t, err)
	assert.Len(t, images, 2)
	img, err := f.store.LookupImage("app")
	require.NoError(t, err)
	assert.Equal(t, midID, img.ID)
	assert.Equal(t, int64(5), img.Size)
}
