// Package utils holds the JSON progress stream of Docker 1.2.0: how pull,
// push, import and build tell a client what they are doing, one JSON
// object at a time.
//
// Upstream: utils/streamformatter.go at v1.2.0 (StreamFormatter,
// FormatStatus, FormatProgress, FormatError, FormatStream, StdoutFormater,
// StderrFormater), utils/jsonmessage.go at v1.2.0 (JSONMessage, JSONError,
// JSONProgress and its bar), utils/progressreader.go at v1.2.0
// (ProgressReader).
// Book: ch.9 §9.5.3 (the progress a pull prints), ch.11 §11.2.3 (the
// build's {"stream": …} lines), ch.5 §5.4 (streamJSON chunks it).
//
// The framing is 1.2's and clients depend on it: a status, a stream text
// or an error is an object followed by "\r\n"; a progress object has no
// separator at all, the next object simply follows (both today's CLI and
// docker-py decode concatenated objects). Without json, plain text lines.
package utils

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/pkg/units"
)

// JSONError is a message's errorDetail.
type JSONError struct {
	Code    int    `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

func (e *JSONError) Error() string { return e.Message }

// JSONProgress is a message's progressDetail: bytes done, bytes in all,
// and when it started (unix seconds).
type JSONProgress struct {
	Current int   `json:"current,omitempty"`
	Total   int   `json:"total,omitempty"`
	Start   int64 `json:"start,omitempty"`
}

// String draws the bar 1.2 sent in "progress": [=====>    ] 1.2 MB/3.4 MB 5s.
// 1.2 sized it to the daemon's terminal; a daemon has none, so the
// 200-column default always applied.
func (p *JSONProgress) String() string {
	if p.Current <= 0 && p.Total <= 0 {
		return ""
	}
	current := units.HumanSize(int64(p.Current))
	if p.Total <= 0 {
		return fmt.Sprintf("%8v", current)
	}
	total := units.HumanSize(int64(p.Total))
	percentage := int(float64(p.Current)/float64(p.Total)*100) / 2
	spaces := 50 - percentage
	if spaces < 0 {
		spaces = 0
	}
	if percentage > 50 {
		percentage = 50
	}
	bar := fmt.Sprintf("[%s>%s] ", strings.Repeat("=", percentage), strings.Repeat(" ", spaces))
	numbers := fmt.Sprintf("%8v/%v", current, total)
	left := ""
	if p.Current > 0 && p.Start > 0 && percentage < 50 {
		elapsed := time.Since(time.Unix(p.Start, 0))
		remaining := time.Duration(p.Total-p.Current) * (elapsed / time.Duration(p.Current))
		left = " " + (remaining / time.Second * time.Second).String()
	}
	return bar + numbers + left
}

// JSONMessage is one object of the stream, fields in 1.2's order.
type JSONMessage struct {
	Stream          string        `json:"stream,omitempty"`
	Status          string        `json:"status,omitempty"`
	Progress        *JSONProgress `json:"progressDetail,omitempty"`
	ProgressMessage string        `json:"progress,omitempty"`
	ID              string        `json:"id,omitempty"`
	From            string        `json:"from,omitempty"`
	Time            int64         `json:"time,omitempty"`
	Error           *JSONError    `json:"errorDetail,omitempty"`
	ErrorMessage    string        `json:"error,omitempty"`
}

// StreamFormatter writes messages as JSON (json true) or as text.
type StreamFormatter struct {
	json bool
}

// NewStreamFormatter returns a formatter; json is the job's "json" env.
func NewStreamFormatter(json bool) *StreamFormatter { return &StreamFormatter{json} }

const streamNewline = "\r\n"

// FormatStream is {"stream": …}\r\n, a piece of text the client prints
// as it is (the build's Step lines, what RUN's container writes); as
// text, the piece and "\r".
func (sf *StreamFormatter) FormatStream(str string) []byte {
	if sf.json {
		b, err := json.Marshal(&JSONMessage{Stream: str})
		if err != nil {
			return sf.FormatError(err)
		}
		return append(b, streamNewline...)
	}
	return []byte(str + "\r")
}

// FormatStatus is {"status": …, "id": …}\r\n.
func (sf *StreamFormatter) FormatStatus(id, format string, a ...interface{}) []byte {
	str := fmt.Sprintf(format, a...)
	if sf.json {
		b, err := json.Marshal(&JSONMessage{ID: id, Status: str})
		if err != nil {
			return sf.FormatError(err)
		}
		return append(b, streamNewline...)
	}
	return []byte(str + streamNewline)
}

// FormatError is {"errorDetail": {…}, "error": …}\r\n.
func (sf *StreamFormatter) FormatError(err error) []byte {
	if sf.json {
		jsonError, ok := err.(*JSONError)
		if !ok {
			jsonError = &JSONError{Message: err.Error()}
		}
		if b, err := json.Marshal(&JSONMessage{Error: jsonError, ErrorMessage: err.Error()}); err == nil {
			return append(b, streamNewline...)
		}
		return []byte(`{"error":"format error"}` + streamNewline)
	}
	return []byte("Error: " + err.Error() + streamNewline)
}

// FormatProgress is {"status": action, "progressDetail": …, "progress":
// bar, "id": …} with no separator (JSON), or "action bar\r" (text).
// progress nil gives the empty detail {} 1.2 sent for "Pulling fs layer".
func (sf *StreamFormatter) FormatProgress(id, action string, progress *JSONProgress) []byte {
	if progress == nil {
		progress = &JSONProgress{}
	}
	if sf.json {
		b, err := json.Marshal(&JSONMessage{Status: action, ProgressMessage: progress.String(), Progress: progress, ID: id})
		if err != nil {
			return nil
		}
		return b
	}
	end := "\r"
	if progress.String() == "" {
		end += "\n"
	}
	return []byte(action + " " + progress.String() + end)
}

// Json reports whether the formatter writes JSON.
func (sf *StreamFormatter) Json() bool { return sf.json }

// StdoutFormater and StderrFormater turn every write into one stream
// message (FormatStream); stderr's text is wrapped in the terminal's red.
// The build hands them to the containers of its steps as their stdout and
// stderr.
//
// Unlike 1.2's, which returned the write's error, a write the client can
// no longer take is not an error here: a client that went away is the
// build's cancel to handle (v1_2/daemon build_commit.go), and the copy of
// a RUN's output must not fail the step first.
type StdoutFormater struct {
	io.Writer
	*StreamFormatter
}

func (sf *StdoutFormater) Write(buf []byte) (int, error) {
	sf.Writer.Write(sf.FormatStream(string(buf)))
	return len(buf), nil
}

type StderrFormater struct {
	io.Writer
	*StreamFormatter
}

func (sf *StderrFormater) Write(buf []byte) (int, error) {
	sf.Writer.Write(sf.FormatStream("\033[91m" + string(buf) + "\033[0m"))
	return len(buf), nil
}
