package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMedian(t *testing.T) {
	ms := time.Millisecond
	assert.Equal(t, 2*ms, median([]time.Duration{3 * ms, 1 * ms, 2 * ms}))
	assert.Equal(t, 2500*time.Microsecond, median([]time.Duration{4 * ms, 1 * ms, 2 * ms, 3 * ms}))
}

func TestMeasureRunsWarmupPlusN(t *testing.T) {
	calls, cleaned := 0, false
	r := measure(row{Name: "x", Prepare: func() (func() error, func(), error) {
		return func() error { calls++; return nil }, func() { cleaned = true }, nil
	}}, 5)
	require.NoError(t, r.Err)
	assert.Equal(t, 6, calls, "one untimed warm-up, then 5 timed runs")
	assert.True(t, cleaned)
}

func TestMeasureSkipAndFailure(t *testing.T) {
	r := measure(row{Name: "s", Skip: func() string { return "needs root" }}, 3)
	assert.Equal(t, "needs root", r.Skipped)

	r = measure(row{Name: "f", Prepare: func() (func() error, func(), error) {
		return func() error { return errors.New("boom") }, nil, nil
	}}, 3)
	assert.ErrorContains(t, r.Err, "boom")
}

func TestPrintTable(t *testing.T) {
	results := []result{
		{row: row{Name: "ref"}, Median: 10 * time.Millisecond},
		{row: row{Name: "fast", Reference: "ref", Target: "≤ 2x"}, Median: 5 * time.Millisecond},
		{row: row{Name: "orphan", Reference: "skipped-ref"}, Median: time.Millisecond},
		{row: row{Name: "skipped-ref"}, Skipped: "needs root"},
		{row: row{Name: "broken"}, Err: errors.New("boom")},
	}
	var b strings.Builder
	printTable(&b, results)
	out := b.String()
	assert.Contains(t, out, "1.00x (reference)")
	assert.Contains(t, out, "0.500x of ref")
	assert.Contains(t, out, "≤ 2x")
	assert.Contains(t, out, "- (no reference)")
	assert.Contains(t, out, "skipped-ref: skipped: needs root")
	assert.Contains(t, out, "broken: FAILED: boom")
}

func TestRatioString(t *testing.T) {
	assert.Equal(t, "0.000116x", ratioString(0.000116))
	assert.Equal(t, "1.25x", ratioString(1.2468))
	assert.Equal(t, "0.500x", ratioString(0.5))
	assert.Equal(t, "0.0000457x", ratioString(0.0000457))
}

func TestFakeContractRowRuns(t *testing.T) {
	// The fake row needs nothing but the fake: it must work everywhere.
	for _, r := range contractRows() {
		if r.Reference == "" {
			continue
		}
		res := measure(r, 2)
		require.NoError(t, res.Err)
		assert.Positive(t, res.Median)
	}
}

func TestMeasurePerOpAndAlloc(t *testing.T) {
	var sink [][]byte
	r := measure(row{Name: "ops", Ops: 100, Mem: true, Prepare: func() (func() error, func(), error) {
		return func() error {
			for i := 0; i < 100; i++ {
				sink = append(sink, make([]byte, 1024))
			}
			sink = sink[:0]
			return nil
		}, nil, nil
	}}, 3)
	require.NoError(t, r.Err)
	assert.GreaterOrEqual(t, r.Alloc, uint64(1024), "each op allocates 1 KiB")
	assert.Less(t, r.Alloc, uint64(64*1024), "per op, not per run")
}

func TestPrintTableGroupsAndMemory(t *testing.T) {
	results := []result{
		{row: row{Group: "allocators", Name: "a", Mem: true}, Median: time.Microsecond, Alloc: 3 << 20},
		{row: row{Group: "allocators", Name: "b", Reference: "a"}, Median: time.Microsecond},
		{row: row{Group: "indexes", Name: "c"}, Median: time.Microsecond},
	}
	var b strings.Builder
	printTable(&b, results)
	out := b.String()
	assert.Equal(t, 1, strings.Count(out, "[allocators]"), "one heading per group")
	assert.Contains(t, out, "[indexes]")
	assert.Contains(t, out, "3.00 MiB")
	assert.Equal(t, "512 B", bytesText(512))
	assert.Equal(t, "1.5 KiB", bytesText(1536))
}

