// Package graphtest is the conformance suite every storage driver passes:
// the same layer operations, the same visible results, whatever the
// driver does underneath (copies for vfs, overlay mounts for overlay).
//
// Upstream: daemon/graphdriver/graphtest/graphtest.go at v1.2.0 (create
// empty, create base, create child, verify files). These tests are
// dockerlab's own and go further: parents visible in children, children's
// writes not reaching parents, and a layer's diff carried to another layer.
// Book: ch.8 (union mount), ch.10 §10.4–10.5.
// Notes: 003.
package graphtest

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// NewDriver makes a fresh driver for one subtest (skipping the test if the
// driver cannot run here). It must arrange for Cleanup itself.
type NewDriver func(t *testing.T) graphdriver.Driver

// Run runs every conformance test against drivers made by newDriver.
func Run(t *testing.T, newDriver NewDriver) {
	tests := []struct {
		name string
		fn   func(*testing.T, graphdriver.Driver)
	}{
		{"CreateEmpty", testCreateEmpty},
		{"BadIDsAndMissingLayers", testBadIDs},
		{"CreateTwice", testCreateTwice},
		{"ChildSeesParent", testChildSeesParent},
		{"ChildWritesStayInChild", testChildWritesStayInChild},
		{"ThreeLevels", testThreeLevels},
		{"ChildKeepsModesAndLinks", testChildKeepsModesAndLinks},
		{"GetPutTwice", testGetPutTwice},
		{"DiffRoundTrip", testDiffRoundTrip},
		{"RemoveThenCreateAgain", testRemoveThenCreateAgain},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newDriver(t)) })
	}
}

// Files is a tiny file-tree description: relative path -> content.
type Files map[string]string

// Write puts files into a layer through Get/Put.
func Write(t *testing.T, d graphdriver.Driver, id string, files Files) {
	t.Helper()
	dir, err := d.Get(id, "")
	require.NoError(t, err)
	defer d.Put(id)
	for rel, content := range files {
		p := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0644))
	}
}

// Read lists every regular file of a layer (as its Get shows it).
func Read(t *testing.T, d graphdriver.Driver, id string) Files {
	t.Helper()
	dir, err := d.Get(id, "")
	require.NoError(t, err)
	defer d.Put(id)
	files := Files{}
	require.NoError(t, filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	}))
	return files
}

func testCreateEmpty(t *testing.T, d graphdriver.Driver) {
	require.False(t, d.Exists("empty"))
	require.NoError(t, d.Create("empty", ""))
	assert.True(t, d.Exists("empty"))
	dir, err := d.Get("empty", "")
	require.NoError(t, err)
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.True(t, fi.IsDir())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "a new base layer is empty")
	d.Put("empty")
	require.NoError(t, d.Remove("empty"))
	assert.False(t, d.Exists("empty"))
}

func testBadIDs(t *testing.T, d graphdriver.Driver) {
	for _, id := range []string{"", "..", "a/b", "../escape"} {
		err := d.Create(id, "")
		assert.True(t, errors.Is(err, backend.ErrInvalid), "Create(%q): %v", id, err)
		assert.False(t, d.Exists(id))
	}
	_, err := d.Get("missing", "")
	assert.True(t, errors.Is(err, backend.ErrNotFound), "Get missing: %v", err)
	assert.True(t, errors.Is(d.Remove("missing"), backend.ErrNotFound))
	err = d.Create("orphan", "missing")
	assert.True(t, errors.Is(err, backend.ErrNotFound), "Create on missing parent: %v", err)
	assert.False(t, d.Exists("orphan"))
}

func testCreateTwice(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("once", ""))
	err := d.Create("once", "")
	assert.True(t, errors.Is(err, backend.ErrExists), "second Create: %v", err)
}

func testChildSeesParent(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("base", ""))
	Write(t, d, "base", Files{"etc/hostname": "base", "bin/sh": "shell"})
	require.NoError(t, d.Create("child", "base"))
	assert.Equal(t, Files{"etc/hostname": "base", "bin/sh": "shell"}, Read(t, d, "child"))
}

func testChildWritesStayInChild(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("base", ""))
	Write(t, d, "base", Files{"etc/hostname": "base", "etc/motd": "hi"})
	require.NoError(t, d.Create("child", "base"))

	dir, err := d.Get("child", "")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc/hostname"), []byte("child"), 0644))
	require.NoError(t, os.Remove(filepath.Join(dir, "etc/motd")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "new"), []byte("n"), 0644))
	d.Put("child")

	assert.Equal(t, Files{"etc/hostname": "child", "new": "n"}, Read(t, d, "child"))
	assert.Equal(t, Files{"etc/hostname": "base", "etc/motd": "hi"}, Read(t, d, "base"))
}

func testThreeLevels(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("l1", ""))
	Write(t, d, "l1", Files{"one": "1"})
	require.NoError(t, d.Create("l2", "l1"))
	Write(t, d, "l2", Files{"two": "2"})
	require.NoError(t, d.Create("l3", "l2"))
	Write(t, d, "l3", Files{"three": "3", "one": "1b"})

	assert.Equal(t, Files{"one": "1b", "two": "2", "three": "3"}, Read(t, d, "l3"))
	assert.Equal(t, Files{"one": "1", "two": "2"}, Read(t, d, "l2"))
	assert.Equal(t, Files{"one": "1"}, Read(t, d, "l1"))
}

