package lab

import (
	"fmt"
	"strings"
)

// unifiedDiff writes a unified diff (3 lines of context) from a to b for
// the file name, with the a/ and b/ prefixes `git apply` and `patch -p1`
// expect. Equal inputs give "".
func unifiedDiff(name string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	al, bl := splitLines(string(a)), splitLines(string(b))
	ops := myers(al, bl)
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	const ctx = 3
	// Walk the edit script, cutting it into hunks.
	type line struct {
		kind byte // ' ', '-', '+'
		text string
		ai   int // index in a of this line (for ' ' and '-'), or where it goes
		bi   int
	}
	var lines []line
	ai, bi := 0, 0
	for _, op := range ops {
		switch op {
		case ' ':
			lines = append(lines, line{' ', al[ai], ai, bi})
			ai++
			bi++
		case '-':
			lines = append(lines, line{'-', al[ai], ai, bi})
			ai++
		case '+':
			lines = append(lines, line{'+', bl[bi], ai, bi})
			bi++
		}
	}
	for i := 0; i < len(lines); {
		if lines[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-ctx, 0)
		end := i
		for {
			for end < len(lines) && lines[end].kind != ' ' {
				end++
			}
			// Extend over a run of context shorter than 2*ctx followed by
			// another change.
			j := end
			for j < len(lines) && lines[j].kind == ' ' && j-end < 2*ctx {
				j++
			}
			if j < len(lines) && lines[j].kind != ' ' {
				end = j
				continue
			}
			end = min(end+ctx, len(lines))
			break
		}
		aStart, bStart := lines[start].ai, lines[start].bi
		aCount, bCount := 0, 0
		for _, l := range lines[start:end] {
			if l.kind != '+' {
				aCount++
			}
			if l.kind != '-' {
				bCount++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aCount), hunkRange(bStart, bCount))
		for _, l := range lines[start:end] {
			out.WriteByte(l.kind)
			out.WriteString(strings.TrimSuffix(l.text, "\n"))
			out.WriteByte('\n')
			if !strings.HasSuffix(l.text, "\n") {
				out.WriteString("\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return out.String()
}

func hunkRange(start, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if count == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

// splitLines keeps each line's newline.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// myers is the shortest edit script from a to b (E. Myers, "An O(ND)
// difference algorithm", 1986), as a string of ' ' (keep), '-' (delete
// from a) and '+' (insert from b). D, the number of changed lines, is
// small for a stub, so this is fast.
func myers(a, b []string) []byte {
	n, m := len(a), len(b)
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		snap := make([]int, len(v))
		copy(snap, v)
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: insertion
			} else {
				x = v[off+k-1] + 1 // right: deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, a, b, d, off)
			}
		}
	}
	return nil
}

// backtrack follows the trace back from (n, m) to (0, 0).
func backtrack(trace [][]int, a, b []string, dEnd, off int) []byte {
	x, y := len(a), len(b)
	var ops []byte
	for d := dEnd; d > 0; d-- {
		v := trace[d] // v as it was before step d
		k := x - y
		var prevK int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := v[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			ops = append(ops, ' ')
			x--
			y--
		}
		if x == prevX {
			ops = append(ops, '+')
			y--
		} else {
			ops = append(ops, '-')
			x--
		}
	}
	for x > 0 && y > 0 {
		ops = append(ops, ' ')
		x--
		y--
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return ops
}
