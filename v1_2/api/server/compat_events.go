// /events for later clients: filters, and the Type/Action/Actor fields.
//
// Not upstream: Docker 1.2's events had no filters and each message was
// {"status","id","from","time"} (docs/divergences.md).
// Book: ch.5 §5.4 (getEvents).
//
// The docker CLI, when it speaks an API older than 1.30, learns that
// `docker run`'s container ended by listening to /events for that one
// container and reading the exit code from the "die" event's
// Actor.Attributes.exitCode. So the server filters and adds those fields.
package server

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// imageEvents are the 1.2 actions logged for an image, not a container.
var imageEvents = map[string]bool{"untag": true, "delete": true, "import": true, "pull": true, "push": true, "tag": true}

// eventFilter is a parsed filters parameter of /events.
type eventFilter struct {
	containers []string // ids (or id prefixes) and names
	types      []string // "container", "image"
	events     []string // actions
	images     []string
}

func parseEventFilters(raw string) (*eventFilter, error) {
	f, err := decodeFilters(raw)
	if err != nil {
		return nil, err
	}
	return &eventFilter{containers: f["container"], types: f["type"], events: f["event"], images: f["image"]}, nil
}

func matchAny(list []string, ok func(string) bool) bool {
	if len(list) == 0 {
		return true
	}
	for _, v := range list {
		if ok(v) {
			return true
		}
	}
	return false
}

func (f *eventFilter) match(eng *engine.Engine, typ, action, id, from string) bool {
	if !matchAny(f.types, func(v string) bool { return v == typ }) ||
		!matchAny(f.events, func(v string) bool { return v == action }) ||
		!matchAny(f.images, func(v string) bool { return v == from || strings.HasPrefix(from, v+":") }) {
		return false
	}
	if len(f.containers) == 0 {
		return true
	}
	if typ != "container" {
		return false
	}
	return matchAny(f.containers, func(v string) bool {
		if strings.HasPrefix(id, v) {
			return true
		}
		// A name: ask the daemon which id it stands for.
		full, _ := inspectField(eng, v)
		return full.id == id
	})
}

type inspected struct {
	id       string
	name     string
	exitCode int
}

// inspectField reads a container's id, name and exit code.
func inspectField(eng *engine.Engine, name string) (inspected, error) {
	out, err := runBuffered(eng.Job("container_inspect", name))
	if err != nil {
		return inspected{}, err
	}
	var c struct {
		ID    string `json:"Id"`
		Name  string
		State struct{ ExitCode int }
	}
	if err := json.Unmarshal(out, &c); err != nil {
		return inspected{}, err
	}
	return inspected{id: c.ID, name: strings.TrimPrefix(c.Name, "/"), exitCode: c.State.ExitCode}, nil
}

// copyEvents reads the events job's messages from src and writes each
// one that passes f, with the later fields added, to out.
func copyEvents(eng *engine.Engine, out io.Writer, src io.Reader, f *eventFilter) {
	dec := json.NewDecoder(src)
	names := map[string]string{} // id → name, from this stream's earlier events
	for {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return // the job ended, or the client left
		}
		action, _ := m["status"].(string)
		id, _ := m["id"].(string)
		from, _ := m["from"].(string)
		typ := "container"
		if imageEvents[action] {
			typ = "image"
		}
		if !f.match(eng, typ, action, id, from) {
			continue
		}
		if typ == "container" && action == "destroy" {
			waitForDelete(id, "", 5*time.Second)
		}
		attrs := map[string]string{}
		if typ == "container" {
			if from != "" {
				attrs["image"] = from
			}
			// A destroyed container is gone: its name comes from an
			// earlier event. (Inspecting it would only fail, and fill the
			// daemon's log with "No such container … = ERR (1)" after
			// every `docker run --rm`.)
			if action == "destroy" {
				if name, ok := names[id]; ok {
					attrs["name"] = name
				}
			} else if c, err := inspectField(eng, id); err == nil {
				attrs["name"] = c.name
				names[id] = c.name
				if action == "die" {
					attrs["exitCode"] = strconv.Itoa(c.exitCode)
				}
			}
		}
		m["Type"] = typ
		m["Action"] = action
		m["Actor"] = map[string]any{"ID": id, "Attributes": attrs}
		m["scope"] = "local"
		if t, ok := m["time"].(float64); ok {
			m["timeNano"] = int64(t) * 1e9
		}
		b, err := json.Marshal(m)
		if err != nil {
			continue
		}
		if _, err := out.Write(append(b, '\n')); err != nil {
			return
		}
	}
}
