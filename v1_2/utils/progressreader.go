// ProgressReader: a reader that reports how far it has got, as progress
// messages on an output stream (what "Downloading" and "Pushing" are).
//
// Upstream: utils/progressreader.go at v1.2.0 (ProgressReader).
// Book: ch.9 §9.5.3 (graph.Register reads the layer through it).
package utils

import (
	"io"
	"time"
)

type progressReader struct {
	reader     io.ReadCloser
	output     io.Writer
	progress   JSONProgress
	lastUpdate int
	sf         *StreamFormatter
	newLine    bool
	id, action string
}

// ProgressReader wraps r, whose size is total (0 or less: unknown), and
// writes a progress message to output every 512 KiB, or every 1 % when
// that is smaller, and at the end.
func ProgressReader(r io.ReadCloser, total int, output io.Writer, sf *StreamFormatter, newline bool, id, action string) io.ReadCloser {
	return &progressReader{
		reader:   r,
		output:   output,
		progress: JSONProgress{Total: total, Start: time.Now().UTC().Unix()},
		sf:       sf,
		newLine:  newline,
		id:       id,
		action:   action,
	}
}

func (r *progressReader) Read(p []byte) (int, error) {
	n, err := r.reader.Read(p)
	r.progress.Current += n
	updateEvery := 512 << 10
	if r.progress.Total > 0 {
		if inc := r.progress.Total / 100; inc < updateEvery {
			updateEvery = inc
		}
	}
	if r.progress.Current-r.lastUpdate > updateEvery || err != nil {
		r.output.Write(r.sf.FormatProgress(r.id, r.action, &r.progress))
		r.lastUpdate = r.progress.Current
	}
	if r.newLine && err != nil && n == 0 {
		r.output.Write(r.sf.FormatStatus("", ""))
	}
	return n, err
}

func (r *progressReader) Close() error { return r.reader.Close() }
