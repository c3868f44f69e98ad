// Changes: what a writable layer added, changed and deleted compared with
// the layers below it — the lines of `docker diff` ("A /path", "C /path",
// "D /path").
//
// Upstream: changes.go at v0.1.0 (Change, ChangeType, Changes). See
// docs/upstream/v0.1.0.md §7 "Changes", §9.7.
// Book: ch.8 (Union Mount: 写时复制与whiteout, for 1.2).
//
// `diff` compares the container's rw layer with the image's layers; note
// 002 does not cover it.
//
// How it decides, for every entry of rw (the top layer):
//   - ".wh.NAME" is AUFS's whiteout: NAME was deleted → D;
//   - a path that some layer below also has → C, except a directory whose
//     size, mode and modification time did not change (AUFS copies
//     directories up when something inside changes; that is not a change
//     of the directory itself);
//   - anything else → A.
//
// Divergence (docs/divergences.md "v0.1 diff of deleted names"): 0.1.0 cut
// the prefix with strings.TrimLeft(name, ".wh."), which removes any of the
// characters '.', 'w', 'h' — ".wh.where" became "ere" (§9.7; fixed upstream
// in e16c934). Here only the prefix goes. Changes are sorted by path.
package docker

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ChangeType is the kind of a change; the values are 0.1.0's.
type ChangeType int

const (
	ChangeModify ChangeType = 0
	ChangeAdd    ChangeType = 1
	ChangeDelete ChangeType = 2
)

// Change is one changed path, absolute inside the container.
type Change struct {
	Path string
	Kind ChangeType
}

// String is the line `docker diff` prints.
func (change *Change) String() string {
	var kind string
	switch change.Kind {
	case ChangeModify:
		kind = "C"
	case ChangeAdd:
		kind = "A"
	case ChangeDelete:
		kind = "D"
	}
	return fmt.Sprintf("%s %s", kind, change.Path)
}

// Changes compares rw with layers (the layers below it, in any order).
func Changes(layers []string, rw string) ([]Change, error) {
	var changes []Change
	err := filepath.WalkDir(rw, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(rw, p)
		if err != nil || rel == "." {
			return err
		}
		file := "/" + filepath.ToSlash(rel)
		base := filepath.Base(rel)
		if strings.HasPrefix(base, ".wh..wh.") {
			// AUFS's own bookkeeping (.wh..wh.aufs, .wh..wh.orph, …).
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if deleted, ok := isWhiteout(rel); ok {
			changes = append(changes, Change{Path: "/" + filepath.ToSlash(deleted), Kind: ChangeDelete})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		change := Change{Path: file, Kind: ChangeAdd}
		for _, layer := range layers {
			below, err := os.Lstat(filepath.Join(layer, rel))
			if err != nil {
				continue
			}
			if info.IsDir() && below.IsDir() && info.Size() == below.Size() &&
				info.Mode() == below.Mode() && info.ModTime().Equal(below.ModTime()) {
				return nil // the same directory, copied up: no change
			}
			change.Kind = ChangeModify
			break
		}
		changes = append(changes, change)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}
