// HumanSize: bytes for people, as Docker 1.2's VIRTUAL SIZE column.
//
// Upstream: pkg/units/size.go at v1.2.0.
package units

import "fmt"

// HumanSize writes bytes in powers of 1000 with four significant digits:
// 2500000 → "2.5 MB".
func HumanSize(size int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"}
	i := 0
	sizef := float64(size)
	for sizef >= 1000.0 && i < len(units)-1 {
		sizef /= 1000.0
		i++
	}
	return fmt.Sprintf("%.4g %s", sizef, units[i])
}
