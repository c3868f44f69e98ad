//go:build !windows

// Tests of the confined extractor: the hostile table under each set of
// options, then what a well-formed layer needs from it.
package chrootarchive

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/dockerlab/dockerlab/pkg/chrootarchive/archivetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func hostile(opts *Options) archivetest.Setup {
	return func(t *testing.T, sb *archivetest.Sandbox) (string, func([]byte) (string, error)) {
		dest := filepath.Join(sb.Base, "dest")
		require.NoError(t, os.Mkdir(dest, 0755))
		return dest, func(tarball []byte) (string, error) {
			_, err := Untar(bytes.NewReader(tarball), dest, opts)
			return dest, err
		}
	}
}

func TestHostileArchives(t *testing.T) {
	t.Run("plain", func(t *testing.T) { archivetest.Run(t, hostile(nil)) })
	t.Run("whiteouts", func(t *testing.T) { archivetest.Run(t, hostile(&Options{Whiteouts: true})) })
	t.Run("nodevices", func(t *testing.T) { archivetest.Run(t, hostile(&Options{NoDevices: true, NoLchown: true})) })
}

func untarEntries(t *testing.T, dest string, opts *Options, entries ...archivetest.Entry) error {
	t.Helper()
	_, err := Untar(bytes.NewReader(archivetest.Tar(t, entries)), dest, opts)
	return err
}

// What a well-formed layer needs: modes (setuid included), times, a
// read-only directory that still receives its files without root,
// absolute symlinks followed as inside a chroot, and hard links to
// symlinks kept as such.
func TestUnpacksWhatALayerHolds(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "made-if-missing")
	mtime := time.Date(2014, 8, 21, 12, 0, 0, 0, time.UTC)
	var entries []archivetest.Entry
	entries = append(entries,
		archivetest.Entry{Name: "ro/", Type: tar.TypeDir, Mode: 0555},
		archivetest.Entry{Name: "ro/f", Body: "in a read-only dir"},
		archivetest.Entry{Name: "bin/busybox", Body: "#!busybox", Mode: 04755},
		archivetest.Entry{Name: "bin/sh", Type: tar.TypeSymlink, Link: "/bin/busybox"},
		archivetest.Entry{Name: "bin/ash", Type: tar.TypeLink, Link: "/bin/sh"},
		archivetest.Entry{Name: "opt/", Type: tar.TypeDir, Mode: 0755},
		archivetest.Entry{Name: "usr", Type: tar.TypeSymlink, Link: "/opt"},
		archivetest.Entry{Name: "usr/x", Body: "through an absolute symlink"},
	)
	tarball := archivetest.Tar(t, entries)
	// Give every member the same time.
	var buf bytes.Buffer
	tr, tw := tar.NewReader(bytes.NewReader(tarball)), tar.NewWriter(&buf)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		hdr.ModTime = mtime
		require.NoError(t, tw.WriteHeader(hdr))
		_, err = io.Copy(tw, tr)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	n, err := Untar(&buf, dest, nil)
	require.NoError(t, err)
	assert.Equal(t, len(entries), n)

	fi, err := os.Stat(filepath.Join(dest, "ro"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0555), fi.Mode().Perm())
	assert.True(t, fi.ModTime().Equal(mtime), "a directory's time is set after its members")
	b, err := os.ReadFile(filepath.Join(dest, "ro/f"))
	require.NoError(t, err)
	assert.Equal(t, "in a read-only dir", string(b))
	fi, err = os.Stat(filepath.Join(dest, "bin/busybox"))
	require.NoError(t, err)
	assert.Equal(t, os.ModeSetuid|0755, fi.Mode()&(os.ModeSetuid|os.ModePerm))
	assert.True(t, fi.ModTime().Equal(mtime))
	fi, err = os.Lstat(filepath.Join(dest, "bin/ash"))
	require.NoError(t, err)
	assert.Equal(t, os.ModeSymlink, fi.Mode().Type(), "a hard link to a symlink is the symlink again")
	b, err = os.ReadFile(filepath.Join(dest, "opt/x"))
	require.NoError(t, err)
	assert.Equal(t, "through an absolute symlink", string(b))
	require.NoError(t, os.Chmod(filepath.Join(dest, "ro"), 0755)) // let TempDir's cleanup in
}

func TestWhiteouts(t *testing.T) {
	dest := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dest, "etc/sub"), 0755))
	require.NoError(t, os.WriteFile(filepath.Join(dest, "etc/motd"), []byte("hi"), 0644))
	layer := []archivetest.Entry{
		{Name: "etc/.wh.motd"},
		{Name: "etc/.wh.sub"},
		{Name: "gone/.wh.x"}, // a deletion under a directory that is not there
		{Name: ".wh..wh.plnk/", Type: tar.TypeDir, Mode: 0755},
		{Name: ".wh..wh.plnk/123", Body: "aufs"},
		{Name: "etc/new", Body: "new"},
	}
	require.NoError(t, untarEntries(t, dest, &Options{Whiteouts: true}, layer...))
	assert.NoFileExists(t, filepath.Join(dest, "etc/motd"))
	assert.NoDirExists(t, filepath.Join(dest, "etc/sub"))
	assert.NoFileExists(t, filepath.Join(dest, "etc/.wh.motd"))
	assert.NoDirExists(t, filepath.Join(dest, "gone"), "a whiteout makes no directory to hold it")
	assert.NoDirExists(t, filepath.Join(dest, ".wh..wh.plnk"))
	assert.FileExists(t, filepath.Join(dest, "etc/new"))

	plain := t.TempDir()
	require.NoError(t, untarEntries(t, plain, nil, layer...))
	assert.FileExists(t, filepath.Join(plain, "etc/.wh.motd"), "without Whiteouts a .wh. member is a file")
}

func TestNoDevicesAndOwners(t *testing.T) {
	dest := t.TempDir()
	require.NoError(t, untarEntries(t, dest, &Options{NoDevices: true},
		archivetest.Entry{Name: "fifo", Type: tar.TypeFifo},
		archivetest.Entry{Name: "owned", Body: "x"}))
	assert.NoFileExists(t, filepath.Join(dest, "fifo"))

	if os.Geteuid() != 0 {
		t.Log("owners are kept only as root; this run checks NoDevices alone")
		return
	}
	for _, opts := range []*Options{nil, {NoLchown: true}} {
		dest := t.TempDir()
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: "owned", Typeflag: tar.TypeReg, Mode: 0644, Uid: 1234, Gid: 5678}))
		require.NoError(t, tw.Close())
		_, err := Untar(&buf, dest, opts)
		require.NoError(t, err)
		fi, err := os.Lstat(filepath.Join(dest, "owned"))
		require.NoError(t, err)
		st := fi.Sys().(*syscall.Stat_t)
		if opts == nil {
			assert.Equal(t, [2]uint32{1234, 5678}, [2]uint32{st.Uid, st.Gid})
		} else {
			assert.Equal(t, [2]uint32{0, 0}, [2]uint32{st.Uid, st.Gid})
		}
	}
}

func TestHostileArchivesAsOrdinaryUser(t *testing.T) {
	archivetest.AsOrdinaryUser(t, "^TestHostileArchives$")
}
