// Splitting "name:tag" (upstream pkg/parsers/parsers.go
// ParseRepositoryTag at v1.2.0; book ch.8). The last ':' separates the
// tag unless what follows it has a '/', which makes it a registry port:
// "localhost:5000/busybox" has no tag.
package graph

import "strings"

// ParseRepositoryTag splits repos into repository and tag ("" if none).
func ParseRepositoryTag(repos string) (string, string) {
	n := strings.LastIndex(repos, ":")
	if n < 0 {
		return repos, ""
	}
	if tag := repos[n+1:]; !strings.Contains(tag, "/") {
		return repos[:n], tag
	}
	return repos, ""
}
