// Measuring rows and printing the table.
package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one measurement. Prepare runs once before the timed runs and
// returns the function to time and a cleanup; Skip, when it returns a
// reason, skips the row (e.g. "needs root").
//
// A run may repeat a tiny operation Ops times (a map lookup is too fast
// to time once); the table then shows the time and the memory per
// operation.
type row struct {
	Group     string // a heading printed above the first row of each group
	Name      string
	Ops       int    // operations per run; 0 means 1
	Mem       bool   // also show the bytes allocated per operation
	Key       string // short name other rows use in the ratio column ("" = Name)
	Reference string // the Name of the row this one is compared with; "" for a reference
	Target    string // what the ratio should be, e.g. "≤ 2x"; "" when there is none
	Skip      func() string
	Prepare   func() (run func() error, cleanup func(), err error)
}

// Short is how a reference row is named in another row's ratio column.
func (r row) Short() string {
	if r.Key != "" {
		return r.Key
	}
	return r.Name
}

// result is a measured (or skipped, or failed) row.
type result struct {
	row
	Median  time.Duration // per operation
	Alloc   uint64        // bytes allocated per operation (median), when Mem
	Skipped string
	Err     error
}

func measureAll(rows []row, runs int) []result {
	var out []result
	for _, r := range rows {
		out = append(out, measure(r, runs))
	}
	return out
}

// measure runs a row once untimed (warm caches, page in the binary), then
// `runs` times timed, and keeps the median: one slow run (a page fault, the
// scheduler) does not move it.
func measure(r row, runs int) result {
	res := result{row: r}
	if r.Skip != nil {
		if why := r.Skip(); why != "" {
			res.Skipped = why
			return res
		}
	}
	run, cleanup, err := r.Prepare()
	if err != nil {
		res.Err = err
		return res
	}
	if cleanup != nil {
		defer cleanup()
	}
	if err := run(); err != nil {
		res.Err = fmt.Errorf("warm-up: %w", err)
		return res
	}
	ops := r.Ops
	if ops < 1 {
		ops = 1
	}
	times := make([]time.Duration, 0, runs)
	allocs := make([]uint64, 0, runs)
	for i := 0; i < runs; i++ {
		before := allocated()
		start := time.Now()
		if err := run(); err != nil {
			res.Err = fmt.Errorf("run %d: %w", i+1, err)
			return res
		}
		times = append(times, time.Since(start))
		allocs = append(allocs, allocated()-before)
	}
	res.Median = median(times) / time.Duration(ops)
	res.Alloc = median(allocs) / uint64(ops)
	return res
}

// allocated is the total of bytes the Go heap ever handed out. The
// difference across a run is what the run allocated (garbage included),
// as testing.B's B/op counts it. ReadMemStats stops the world briefly, so
// it sits outside the timed part as far as possible.
func allocated() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// median works for durations and byte counts alike.
func median[T ~int64 | ~uint64](ds []T) T {
	s := append([]T(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// printTable writes name | median | alloc | ratio | target, with a heading
// line for each group, then the skip reasons and errors under the table.
func printTable(w io.Writer, results []result) {
	byName := map[string]result{}
	for _, r := range results {
		byName[r.Name] = r
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tmedian (per op)\talloc/op\tvs reference\ttarget\t")
	fmt.Fprintln(tw, "---------\t---------------\t--------\t------------\t------\t")
	var notes []string
	group := ""
	for _, r := range results {
		if r.Group != group {
			group = r.Group
			fmt.Fprintf(tw, "\t\t\t\t\t\n[%s]\t\t\t\t\t\n", group)
		}
		med, mem, ratio := "-", "-", "-"
		switch {
		case r.Skipped != "":
			med = "skipped"
			notes = append(notes, fmt.Sprintf("%s: skipped: %s", r.Name, r.Skipped))
		case r.Err != nil:
			med = "FAILED"
			notes = append(notes, fmt.Sprintf("%s: FAILED: %v", r.Name, r.Err))
		default:
			med = round(r.Median).String()
			ratio = ratioText(r, byName)
			if r.Mem {
				mem = bytesText(r.Alloc)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", r.Name, med, mem, ratio, r.Target)
	}
	tw.Flush()
	if len(notes) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, strings.Join(notes, "\n"))
	}
}

// ratioText is "1.00x (reference)" for a reference row, "0.05x <ref>" for
// a row whose reference was measured, and "-" otherwise.
func ratioText(r result, byName map[string]result) string {
	if r.Reference == "" {
		return "1.00x (reference)"
	}
	ref, ok := byName[r.Reference]
	if !ok || ref.Skipped != "" || ref.Err != nil || ref.Median == 0 {
		return "- (no reference)"
	}
	return ratioString(float64(r.Median)/float64(ref.Median)) + " of " + ref.Short()
}

// ratioString prints a ratio with three significant digits, so a fake
// thousands of times faster than the kernel does not print as "0.00x".
func ratioString(x float64) string {
	decimals := 2
	if x > 0 && x < 1 {
		decimals = 2 - int(math.Floor(math.Log10(x)))
	}
	return strconv.FormatFloat(x, 'f', decimals, 64) + "x"
}

// round keeps three significant digits or so, for a readable column.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(10 * time.Nanosecond)
	}
	return d
}

// bytesText prints a byte count in B, KiB or MiB with three digits or so.
func bytesText(b uint64) string {
	switch {
	case b >= 1<<20:
		return strconv.FormatFloat(float64(b)/(1<<20), 'f', 2, 64) + " MiB"
	case b >= 1<<10:
		return strconv.FormatFloat(float64(b)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatUint(b, 10) + " B"
}
