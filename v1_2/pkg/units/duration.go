// Package units writes durations and sizes the way Docker 1.2's tables
// did ("3 seconds", "2.5 MB"). The daemon's State.String and the client's
// ps/images/history columns share it, as they shared upstream's.
//
// Upstream: pkg/units/duration.go at v1.2.0 (HumanDuration), pkg/units/size.go
// at v1.2.0.
// Book: ch.2 §2.3 (what `docker ps` prints) and ch.12 (a container's status).
package units

import (
	"fmt"
	"time"
)

// HumanDuration says roughly how long d is, in Docker 1.2's steps:
// "Less than a second", "3 seconds", "About a minute", "5 minutes",
// "About an hour", "7 hours", "3 days", "2 weeks", "4 months", years.
func HumanDuration(d time.Duration) string {
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
