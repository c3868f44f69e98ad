// Package filters carries the --filter flags of `docker images` and
// `docker ps` from the client to the daemon's jobs.
//
// Upstream: pkg/parsers/filters/parse.go at v1.2.0 (Args, ParseFlag, ToParam,
// FromParam).
// Book: ch.8 (docker images --filter dangling=true).
//
// A filter is "name=value"; the same name may come more than once. On
// the wire (the job's "filters" env, the API's ?filters=) it travels as a
// JSON object of lists: {"dangling":["true"]}.
package filters

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Args maps a filter name to its values.
type Args map[string][]string

// ErrorBadFormat is what a filter without '=' gets.
var ErrorBadFormat = errors.New("bad format of filter (expected name=value)")

// ParseFlag adds one "name=value" to prev (a new Args when prev is nil).
// An empty arg adds nothing.
func ParseFlag(arg string, prev Args) (Args, error) {
	filters := prev
	if filters == nil {
		filters = Args{}
	}
	if arg == "" {
		return filters, nil
	}
	name, value, ok := strings.Cut(arg, "=")
	if !ok {
		return filters, ErrorBadFormat
	}
	filters[name] = append(filters[name], value)
	return filters, nil
}

// ToParam packs a for the wire; no filters at all is "".
func ToParam(a Args) (string, error) {
	if len(a) == 0 {
		return "", nil
	}
	buf, err := json.Marshal(a)
	if err != nil {
		return "", err
	}
	return string(buf), nil
}

// FromParam unpacks what ToParam packed. Divergence: it also reads the
// shape Docker clients have sent since API 1.22, {"dangling":{"true":true}},
// so that a modern CLI which does not convert its filters down still works.
func FromParam(p string) (Args, error) {
	args := Args{}
	if p == "" {
		return args, nil
	}
	if err := json.Unmarshal([]byte(p), &args); err == nil {
		return args, nil
	}
	var sets map[string]map[string]bool
	if err := json.Unmarshal([]byte(p), &sets); err != nil {
		return nil, fmt.Errorf("filters: %q is neither {\"name\":[\"value\"]} nor {\"name\":{\"value\":true}}: %v", p, err)
	}
	for name, values := range sets {
		for value, on := range values {
			if on {
				args[name] = append(args[name], value)
			}
		}
	}
	return args, nil
}
