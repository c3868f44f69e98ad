//go:build !linux

// Outside Linux, device nodes and fifos in an archive are skipped.
package chrootarchive

import (
	"archive/tar"
	"errors"
	"os"
)

func mknodAt(root *os.Root, dir, base string, hdr *tar.Header) error {
	return errors.ErrUnsupported
}
