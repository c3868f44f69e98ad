// Diff: a small line diff for dumps, so that a parity failure or a
// teardown that left something behind shows exactly which lines differ.

package scenario

import "strings"

// Diff returns "" when a and b are equal, otherwise the lines of a and b
// around their differences, "-" for a's and "+" for b's, with up to two
// unchanged lines of context ("  "). It is a longest-common-subsequence
// diff, fine for dumps of a few hundred lines.
func Diff(a, b string) string {
	if a == b {
		return ""
	}
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j] is the length of the LCS of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var ops []line
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			ops = append(ops, line{' ', x[i]})
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, line{'-', x[i]})
			i++
		default:
			ops = append(ops, line{'+', y[j]})
			j++
		}
	}
	const context = 2
	var out strings.Builder
	last := -1
	for k, op := range ops {
		if op.op == ' ' && !near(ops, k, context, func(l line) bool { return l.op != ' ' }) {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("  ...\n")
		}
		out.WriteByte(op.op)
		out.WriteByte(' ')
		out.WriteString(op.text)
		out.WriteByte('\n')
		last = k
	}
	return out.String()
}

// near reports whether a line within d positions of k satisfies changed.
func near[T any](ops []T, k, d int, changed func(T) bool) bool {
	for m := max(0, k-d); m <= min(len(ops)-1, k+d); m++ {
		if changed(ops[m]) {
			return true
		}
	}
	return false
}
