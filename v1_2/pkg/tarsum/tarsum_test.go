package tarsum

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample is a tar of a directory, a small file and a file larger than
// one chunk.
func sample(t *testing.T) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mtime := time.Unix(1400000000, 0)
	big := strings.Repeat("0123456789abcdef", 5000) // 80000 bytes: three chunks
	for _, m := range []struct {
		name, body string
		dir        bool
	}{{"dir/", "", true}, {"dir/hello", "hello\n", false}, {"big", big, false}} {
		hdr := &tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.body)), ModTime: mtime, Typeflag: tar.TypeReg, Uid: 1000, Gid: 1000}
		if m.dir {
			hdr.Typeflag, hdr.Mode = tar.TypeDir, 0o755
		}
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(m.body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// wantSum is tarsum v0 of one member written out by hand.
func wantSum(name string, mode int64, size int, typeflag byte, body string) string {
	h := sha256.New()
	h.Write([]byte("name" + name + "mode" + itoa(mode) + "uid1000gid1000size" + itoa(int64(size)) +
		"mtime1400000000typeflag" + string([]byte{typeflag}) + "linknameunamegnamedevmajor0devminor0"))
	h.Write([]byte(body))
	return hex.EncodeToString(h.Sum(nil))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSumsAndPassThrough(t *testing.T) {
	in := sample(t)
	ts := &TarSum{Reader: bytes.NewReader(in), DisableCompression: true}
	out, err := io.ReadAll(ts)
	require.NoError(t, err)

	// The stream that comes out holds the same members and bytes.
	tr := tar.NewReader(bytes.NewReader(out))
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		names = append(names, hdr.Name)
		if hdr.Name == "big" {
			b, _ := io.ReadAll(tr)
			assert.Len(t, b, 80000)
		}
	}
	assert.Equal(t, []string{"dir/", "dir/hello", "big"}, names)

	sums := ts.GetSums()
	want := map[string]string{
		"dir/":      wantSum("dir/", 0o755, 0, tar.TypeDir, ""),
		"dir/hello": wantSum("dir/hello", 0o644, 6, tar.TypeReg, "hello\n"),
		"big":       wantSum("big", 0o644, 80000, tar.TypeReg, strings.Repeat("0123456789abcdef", 5000)),
	}
	assert.Equal(t, want, sums)

	all := []string{want["dir/"], want["dir/hello"], want["big"]}
	sort.Strings(all)
	h := sha256.New()
	h.Write([]byte("{}"))
	for _, s := range all {
		h.Write([]byte(s))
	}
	assert.Equal(t, "tarsum+sha256:"+hex.EncodeToString(h.Sum(nil)), ts.Sum([]byte("{}")))
}

func TestCompressedByDefault(t *testing.T) {
	in := sample(t)
	ts := &TarSum{Reader: bytes.NewReader(in)}
	out, err := io.ReadAll(ts)
	require.NoError(t, err)
	zr, err := gzip.NewReader(bytes.NewReader(out))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	_, err = tar.NewReader(bytes.NewReader(plain)).Next()
	require.NoError(t, err)
	assert.Len(t, ts.GetSums(), 3)
}

func TestBrokenTarIsAnError(t *testing.T) {
	ts := &TarSum{Reader: strings.NewReader(strings.Repeat("x", 1024)), DisableCompression: true}
	_, err := io.ReadAll(ts)
	assert.Error(t, err)
	assert.Equal(t, err, ts.Err())
}
