// Package stdcopy multiplexes a container's stdout and stderr onto one
// connection and splits them apart again.
//
// Upstream: utils/stdcopy.go at v1.2.0 (StdWriter, NewStdWriter, StdCopy;
// later Docker moved it to pkg/stdcopy, where dockerlab keeps it).
// Book: ch.5 (the attach and logs handlers of the API server wrap the
// connection in two StdWriters when the container has no tty).
//
// The framing: every Write becomes one frame, an 8-byte header followed by
// the bytes written. Header byte 0 is the stream (0 stdin, 1 stdout, 2
// stderr), bytes 1-3 are zero, bytes 4-7 are the payload length, big
// endian. A container with a tty has only one stream, so the server sends
// it raw, without frames.
package stdcopy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// StdType is a frame header template: its first byte names the stream.
type StdType [8]byte

// The three streams a frame can carry.
var (
	Stdin  = StdType{0: 0}
	Stdout = StdType{0: 1}
	Stderr = StdType{0: 2}
)

const (
	headerLen = 8
	// maxFrame bounds one frame a reader accepts, so a corrupt length
	// cannot make StdCopy allocate gigabytes.
	maxFrame = 64 << 20
)

// ErrInvalidStdHeader is returned for a frame whose stream byte is not 0, 1 or 2.
var ErrInvalidStdHeader = errors.New("Unrecognized input header")

// StdWriter writes each Write as one frame of its stream to Writer.
type StdWriter struct {
	io.Writer
	prefix StdType
}

// NewStdWriter returns a writer that frames everything as stream t.
func NewStdWriter(w io.Writer, t StdType) *StdWriter {
	return &StdWriter{Writer: w, prefix: t}
}

// Write sends buf as one frame. It answers the number of payload bytes
// written, so callers such as io.Copy see their own count.
func (w *StdWriter) Write(buf []byte) (int, error) {
	if w == nil || w.Writer == nil {
		return 0, errors.New("stdcopy: StdWriter has no underlying writer")
	}
	if len(buf) == 0 {
		return 0, nil
	}
	frame := make([]byte, headerLen+len(buf))
	copy(frame, w.prefix[:])
	binary.BigEndian.PutUint32(frame[4:headerLen], uint32(len(buf)))
	copy(frame[headerLen:], buf)
	n, err := w.Writer.Write(frame)
	n -= headerLen
	if n < 0 {
		n = 0
	}
	return n, err
}

// StdCopy reads frames from src until EOF and writes each payload to
// dstout or dsterr. It answers the payload bytes written. A clean EOF
// between frames is not an error; EOF inside a frame is
// io.ErrUnexpectedEOF.
func StdCopy(dstout, dsterr io.Writer, src io.Reader) (written int64, err error) {
	var header [headerLen]byte
	buf := make([]byte, 32*1024)
	for {
		if _, err := io.ReadFull(src, header[:]); err != nil {
			if err == io.EOF {
				return written, nil
			}
			return written, err
		}
		var dst io.Writer
		switch header[0] {
		case Stdin[0], Stdout[0]:
			dst = dstout
		case Stderr[0]:
			dst = dsterr
		default:
			return written, ErrInvalidStdHeader
		}
		size := int(binary.BigEndian.Uint32(header[4:]))
		if size > maxFrame {
			return written, fmt.Errorf("stdcopy: frame of %d bytes is larger than %d", size, maxFrame)
		}
		if size > len(buf) {
			buf = make([]byte, size)
		}
		if _, err := io.ReadFull(src, buf[:size]); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return written, err
		}
		n, err := dst.Write(buf[:size])
		written += int64(n)
		if err != nil {
			return written, err
		}
	}
}
