// Command benchtable prints dockerlab's speed targets as a table (design.md
// "Testing": speed and memory targets live in benchmarks, never in timed
// tests). Each row is measured several times; the table shows the median
// and the ratio to a reference row measured in the same run, on the same
// machine, so the numbers mean something on any hardware.
//
//	make bench                       # builds the image, then runs this
//	benchtable -rootfs build/images/busybox-rootfs -n 7
//
// Rows that need root print why they were skipped. Adding a row is adding
// an entry to rows() (see rows_*.go).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

func main() {
	// The linux backend starts containers by re-executing this binary as
	// their init (book ch.13 dockerinit启动), so this must come first.
	if reexec.Init() {
		return
	}
	rootfs := flag.String("rootfs", "build/images/busybox-rootfs", "busybox root filesystem for the container rows (make images)")
	n := flag.Int("n", 7, "runs per row; the table shows the median")
	flag.Parse()
	if *n < 1 {
		fmt.Fprintln(os.Stderr, "benchtable: -n must be at least 1")
		os.Exit(2)
	}
	cfg := config{Rootfs: *rootfs, Runs: *n}
	results := measureAll(rows(cfg), cfg.Runs)
	printTable(os.Stdout, results)
	for _, r := range results {
		if r.Err != nil {
			os.Exit(1)
		}
	}
}

// config is what rows may need to know.
type config struct {
	Rootfs string
	Runs   int
}

// rows lists every measurement, references before the rows compared with
// them.
func rows(cfg config) []row {
	var all []row
	all = append(all, contractRows()...)
	all = append(all, startRows(cfg)...)
	all = append(all, engineRows()...)
	all = append(all, allocRows()...)
	all = append(all, indexRows()...)
	return all
}
