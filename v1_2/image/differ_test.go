// A driver with a Differ of its own (as upstream's aufs and btrfs were)
// takes and gives layers itself: StoreImage and TarLayer must use it.
package image

import (
	"io"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// differDriver wraps vfs and records that its Differ was used.
type differDriver struct {
	graphdriver.Driver
	applied []string
}

func (d *differDriver) ApplyDiff(id string, diff archive.ArchiveReader) error {
	d.applied = append(d.applied, id)
	dir, err := d.Get(id, "")
	if err != nil {
		return err
	}
	defer d.Put(id)
	return archive.ApplyLayer(dir, diff)
}
func (d *differDriver) DiffSize(id string) (int64, error) { return 99, nil }
func (d *differDriver) Changes(id string) ([]archive.Change, error) {
	return []archive.Change{{Path: "/own", Kind: archive.ChangeAdd}}, nil
}
func (d *differDriver) Diff(id string) (archive.Archive, error) {
	return io.NopCloser(strings.NewReader("own diff")), nil
}

func TestStoreAndTarLayerUseDiffer(t *testing.T) {
	g := newMemGraph(t)
	dd := &differDriver{Driver: g.driver}
	g.driver = dd
	img := g.add(t, "d1", "", map[string]string{"f": "content"})
	assert.Equal(t, []string{"d1"}, dd.applied)
	assert.Equal(t, int64(99), img.Size, "the size comes from DiffSize")

	a, err := img.TarLayer()
	require.NoError(t, err)
	b, err := io.ReadAll(a)
	require.NoError(t, err)
	assert.Equal(t, "own diff", string(b))
}
