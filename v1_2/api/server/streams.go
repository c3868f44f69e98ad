// Streaming a job's stdout into the response: tars (export, save) and
// JSON progress messages (import, pull, push, build).
//
// Upstream: api/server/server.go at v1.2.0 (streamJSON; the tail of
// postImagesCreate that writes a JSON error once the stream has started,
// with utils.StreamFormatter's FormatError).
// Book: ch.5 §5.4.
package server

import (
	"net/http"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// usedWriter remembers whether anything was written: once a stream has
// started, the status line is gone and an error can only go in the body.
type usedWriter struct {
	*writeFlusher
	used bool
}

func (u *usedWriter) Write(p []byte) (int, error) {
	if len(p) > 0 {
		u.used = true
	}
	return u.writeFlusher.Write(p)
}

// streamRaw streams job's stdout as it is. An error before the first
// byte gets its status code; after it, the client sees a cut stream.
func streamRaw(job *engine.Job, w http.ResponseWriter) error {
	out := &usedWriter{writeFlusher: newWriteFlusher(w)}
	job.Stdout.Add(out)
	err := job.Run()
	if err != nil && out.used {
		return nil
	}
	return err
}

// streamJob streams job's JSON messages, flushed as they come. An error
// after the first message is sent as a last message
// {"errorDetail":{"message":…},"error":…}, which clients print.
func streamJob(job *engine.Job, w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	out := &usedWriter{writeFlusher: newWriteFlusher(w)}
	job.Stdout.Add(out)
	err := job.Run()
	if err == nil || !out.used {
		return err
	}
	out.Write(utils.NewStreamFormatter(true).FormatError(err))
	return nil
}