func TestFastRowsRun(t *testing.T) {
	// The engine and allocator rows need nothing but Go: they must work
	// everywhere (the graphdb and truncindex rows are slower; make bench).
	for _, r := range append(engineRows(), allocRows()...) {
		res := measure(r, 1)
		require.NoError(t, res.Err, r.Name)
		assert.Positive(t, res.Median, r.Name)
	}
}

func TestPrintTableSeveralReferencesAndTargets(t *testing.T) {
	ms := time.Millisecond
	results := []result{
		{row: row{Name: "runc", Key: "runc"}, Median: 100 * ms},
		{row: row{Name: "unshare", Key: "unshare"}, Median: 10 * ms},
		{row: row{Name: "jobs", Reference: "runc", Also: []string{"unshare"}, Target: "≤ 1x runc", Max: 1}, Median: 80 * ms},
		{row: row{Name: "slow", Reference: "runc", Target: "≤ 1x runc", Max: 1}, Median: 150 * ms},
		{row: row{Name: "ping", Reference: "unshare", Rate: true}, Median: 2 * ms},
	}
	var b strings.Builder
	printTable(&b, results)
	out := b.String()
	assert.Contains(t, out, "0.800x of runc; 8.00x of unshare")
	assert.Contains(t, out, "≤ 1x runc: met")
	assert.Contains(t, out, "≤ 1x runc: MISSED")
	assert.Contains(t, out, "2ms (500/s)")
}

func TestSizeRows(t *testing.T) {
	reads := 0
	r := measure(row{
		Name:    "rss",
		Target:  "< 100 MiB",
		Max:     100 << 20,
		Prepare: func() (func() error, func(), error) { return nil, nil, nil },
		Size:    func() (uint64, error) { reads++; return 50 << 20, nil },
	}, 3)
	require.NoError(t, r.Err)
	assert.Equal(t, 3, reads, "a size row is read once per run, no warm-up")
	assert.Equal(t, uint64(50<<20), r.Bytes)

	var b strings.Builder
	printTable(&b, []result{r})
	out := b.String()
	assert.Contains(t, out, "50.00 MiB")
	assert.Contains(t, out, "< 100 MiB: met")
	assert.NotContains(t, out, "(reference)")

	r = measure(row{
		Name:    "broken size",
		Prepare: func() (func() error, func(), error) { return nil, nil, nil },
		Size:    func() (uint64, error) { return 0, errors.New("no VmRSS") },
	}, 3)
	assert.ErrorContains(t, r.Err, "no VmRSS")
}

func TestSelectRows(t *testing.T) {
	all := []row{{Group: "container start", Name: "runc"}, {Group: "api", Name: "ping"}}
	got, err := selectRows(all, "")
	require.NoError(t, err)
	assert.Len(t, got, 2)
	got, err = selectRows(all, "^api$")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "ping", got[0].Name)
	_, err = selectRows(all, "(")
	assert.Error(t, err)
}

func TestOnExitRunsLastFirstOnce(t *testing.T) {
	var order []int
	onExit(func() { order = append(order, 1) })
	onExit(func() { order = append(order, 2) })
	runAtExit()
	runAtExit()
	assert.Equal(t, []int{2, 1}, order)
}

func TestRemoveCgroupRefusesOtherNames(t *testing.T) {
	// Only the benchmark's own names are ever removed; these return at
	// once without looking at /sys/fs/cgroup.
	removeCgroup("dockerlab")
	removeCgroup("dockerlab-bench-x/../../system.slice")
	removeCgroup("")
}

func TestPrintTableNotes(t *testing.T) {
	results := []result{
		{row: row{Name: "ping", Note: func() string { return "on the fake backend" }}, Median: time.Millisecond},
		{row: row{Name: "quiet", Note: func() string { return "" }}, Median: time.Millisecond},
		{row: row{Name: "skipped", Note: func() string { return "never shown" }}, Skipped: "needs root"},
	}
	var b strings.Builder
	printTable(&b, results)
	out := b.String()
	assert.Contains(t, out, "ping: on the fake backend")
	assert.NotContains(t, out, "quiet:")
	assert.NotContains(t, out, "never shown")
}

func TestMakeN(t *testing.T) {
	var mu sync.Mutex
	n := 0
	ids, err := makeN(25, func() (string, error) {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprint(n), nil
	})
	require.NoError(t, err)
	assert.Len(t, ids, 25)
	assert.Equal(t, 25, n)

	calls := 0
	_, err = makeN(1000, func() (string, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return "", errors.New("no image")
	})
	assert.ErrorContains(t, err, "no image")
	assert.Less(t, calls, 1000, "the first error stops the rest")
}
