// The small tools every handler uses: reading the query, mapping a job's
// error to a status code, writing JSON, and a writer that flushes.
//
// Upstream: api/server/server.go at v1.2.0 (parseForm, httpError, writeJSON,
// streamJSON, getBoolParam), utils/http.go at v1.2.0 (WriteFlusher). See
// docs/upstream/v1.2.0.md §6.1.
// Book: ch.5 §5.4.
package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// maxJSONBody bounds a JSON request body (create, start, commit, copy,
// auth). Not upstream: 1.2 read any size; a body past this is refused
// with 413 rather than held in memory.
const maxJSONBody = 1 << 20

// errBodyTooLarge marks the refusal above so httpError can answer 413.
var errBodyTooLarge = errors.New("request body too large")

// parseForm reads the query (and a urlencoded body). A POST without a
// Content-Type is fine: only mime errors are ignored, as upstream.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil && !strings.HasPrefix(err.Error(), "mime:") {
		return fmt.Errorf("Bad parameter: %v", err)
	}
	return nil
}

// getBoolParam reads "1", "true", "0", "" …; anything else is a bad parameter.
func getBoolParam(value string) (bool, error) {
	if value == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(value)
	if err != nil {
		return false, fmt.Errorf("Bad parameter: %q is not a boolean", value)
	}
	return b, nil
}

// decodeJSONBody decodes r's body into a job's env, refusing oversized bodies.
func decodeJSONBody(r *http.Request, env *engine.Env) error {
	body := http.MaxBytesReader(nil, r.Body, maxJSONBody)
	if err := env.Decode(body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("%w: the limit is %d bytes", errBodyTooLarge, maxJSONBody)
		}
		return err
	}
	return nil
}

// httpStatus maps an error to a status code the way upstream did: by
// words in its message. Brittle, and upstream said so in a FIXME; the
// jobs' messages ("No such container: x", "Conflict, …") are the contract.
func httpStatus(err error) int {
	msg := err.Error()
	switch {
	case errors.Is(err, errBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case strings.Contains(msg, "No such"):
		return http.StatusNotFound
	case strings.Contains(msg, "Bad parameter"):
		return http.StatusBadRequest
	case strings.Contains(msg, "Conflict"):
		return http.StatusConflict
	case strings.Contains(msg, "Impossible"):
		return http.StatusNotAcceptable
	case strings.Contains(msg, "Wrong login/password"):
		return http.StatusUnauthorized
	case strings.Contains(msg, "hasn't been activated"):
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// httpError sends err as a plain-text body with its status code.
func httpError(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), httpStatus(err))
}

// writeJSON sends one env as a JSON object with the given status.
func writeJSON(w http.ResponseWriter, code int, v *engine.Env) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	return v.Encode(w)
}

// writeRawJSON sends JSON text a job already produced.
func writeRawJSON(w http.ResponseWriter, code int, body []byte) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, err := w.Write(body)
	return err
}

// runBuffered runs job with its stdout kept in memory and answers that
// stdout. Upstream streamed these answers straight into the response;
// keeping them lets a failing job still get its error status, and lets
// compat.go add the fields later clients read.
func runBuffered(job *engine.Job) ([]byte, error) {
	var out bytes.Buffer
	job.Stdout.Add(&out)
	if err := job.Run(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// writeFlusher sends every write to the client at once (events, logs -f,
// import progress), and serialises writes: a job's stdout and stderr may
// write from two goroutines into the same response.
type writeFlusher struct {
	mu      sync.Mutex
	w       io.Writer
	flusher http.Flusher
}

func newWriteFlusher(w io.Writer) *writeFlusher {
	f, _ := w.(http.Flusher)
	return &writeFlusher{w: w, flusher: f}
}

func (wf *writeFlusher) Write(p []byte) (int, error) {
	wf.mu.Lock()
	defer wf.mu.Unlock()
	n, err := wf.w.Write(p)
	if wf.flusher != nil {
		wf.flusher.Flush()
	}
	return n, err
}

// jsonList re-encodes v as JSON, for the few answers a handler builds itself.
func jsonList(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