func testGetPutTwice(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("base", ""))
	require.NoError(t, d.Create("child", "base"))
	a, err := d.Get("child", "")
	require.NoError(t, err)
	b, err := d.Get("child", "")
	require.NoError(t, err)
	assert.Equal(t, a, b, "a second Get gives the same directory")
	d.Put("child")
	// Still usable after one Put: the other Get holds it.
	_, err = os.ReadDir(a)
	assert.NoError(t, err)
	d.Put("child")
}

// Diff returns layer id's own changes as a tar: the driver's Differ if it
// has one, else what the graph does for drivers without one (compare the
// layer with its parent, ch.10 §10.5).
func Diff(t *testing.T, d graphdriver.Driver, id, parent string) ([]archive.Change, archive.Archive) {
	t.Helper()
	if differ, ok := d.(graphdriver.Differ); ok {
		changes, err := differ.Changes(id)
		require.NoError(t, err)
		a, err := differ.Diff(id)
		require.NoError(t, err)
		return changes, a
	}
	dir, err := d.Get(id, "")
	require.NoError(t, err)
	t.Cleanup(func() { d.Put(id) })
	parentDir := ""
	if parent != "" {
		parentDir, err = d.Get(parent, "")
		require.NoError(t, err)
		t.Cleanup(func() { d.Put(parent) })
	}
	changes, err := archive.ChangesDirs(dir, parentDir)
	require.NoError(t, err)
	a, err := archive.ExportChanges(dir, changes)
	require.NoError(t, err)
	return changes, a
}

func testDiffRoundTrip(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("base", ""))
	Write(t, d, "base", Files{"etc/passwd": "root", "tmp/junk": "j"})
	require.NoError(t, d.Create("child", "base"))
	Write(t, d, "child", Files{"etc/passwd": "root\nuser", "home/u/.rc": "rc"})
	dir, err := d.Get("child", "")
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(dir, "tmp/junk")))
	d.Put("child")

	changes, diff := Diff(t, d, "child", "base")
	var paths []string
	for _, c := range changes {
		paths = append(paths, c.String())
	}
	sort.Strings(paths)
	assert.Contains(t, paths, "C /etc/passwd")
	assert.Contains(t, paths, "A /home/u/.rc")
	assert.Contains(t, paths, "D /tmp/junk")

	// Carry the diff to a second child of base: it must look the same.
	require.NoError(t, d.Create("replay", "base"))
	if differ, ok := d.(graphdriver.Differ); ok {
		require.NoError(t, differ.ApplyDiff("replay", diff))
		size, err := differ.DiffSize("replay")
		require.NoError(t, err)
		assert.Equal(t, int64(len("root\nuser")+len("rc")), size)
	} else {
		replayDir, err := d.Get("replay", "")
		require.NoError(t, err)
		require.NoError(t, archive.ApplyLayer(replayDir, diff))
		d.Put("replay")
		assert.Equal(t, int64(len("root\nuser")+len("rc")), archive.ChangesSize(dir, changes))
	}
	require.NoError(t, diff.Close())
	assert.Equal(t, Read(t, d, "child"), Read(t, d, "replay"))
	assert.Equal(t, Files{"etc/passwd": "root", "tmp/junk": "j"}, Read(t, d, "base"))
}

func testRemoveThenCreateAgain(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("base", ""))
	Write(t, d, "base", Files{"f": "old"})
	require.NoError(t, d.Create("child", "base"))
	_, err := d.Get("child", "")
	require.NoError(t, err)
	d.Put("child")
	require.NoError(t, d.Remove("child"))
	require.NoError(t, d.Remove("base"))
	require.NoError(t, d.Create("base", ""))
	assert.Equal(t, Files{}, Read(t, d, "base"), "a re-created layer starts empty")
	require.NoError(t, d.Cleanup())
}

// Upstream's graphtest checked the base layer's file modes (a sticky
// /tmp-like directory, a 0600 file) as the child sees them; so do we,
// with a symlink too.
func testChildKeepsModesAndLinks(t *testing.T, d graphdriver.Driver) {
	require.NoError(t, d.Create("base", ""))
	dir, err := d.Get("base", "")
	require.NoError(t, err)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "tmp"), 0755))
	require.NoError(t, os.Chmod(filepath.Join(dir, "tmp"), 0777|os.ModeSticky))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "secret"), []byte("s"), 0600))
	require.NoError(t, os.Chmod(filepath.Join(dir, "secret"), 0600))
	require.NoError(t, os.Symlink("secret", filepath.Join(dir, "link")))
	d.Put("base")

	require.NoError(t, d.Create("child", "base"))
	cdir, err := d.Get("child", "")
	require.NoError(t, err)
	defer d.Put("child")
	fi, err := os.Stat(filepath.Join(cdir, "tmp"))
	require.NoError(t, err)
	assert.Equal(t, os.ModeDir|os.ModeSticky|0777, fi.Mode())
	fi, err = os.Stat(filepath.Join(cdir, "secret"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0600), fi.Mode())
	target, err := os.Readlink(filepath.Join(cdir, "link"))
	require.NoError(t, err)
	assert.Equal(t, "secret", target)
}
