package main

import (
	"errors"
	"strings"
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
