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

	// Also names more reference rows; the ratio column shows one ratio
	// for each ("0.9x of runc; 1.8x of unshare").
	Also []string
	// Max, when set, is the target as a number: the ratio to Reference
	// (or, for a Size row, the byte count) must be at most Max. The
	// target column then says whether this run met it.
	Max float64
	// MaxTime, when set, is the target as an absolute time: the median
	// must be at most this long (a user waits for it: lab check).
	MaxTime time.Duration
	// Rate adds "(N/s)" after the median: for request rows, where the
	// figure people quote is a throughput.
	Rate bool
	// Size, when set, makes this a size row: after Prepare (whose run
	// function may be nil) Size is read once per run and the table shows
	// the median in bytes instead of a time (the daemon's resident memory).
	Size func() (uint64, error)
	// Note, when set, may add a line under the table about how this run
	// measured the row (e.g. on the fake backend because not root).
	Note func() string
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
	Bytes   uint64        // a Size row's median
	Alloc   uint64        // bytes allocated per operation (median), when Mem
	Skipped string
	Err     error
}

// progress, when set, is told each row's name before it runs and how
// long it took (preparation included) after: main points it at stderr,
// so a five-minute run shows where it is.
var progress io.Writer

func measureAll(rows []row, runs int) []result {
	var out []result
	for i, r := range rows {
		start := time.Now()
		if progress != nil {
			fmt.Fprintf(progress, "benchtable: [%d/%d] %s ...", i+1, len(rows), r.Name)
		}
		res := measure(r, runs)
		if progress != nil {
			state := "done"
			switch {
			case res.Skipped != "":
				state = "skipped"
			case res.Err != nil:
				state = "FAILED"
			}
			fmt.Fprintf(progress, " %s in %v\n", state, time.Since(start).Round(100*time.Millisecond))
		}
		out = append(out, res)
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
	if r.Size != nil {
		return measureSize(res, runs)
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

// measureSize reads a Size row `runs` times and keeps the median.
func measureSize(res result, runs int) result {
	sizes := make([]uint64, 0, runs)
	for i := 0; i < runs; i++ {
		n, err := res.Size()
		if err != nil {
			res.Err = fmt.Errorf("reading %d: %w", i+1, err)
			return res
		}
		sizes = append(sizes, n)
	}
	res.Bytes = median(sizes)
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
		case r.Size != nil:
			med = bytesText(r.Bytes)
			ratio = ratioText(r, byName)
		default:
			med = round(r.Median).String()
			if r.Rate && r.Median > 0 {
				med += fmt.Sprintf(" (%.0f/s)", float64(time.Second)/float64(r.Median))
			}
			ratio = ratioText(r, byName)
			if r.Mem {
				mem = bytesText(r.Alloc)
			}
		}
		if r.Note != nil && r.Skipped == "" {
			if note := r.Note(); note != "" {
				notes = append(notes, fmt.Sprintf("%s: %s", r.Name, note))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", r.Name, med, mem, ratio, targetText(r, byName))
	}
	tw.Flush()
	if len(notes) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, strings.Join(notes, "\n"))
	}
}

// ratioText is "1.00x (reference)" for a reference row, "0.05x of <ref>"
// for a row whose reference was measured (one ratio per reference, when
// the row names more with Also), and "- (no reference)" otherwise.
func ratioText(r result, byName map[string]result) string {
	if r.Reference == "" && r.Size != nil {
		return "-" // a size on its own (a reference is a row others name)
	}
	if r.Reference == "" {
		return "1.00x (reference)"
	}
	var parts []string
	for _, name := range append([]string{r.Reference}, r.Also...) {
		ref, ok := byName[name]
		if x, measured := ratio(r, ref); ok && measured {
			parts = append(parts, ratioString(x)+" of "+ref.Short())
		}
	}
	if len(parts) == 0 {
		return "- (no reference)"
	}
	return strings.Join(parts, "; ")
}

// ratio is r's figure over ref's, and false when either has none.
func ratio(r, ref result) (float64, bool) {
	if r.Skipped != "" || r.Err != nil || ref.Skipped != "" || ref.Err != nil {
		return 0, false
	}
	if r.Size != nil {
		if ref.Bytes == 0 {
			return 0, false
		}
		return float64(r.Bytes) / float64(ref.Bytes), true
	}
	if ref.Median == 0 {
		return 0, false
	}
	return float64(r.Median) / float64(ref.Median), true
}

// targetText is the row's Target, followed, when the row has a Max and a
// figure to hold against it, by whether this run met it.
func targetText(r result, byName map[string]result) string {
	if r.MaxTime > 0 && r.Target != "" && r.Skipped == "" && r.Err == nil {
		if r.Median <= r.MaxTime {
			return r.Target + ": met"
		}
		return r.Target + ": MISSED"
	}
	if r.Max == 0 || r.Target == "" || r.Skipped != "" || r.Err != nil {
		return r.Target
	}
	var value float64
	if r.Size != nil && r.Reference == "" {
		value = float64(r.Bytes)
	} else {
		x, ok := ratio(r, byName[r.Reference])
		if !ok {
			return r.Target
		}
		value = x
	}
	if value <= r.Max {
		return r.Target + ": met"
	}
	return r.Target + ": MISSED"
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
