// Package version compares API versions such as "1.9" and "1.14".
//
// Upstream: pkg/version/version.go at v1.2.0. See docs/upstream/v1.2.0.md
// §6.1.
// Book: ch.5 §5.4 (the router hands each handler the version taken from the
// /v{version} path prefix).
//
// Why not compare strings: "1.9" < "1.14" as versions but not as text.
// Each dot-separated part is compared as a number; a missing part counts
// as 0 ("1.14" == "1.14.0"), and a part that is not a number counts as 0
// too, as upstream's strconv.Atoi with its error ignored did.
package version

import (
	"strconv"
	"strings"
)

// Version is a dotted API version.
type Version string

// compareTo answers -1, 0 or 1 as v is older than, equal to or newer than other.
func (v Version) compareTo(other Version) int {
	a, b := strings.Split(string(v), "."), strings.Split(string(other), ".")
	for i := 0; i < len(a) || i < len(b); i++ {
		x, y := part(a, i), part(b, i)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}

func part(parts []string, i int) int {
	if i >= len(parts) {
		return 0
	}
	n, _ := strconv.Atoi(parts[i])
	return n
}

// LessThan reports v < other.
func (v Version) LessThan(other Version) bool { return v.compareTo(other) == -1 }

// LessThanOrEqualTo reports v <= other.
func (v Version) LessThanOrEqualTo(other Version) bool { return v.compareTo(other) <= 0 }

// GreaterThan reports v > other.
func (v Version) GreaterThan(other Version) bool { return v.compareTo(other) == 1 }

// GreaterThanOrEqualTo reports v >= other.
func (v Version) GreaterThanOrEqualTo(other Version) bool { return v.compareTo(other) >= 0 }

// Equal reports v == other as versions ("1.14" equals "1.14.0").
func (v Version) Equal(other Version) bool { return v.compareTo(other) == 0 }
