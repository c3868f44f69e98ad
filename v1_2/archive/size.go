// How much disk a directory tree uses.
//
// Upstream: utils/utils.go at v1.2.0 (TreeSize).
// Book: ch.10 §10.5 (the size of a base layer is the size of its tree).
package archive

import (
	"os"
	"path/filepath"
)

// TreeSize sums the sizes of everything under dir, counting a hard-linked
// file once.
func TreeSize(dir string) (int64, error) {
	var size int64
	seen := map[uint64]bool{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return nil
		}
		if ino, nlink := inode(fi); nlink > 1 {
			if seen[ino] {
				return nil
			}
			seen[ino] = true
		}
		size += fi.Size()
		return nil
	})
	return size, err
}
