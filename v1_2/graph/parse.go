// Splitting "name:tag".
//
// Upstream: pkg/parsers/parsers.go at v1.2.0 (ParseRepositoryTag).
// Book: ch.8.
//
// The last ':' separates the tag unless what follows it has a '/', which
// makes it a registry port: "localhost:5000/busybox" has no tag.
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

// hubPrefixes are the spellings of Docker Hub that clients newer than
// 1.2 put in front of a name ("docker.io/library/busybox" for
// "busybox"); `docker tag` from a current CLI sends names that way.
var hubPrefixes = []string{
	"docker.io/library/", "index.docker.io/library/", "registry-1.docker.io/library/",
	"docker.io/", "index.docker.io/", "registry-1.docker.io/",
}

// localRepoName is the name a repository is stored under: the name with
// no Docker Hub prefix, as Docker 1.2 clients always sent it. Not
// upstream (docs/divergences.md, "Image jobs").
func localRepoName(name string) string {
	for _, p := range hubPrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			return rest
		}
	}
	return name
}
