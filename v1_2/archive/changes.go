// What a layer changed compared with its parent. A driver without a diff
// of its own (vfs) holds full copies, so the graph finds a layer's content
// by walking the child and the parent side by side.
//
// Upstream: archive/changes.go at v1.2.0 (ChangesDirs, ChangesSize,
// ExportChanges).
// Book: ch.10 §10.5 (计算镜像大小).
// Notes: 003 "联合文件系统".
package archive

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"time"
)

// ChangeType is what happened to a path.
type ChangeType int

const (
	ChangeModify ChangeType = iota
	ChangeAdd
	ChangeDelete
)

// Change is one path (with a leading "/") and what happened to it.
type Change struct {
	Path string
	Kind ChangeType
}

// String is the line `docker diff` prints: "A /etc/foo".
func (c Change) String() string {
	return fmt.Sprintf("%s %s", [...]string{"C", "A", "D"}[c.Kind], c.Path)
}

// ChangesDirs lists what newDir changed relative to oldDir, sorted by path,
// with Docker 1.2's rules:
//   - a path only in newDir is added, and so is everything under it;
//   - a path in both is modified when its type, mode, owner, size, link
//     target or mtime differs. A directory's size does not count, but its
//     mtime does: adding /etc/newfile changes /etc too ("C /etc");
//   - a path only in oldDir is deleted, and only the top of what went is
//     listed: after `rm -rf /data`, "D /data" and nothing under it. Nor is
//     anything listed under a directory that became a file ("C /data"),
//     since replacing it deletes what it held.
//
// The last rule is what keeps a committed layer right: one whiteout per
// deleted tree, never one for a path whose parent is gone too.
func ChangesDirs(newDir, oldDir string) ([]Change, error) {
	newFiles, err := snapshot(newDir)
	if err != nil {
		return nil, err
	}
	oldFiles := map[string]os.FileInfo{}
	if oldDir != "" {
		if oldFiles, err = snapshot(oldDir); err != nil {
			return nil, err
		}
	}
	var changes []Change
	for p, nfi := range newFiles {
		ofi, existed := oldFiles[p]
		switch {
		case !existed:
			changes = append(changes, Change{p, ChangeAdd})
		case differs(filepath.Join(newDir, p), filepath.Join(oldDir, p), nfi, ofi):
			changes = append(changes, Change{p, ChangeModify})
		}
	}
	for p := range oldFiles {
		if _, kept := newFiles[p]; kept {
			continue
		}
		// Listed only when its directory is still a directory: otherwise
		// the deletion (or replacement) of an ancestor says it already.
		if dir := path.Dir(p); dir == "/" || newFiles[dir] != nil && newFiles[dir].IsDir() {
			changes = append(changes, Change{p, ChangeDelete})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}

// snapshot maps "/rel/path" to its Lstat for every entry under dir.
func snapshot(dir string) (map[string]os.FileInfo, error) {
	files := map[string]os.FileInfo{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		files["/"+filepath.ToSlash(rel)] = fi
		return nil
	})
	return files, err
}

func differs(newPath, oldPath string, n, o os.FileInfo) bool {
	if n.Mode() != o.Mode() || owner(n) != owner(o) {
		return true
	}
	if n.IsDir() {
		// Creating or deleting an entry changes its directory's mtime;
		// the size of a directory says nothing useful.
		return !sameFsTime(n.ModTime(), o.ModTime())
	}
	if n.Mode()&os.ModeSymlink != 0 {
		// A symlink's own mtime is not restored on unpack: compare targets.
		nt, _ := os.Readlink(newPath)
		ot, _ := os.Readlink(oldPath)
		return nt != ot
	}
	return n.Size() != o.Size() || !sameFsTime(n.ModTime(), o.ModTime())
}

// sameFsTime: tar keeps whole seconds, so a file that went through a tar
// on one side must still compare equal to the original.
func sameFsTime(a, b time.Time) bool {
	return a.Equal(b) || (a.Unix() == b.Unix() && (a.Nanosecond() == 0 || b.Nanosecond() == 0))
}

// ChangesSize is how many bytes the added and modified regular files of
// dir take: the "size" of a layer that ch.10 §10.5 stores in layersize.
func ChangesSize(dir string, changes []Change) int64 {
	var size int64
	seen := map[uint64]bool{}
	for _, c := range changes {
		if c.Kind == ChangeDelete {
			continue
		}
		fi, err := os.Lstat(filepath.Join(dir, c.Path))
		if err != nil || fi.IsDir() {
			continue
		}
		if ino, nlink := inode(fi); nlink > 1 {
			if seen[ino] {
				continue
			}
			seen[ino] = true
		}
		size += fi.Size()
	}
	return size
}

// ExportChanges writes the changes of dir as a layer: a ".wh." whiteout
// per deletion, then the added and modified paths with their content.
// The whiteouts come first so that a layer never deletes what it has just
// written: whatever replaces a deleted path follows its whiteout.
func ExportChanges(dir string, changes []Change) (Archive, error) {
	var paths, whiteouts []string
	for _, c := range changes {
		rel := c.Path[1:]
		if c.Kind == ChangeDelete {
			whiteouts = append(whiteouts, rel)
		} else {
			paths = append(paths, rel)
		}
	}
	return writeTar(dir, paths, whiteouts), nil
}
