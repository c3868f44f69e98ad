package lab

import (
	"os"
	"path/filepath"
)

// CopyTree writes the tree's files to out, nothing stubbed and without a
// student manifest: a clone's files, for the student-path scripts.
func CopyTree(l *Lab, out string) error {
	if err := l.writeTree(out, map[string][]byte{}, nil); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(out, labDir))
}
