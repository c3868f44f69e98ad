// Helpers for the graph, runtime and command tests: a fake machine with
// lxcbr0 (as `dockerlab v0.1 setup-bridge` makes it) and small tarballs.
package docker

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

// newFakeHostWithBridge is a fresh fake machine after setup-bridge.
func newFakeHostWithBridge(t *testing.T) backend.Host {
	t.Helper()
	host := fake.New()
	require.NoError(t, SetupBridge(host, io.Discard))
	return host
}

// tarEntry is one member of a test tarball.
type tarEntry struct {
	name, body, link string
	dir              bool
	exec             bool // mode 0755 for a regular file
}

// makeTar builds a tarball in memory.
func makeTar(t *testing.T, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0644, Typeflag: tar.TypeReg, Size: int64(len(e.body))}
		switch {
		case e.exec:
			hdr.Mode = 0755
		case e.dir:
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeDir, 0755, 0
		case e.link != "":
			hdr.Typeflag, hdr.Linkname, hdr.Size = tar.TypeSymlink, e.link, 0
		}
		require.NoError(t, tw.WriteHeader(hdr))
		if hdr.Typeflag == tar.TypeReg {
			_, err := tw.Write([]byte(e.body))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// fakeTar is 0.1.0's graph_test fixture: three files saying hello.
func fakeTar(t *testing.T) []byte {
	return makeTar(t,
		tarEntry{name: "etc/", dir: true},
		tarEntry{name: "etc/postgres/postgres.conf", body: "Hello world!\n"},
		tarEntry{name: "etc/passwd", body: "Hello world!\n"},
		tarEntry{name: "var/log/postgres/postgres.conf", body: "Hello world!\n"},
		tarEntry{name: "bin/sh", link: "busybox"},
	)
}

// busyboxTar is the demo image when `make images` built it, else fakeTar.
func busyboxTar(t *testing.T) []byte {
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "build", "images", "busybox.tar"))
	if err == nil {
		return data
	}
	return fakeTar(t)
}
