// A layer buffered on disk: `docker push` and `docker save` needed a
// layer's size before sending it, so the graph wrote it to a temp file
// first. The file deletes itself once read to the end or closed.
//
// Upstream: archive/archive.go at v1.2.0 (TempArchive, NewTempArchive).
package archive

import (
	"io"
	"os"
)

// TempArchive is a file-backed archive that knows its size.
type TempArchive struct {
	*os.File
	Size int64
}

// NewTempArchive copies src into a new file in dir and rewinds it.
func NewTempArchive(src io.Reader, dir string) (*TempArchive, error) {
	f, err := os.CreateTemp(dir, "layer-")
	if err != nil {
		return nil, err
	}
	size, err := io.Copy(f, src)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &TempArchive{File: f, Size: size}, nil
}

// Read removes the file as soon as the last byte has been read.
func (t *TempArchive) Read(p []byte) (int, error) {
	n, err := t.File.Read(p)
	if err == io.EOF {
		t.Close()
	}
	return n, err
}

// Close closes and removes the file; calling it twice is harmless.
func (t *TempArchive) Close() error {
	t.File.Close()
	if err := os.Remove(t.File.Name()); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}
