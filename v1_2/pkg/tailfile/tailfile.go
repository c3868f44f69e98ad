// Package tailfile reproduces Docker 1.2.0's "last n lines of a file", used by
// `docker logs --tail N` on the json-file log.
//
// Upstream: pkg/tailfile/tailfile.go at v1.2.0 (used by daemon/logs.go). The
// book does not walk it; its caller is the logs job (v1_2/daemon/logs.go).
//
// Why read backwards: a long-running container's log can be gigabytes; the
// last ten lines are in the last few kilobytes. We read fixed blocks from the
// end towards the start and stop as soon as we have seen more than n line
// ends, so the cost depends on n, not on the size of the file.
package tailfile

import (
	"bytes"
	"errors"
	"io"
)

// blockSize is how much is read per step back from the end.
const blockSize = 1024

// ErrNonPositiveLinesNumber is returned for n <= 0 (upstream's message).
var ErrNonPositiveLinesNumber = errors.New("Lines number must be positive")

// TailFile returns the last n lines of f, without their "\n". A file that
// does not end in "\n" has its unfinished last part left out: that is a line
// still being written, and the log reader will meet it when it is done.
func TailFile(f io.ReadSeeker, n int) ([][]byte, error) {
	if n <= 0 {
		return nil, ErrNonPositiveLinesNumber
	}
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}

	var data []byte // the tail of the file read so far
	for end := size; end > 0; {
		start := max(end-blockSize, 0)
		block := make([]byte, end-start)
		if _, err := f.Seek(start, io.SeekStart); err != nil {
			return nil, err
		}
		if _, err := io.ReadFull(f, block); err != nil {
			return nil, err
		}
		data = append(block, data...)
		end = start
		// n lines need n line ends plus the end of the line before them.
		if bytes.Count(data, []byte{'\n'}) > n {
			break
		}
	}

	lines := bytes.Split(data, []byte{'\n'})
	lines = lines[:len(lines)-1] // after the last "\n": empty or unfinished
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines, nil
}
