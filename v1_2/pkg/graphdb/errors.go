// Upstream: pkg/graphdb/graphdb.go at v1.2.0 (IsNonUniqueNameError).
// Book: ch.12 §12.3 创建容器对象 — when graphdb.Set fails this way the daemon
// reports "Conflict, The name /web is already assigned to ...".
package graphdb

import "strings"

// IsNonUniqueNameError reports whether err is SQLite refusing a second edge
// with the same (parent, name). The wording differs between SQLite versions,
// so all three forms upstream knew are accepted:
//   - old SQLite:           "... columns parent_id, name are not unique"
//   - SQLite 3.8.2 and later: "UNIQUE constraint failed: edge.parent_id, edge.name"
//     (modernc.org/sqlite prefixes "constraint failed: " and appends " (2067)")
//   - gosqlite's short form: "... constraint failed"
func IsNonUniqueNameError(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	switch {
	case strings.HasSuffix(msg, "name are not unique"):
		return true
	case strings.Contains(msg, "UNIQUE constraint failed") && strings.Contains(msg, "edge.name"):
		return true
	case strings.HasSuffix(msg, "constraint failed"):
		return true
	}
	return false
}
