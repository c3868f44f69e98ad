//go:build !windows

// The hostile-archive table (pkg/chrootarchive/archivetest) against
// ApplyLayer and Untar: nothing may land outside the destination. Docker
// 1.2.0 failed this (CVE-2014-6407/6408, fixed in 1.3.2).
package archive

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockerlab/dockerlab/pkg/chrootarchive/archivetest"
	"github.com/stretchr/testify/require"
)

// into makes dest under the sandbox and unpacks with unpack.
func into(rel string, unpack func(dest string, tarball []byte) error) archivetest.Setup {
	return func(t *testing.T, sb *archivetest.Sandbox) (string, func([]byte) (string, error)) {
		dest := filepath.Join(sb.Base, rel)
		require.NoError(t, os.MkdirAll(dest, 0755))
		return dest, func(tarball []byte) (string, error) { return dest, unpack(dest, tarball) }
	}
}

func TestApplyLayerHostileArchives(t *testing.T) {
	archivetest.Run(t, into("graph/layer", func(dest string, tarball []byte) error {
		return ApplyLayer(dest, bytes.NewReader(tarball))
	}))
}

func TestUntarHostileArchives(t *testing.T) {
	archivetest.Run(t, into("dest", func(dest string, tarball []byte) error {
		return Untar(bytes.NewReader(tarball), dest)
	}))
}

func TestHostileArchivesAsOrdinaryUser(t *testing.T) {
	archivetest.AsOrdinaryUser(t, "^Test(ApplyLayer|Untar)HostileArchives$")
}
