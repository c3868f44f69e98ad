// Package jsonlog reproduces the log line format of Docker 1.2.0's json-file
// log driver: every line a container prints becomes one JSON object on its own
// line in <root>/containers/<id>/<id>-json.log:
//
//	{"log":"hello\n","stream":"stdout","time":"2014-08-21T10:00:00.123456789Z"}
//
// Upstream: pkg/jsonlog/jsonlog.go at v1.2.0.
// Book: ch.12 §12.4 (a started container's stdout/stderr go to the log file
// through startLoggingToDisk); `docker logs` (daemon/logs.go) reads them
// back.
//
// Why JSON and not plain text: the file has to remember which stream a line
// came from and when, so that `docker logs` can pick stdout or stderr only and
// print --timestamps long after the container has gone.
package jsonlog

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// JSONLog is one log line. The JSON field names are part of the on-disk
// format and must stay "log", "stream" and "time".
type JSONLog struct {
	Log     string    `json:"log,omitempty"`    // the line, with its "\n"
	Stream  string    `json:"stream,omitempty"` // "stdout" or "stderr"
	Created time.Time `json:"time"`             // when the daemon read it, UTC
}

// Format renders the line for a reader:
//
//	""      the bare line, as the container printed it
//	"json"  the object again, as stored
//	other   a time layout: "[<time>] <line>" (docker logs -t uses RFC3339Nano)
func (jl *JSONLog) Format(format string) (string, error) {
	switch format {
	case "":
		return jl.Log, nil
	case "json":
		b, err := json.Marshal(jl)
		return string(b), err
	default:
		return fmt.Sprintf("[%s] %s", jl.Created.Format(format), jl.Log), nil
	}
}

// Reset empties jl so one value can be decoded into again and again
// (json.Decoder leaves fields that a line omits untouched).
func (jl *JSONLog) Reset() {
	jl.Log = ""
	jl.Stream = ""
	jl.Created = time.Time{}
}

// Marshal gives the stored form of one line: the JSON object and a "\n".
func Marshal(line, stream string, created time.Time) ([]byte, error) {
	b, err := json.Marshal(JSONLog{Log: line, Stream: stream, Created: created})
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// WriteLog decodes a whole log stream from src and writes every line to dst
// in the given format. It stops cleanly at the end of src.
func WriteLog(src io.Reader, dst io.Writer, format string) error {
	dec := json.NewDecoder(src)
	l := &JSONLog{}
	for {
		l.Reset()
		if err := dec.Decode(l); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("jsonlog: reading log stream: %w", err)
		}
		line, err := l.Format(format)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(dst, line); err != nil {
			return err
		}
	}
}
