// How the client writes times, sizes, ids and ports in its tables.
//
// Upstream: utils/utils.go at v1.2.0 (TruncateID, Trunc), api/common.go at
// v1.2.0 (DisplayablePorts, kept in v1_2/api).
// Book: ch.2 §2.3 (what `docker ps` prints).
package client

import (
	"time"

	"github.com/dockerlab/dockerlab/v1_2/pkg/units"
)

// since is units.HumanDuration of the time from a Unix "Created" to now.
func since(created int64) string {
	return units.HumanDuration(time.Now().UTC().Sub(time.Unix(created, 0)))
}

// truncateID is the 12-character short id.
func truncateID(id string) string {
	if len(id) < 12 {
		return id
	}
	return id[:12]
}

// trunc cuts s to maxlen bytes.
func trunc(s string, maxlen int) string {
	if len(s) <= maxlen {
		return s
	}
	return s[:maxlen]
}
