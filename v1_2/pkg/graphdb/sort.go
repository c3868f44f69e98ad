// Upstream: pkg/graphdb/sort.go at v1.2.0.
// Book: ch.4 §4.12 加载已有容器 — the daemon registers containers, then walks the
// names deepest-first so that a link ("/web/db") is handled before the
// container it belongs to ("/web").
package graphdb

import "sort"

// sortByDepth orders paths deepest first. The order among paths of equal
// depth is not defined (upstream used the unstable sort.Sort too).
func sortByDepth(paths []string) {
	sort.Slice(paths, func(i, j int) bool {
		return PathDepth(paths[i]) > PathDepth(paths[j])
	})
}
