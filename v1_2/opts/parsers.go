// Two small text splitters that upstream kept in pkg/parsers and that
// opts, nat and runconfig share: a colon template ("name:alias",
// "ip:hostPort:containerPort") and a "key=value" option.
//
// Upstream: pkg/parsers/parsers.go at v1.2.0 (PartParser, ParseKeyValueOpt).
// They live here because pkg/parsers is not part of this rebuild yet.
package opts

import (
	"fmt"
	"strings"
)

// PartParser splits data at ':' and names each part after the matching
// part of template. The number of parts must be the same.
func PartParser(template, data string) (map[string]string, error) {
	names := strings.Split(template, ":")
	parts := strings.Split(data, ":")
	if len(parts) != len(names) {
		return nil, fmt.Errorf("Invalid format to parse.  %s should match template %s", data, template)
	}
	out := make(map[string]string, len(names))
	for i, name := range names {
		out[name] = parts[i]
	}
	return out, nil
}

// ParseKeyValueOpt splits "key=value" at the first '=' and trims spaces
// around both halves ("lxc.utsname = docker " gives lxc.utsname, docker).
func ParseKeyValueOpt(opt string) (string, string, error) {
	key, value, ok := strings.Cut(opt, "=")
	if !ok {
		return "", "", fmt.Errorf("Unable to parse key/value option: %s", opt)
	}
	return strings.TrimSpace(key), strings.TrimSpace(value), nil
}
