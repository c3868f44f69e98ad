// Memory sizes as `-m` takes them: "512k", "1g", "100m", "1024b", "42".
//
// Upstream: pkg/units/size.go at v1.2.0 (RAMInBytes; kept here until a
// v1_2/pkg/units exists).
// Book: ch.7 §7.3.
package runconfig

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A number, an optional k/m/g/t/p and an optional b, any case.
var sizeText = regexp.MustCompile(`^(\d+)([kKmMgGtTpP])?[bB]?$`)

// Binary multipliers: memory is counted in powers of 1024.
var ramUnits = map[string]int64{"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}

// RAMInBytes reads size; it returns -1 and "Invalid size: '<size>'" for
// anything else ("1.5g", "-1", "1 g", "").
func RAMInBytes(size string) (int64, error) {
	m := sizeText.FindStringSubmatch(size)
	if m == nil {
		return -1, fmt.Errorf("Invalid size: '%s'", size)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return -1, err
	}
	if mul, ok := ramUnits[strings.ToLower(m[2])]; ok {
		n *= mul
	}
	return n, nil
}
