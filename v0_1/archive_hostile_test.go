//go:build !windows

// The hostile-archive table (pkg/chrootarchive/archivetest) against
// v0.1's Untar and its import (Graph.Create): nothing may land outside
// the layer, whatever the archive holds.
package docker

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockerlab/dockerlab/pkg/chrootarchive/archivetest"
	"github.com/stretchr/testify/require"
)

func TestUntarHostileArchives(t *testing.T) {
	archivetest.Run(t, func(t *testing.T, sb *archivetest.Sandbox) (string, func([]byte) (string, error)) {
		dest := filepath.Join(sb.Base, "layer")
		require.NoError(t, os.Mkdir(dest, 0755))
		return dest, func(tarball []byte) (string, error) {
			return dest, Untar(bytes.NewReader(tarball), dest)
		}
	})
}

func TestImportHostileArchives(t *testing.T) {
	archivetest.Run(t, func(t *testing.T, sb *archivetest.Sandbox) (string, func([]byte) (string, error)) {
		g, err := NewGraph(filepath.Join(sb.Base, "graph"))
		require.NoError(t, err)
		return g.Root, func(tarball []byte) (string, error) {
			img, err := g.Create(bytes.NewReader(tarball), nil, "hostile")
			if err != nil {
				return "", err
			}
			return layerPath(g.imageRoot(img.Id)), nil
		}
	})
}

func TestHostileArchivesAsOrdinaryUser(t *testing.T) {
	archivetest.AsOrdinaryUser(t, "^Test(Untar|Import)HostileArchives$")
}
