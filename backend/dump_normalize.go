// Normalize: strip from a Dump what legitimately differs between a real
// kernel and the fake, so that the parity test can require equality
// (docs/design.md "Parity is the point of the fake"; reference
// docs/kernels.md §6).
//
// Every normalisation hides a potential difference, so there are only two:
//
//  1. MAC addresses. Both kernels make random ones for veths and bridges.
//     Every non-zero MAC becomes xx:xx:xx:xx:xx:xx; the all-zero MAC of lo
//     is kept, since it is not random and the fake must print it too.
//  2. Interface indexes. A real kernel numbers links per namespace and a
//     moved link keeps its number; the fake may use one machine-wide
//     counter, and the throwaway namespace the linux tests run in may have
//     seen other links come and go. What must agree is the order and the
//     wiring, not the numbers: the indexes at the start of link and address
//     lines are renumbered 1, 2, 3… in order of first appearance, and the
//     peer indexes of `@ifN` (numbers in another namespace) are renumbered
//     in their own sequence, also in order of first appearance.
//
// Nothing else is touched: rule text, addresses, routes, flags, MTUs,
// masters and ip_forward must match byte for byte.
package backend

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	macPattern     = regexp.MustCompile(`\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b`)
	lineIndex      = regexp.MustCompile(`^(\d+):( )`)
	peerIndex      = regexp.MustCompile(`@if(\d+):`)
	normalizedMAC  = "xx:xx:xx:xx:xx:xx"
	zeroMACPattern = "00:00:00:00:00:00"
)

// Normalize rewrites a Dump (or any part of one) as described above.
func Normalize(dump string) string {
	local := renumberer{}
	peers := renumberer{}
	lines := strings.Split(dump, "\n")
	for i, line := range lines {
		line = macPattern.ReplaceAllStringFunc(line, func(mac string) string {
			if mac == zeroMACPattern {
				return mac
			}
			return normalizedMAC
		})
		if m := lineIndex.FindStringSubmatchIndex(line); m != nil {
			line = local.number(line[m[2]:m[3]]) + line[m[3]:]
		}
		line = peerIndex.ReplaceAllStringFunc(line, func(s string) string {
			n := peerIndex.FindStringSubmatch(s)[1]
			return "@if" + peers.number(n) + ":"
		})
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// renumberer hands out 1, 2, 3… to the numbers it sees, the same one each
// time it sees the same number again.
type renumberer map[string]string

func (r renumberer) number(n string) string {
	if v, ok := r[n]; ok {
		return v
	}
	v := strconv.Itoa(len(r) + 1)
	r[n] = v
	return v
}
