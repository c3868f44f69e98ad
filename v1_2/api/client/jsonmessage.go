// Progress and event answers: import, load and events (and pull, push,
// build upstream) answer with one JSON object after another — {"status":
// …, "id": …, "time": …} or {"error": …} — which the client prints one
// line each.
//
// Upstream: utils/jsonmessage.go at v1.2.0 (JSONMessage.Display,
// DisplayJSONMessagesStream).
// Book: ch.2 §2.3.
//
// Simplified: upstream drew one progress bar per layer id and moved the
// cursor between them; here a progress message is one line rewritten in
// place on a terminal and dropped off one (as upstream dropped the bars
// off a terminal). A pull's layers come one after another, so one line
// is enough to watch them.
package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// jsonMessage is one object of such an answer.
type jsonMessage struct {
	Stream          string          `json:"stream,omitempty"`
	Status          string          `json:"status,omitempty"`
	Progress        json.RawMessage `json:"progressDetail,omitempty"`
	ProgressMessage string          `json:"progress,omitempty"`
	ID              string          `json:"id,omitempty"`
	From            string          `json:"from,omitempty"`
	Time            int64           `json:"time,omitempty"`
	Error           *struct {
		Code    int    `json:"code,omitempty"`
		Message string `json:"message,omitempty"`
	} `json:"errorDetail,omitempty"`
	ErrorMessage string `json:"error,omitempty"`
}

// displayJSONMessagesStream prints each message; the first error ends the
// stream as the command's error.
func displayJSONMessagesStream(in io.Reader, out io.Writer, isTerminal bool) error {
	dec := json.NewDecoder(in)
	for {
		var jm jsonMessage
		if err := dec.Decode(&jm); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := jm.display(out, isTerminal); err != nil {
			return err
		}
	}
}

// display writes one message: "[time ]id: (from image) status".
func (jm *jsonMessage) display(out io.Writer, isTerminal bool) error {
	if jm.Error != nil {
		if jm.Error.Code == 401 {
			return errors.New("Authentication is required.")
		}
		return &jsonError{Code: jm.Error.Code, Message: jm.Error.Message}
	}
	if jm.ErrorMessage != "" {
		return errors.New(jm.ErrorMessage)
	}
	if out == nil {
		return nil
	}
	progress := len(jm.Progress) > 0 && string(jm.Progress) != "{}" || jm.ProgressMessage != ""
	endl := "\n"
	if progress {
		if !isTerminal {
			return nil
		}
		fmt.Fprint(out, "\x1b[2K\r") // erase the line, write over it
		endl = "\r"
	}
	if jm.Time != 0 {
		fmt.Fprintf(out, "%s ", time.Unix(jm.Time, 0).Format(time.RFC3339Nano))
	}
	if jm.ID != "" {
		fmt.Fprintf(out, "%s: ", jm.ID)
	}
	if jm.From != "" {
		fmt.Fprintf(out, "(from %s) ", jm.From)
	}
	switch {
	case progress:
		fmt.Fprintf(out, "%s %s%s", jm.Status, jm.ProgressMessage, endl)
	case jm.Stream != "":
		fmt.Fprint(out, jm.Stream)
	default:
		fmt.Fprintf(out, "%s%s", jm.Status, endl)
	}
	return nil
}

// jsonError is an {"errorDetail": {"code", "message"}} message, as
// upstream's utils.JSONError: CmdBuild turns its code into the exit
// status.
type jsonError struct {
	Code    int
	Message string
}

func (e *jsonError) Error() string { return e.Message }
