// Package ioutils writes files so that a crash never leaves half of one.
//
// Not upstream: Docker 1.2 wrote its state files in place (graph/tags.go
// save, registry/auth.go SaveConfig), so a crash mid-write could leave a
// truncated file; later Dockers added pkg/ioutils.AtomicWriteFile for
// the same reason (docs/divergences.md).
// Book: ch.4 §4.3 (the daemon's state on disk).
package ioutils

import (
	"os"
	"path/filepath"
)

// AtomicWriteFile writes data to a temporary file beside path, sets
// perm, and renames it over path.
func AtomicWriteFile(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after a successful rename anyway
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
