// How the client writes times, sizes, ids and ports in its tables.
//
// Upstream: pkg/units/duration.go HumanDuration, pkg/units/size.go
// HumanSize, utils/utils.go TruncateID and Trunc, api/common.go
// DisplayablePorts (kept in v1_2/api), all at v1.2.0. Book ch.2 §2.3 (what `docker ps`
// prints).
package client

import (
	"fmt"
	"time"
)

// humanDuration says roughly how long d is: "3 seconds", "About an hour".
// The tables add " ago".
func humanDuration(d time.Duration) string {
	seconds := int(d.Seconds())
	minutes := int(d.Minutes())
	hours := int(d.Hours())
	switch {
	case seconds < 1:
		return "Less than a second"
	case seconds < 60:
		return fmt.Sprintf("%d seconds", seconds)
	case minutes == 1:
		return "About a minute"
	case minutes < 60:
		return fmt.Sprintf("%d minutes", minutes)
	case hours == 1:
		return "About an hour"
	case hours < 48:
		return fmt.Sprintf("%d hours", hours)
	case hours < 24*7*2:
		return fmt.Sprintf("%d days", hours/24)
	case hours < 24*30*3:
		return fmt.Sprintf("%d weeks", hours/24/7)
	case hours < 24*365*2:
		return fmt.Sprintf("%d months", hours/24/30)
	}
	return fmt.Sprintf("%f years", d.Hours()/24/365)
}

// since is humanDuration of the time from a Unix "Created" to now.
func since(created int64) string {
	return humanDuration(time.Now().UTC().Sub(time.Unix(created, 0)))
}

// humanSize writes bytes in powers of 1000 with four significant digits:
// 2500000 → "2.5 MB" (Docker 1.2's VIRTUAL SIZE column).
func humanSize(size int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"}
	i := 0
	sizef := float64(size)
	for sizef >= 1000.0 && i < len(units)-1 {
		sizef /= 1000.0
		i++
	}
	return fmt.Sprintf("%.4g %s", sizef, units[i])
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
