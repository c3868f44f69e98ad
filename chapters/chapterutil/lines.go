// Small helpers the chapter demos share: a writer that puts a prefix in
// front of each line (so a client's lines and its daemon's read side by
// side), and a one-file image layer to import.
package chapterutil

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"
)

// PrefixWriter writes each complete line to W behind Prefix. Call Flush
// for a last line without a newline.
type PrefixWriter struct {
	Prefix string
	W      io.Writer

	mu  sync.Mutex
	buf []byte
}

func (p *PrefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		fmt.Fprintf(p.W, "%s%s\n", p.Prefix, p.buf[:i])
		p.buf = p.buf[i+1:]
	}
}

// Flush writes what is left of a last line (inspect's closing "]", say).
func (p *PrefixWriter) Flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.buf) > 0 {
		fmt.Fprintf(p.W, "%s%s\n", p.Prefix, p.buf)
		p.buf = nil
	}
}

// OneFileTar is an image layer holding one file, name, with body; its
// date is fixed so every run imports the same bytes.
func OneFileTar(name, body string, mode int64) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(body)), Typeflag: tar.TypeReg, ModTime: time.Unix(1408000000, 0)})
	tw.Write([]byte(body))
	tw.Close()
	return buf.Bytes()
}
