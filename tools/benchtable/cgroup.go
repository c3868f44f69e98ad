// Removing the cgroups the benchmark's own fixtures made (runc's and the
// real Docker engine's parents, named dockerlab-bench-*), in every
// hierarchy: the v1 controllers (/sys/fs/cgroup/<controller>/NAME) and
// the v2 tree (/sys/fs/cgroup/NAME or /sys/fs/cgroup/unified/NAME).
// Reference docs/kernels.md §4: a cgroup is removed with
// rmdir once empty, children first.
package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const cgroupFS = "/sys/fs/cgroup"

// removeCgroup removes NAME and everything under it in every hierarchy.
// It refuses any name that is not the benchmark's own.
func removeCgroup(name string) {
	if !strings.HasPrefix(name, "dockerlab-bench-") || strings.Contains(name, "/") {
		return
	}
	tops := []string{filepath.Join(cgroupFS, name)}
	if entries, err := os.ReadDir(cgroupFS); err == nil {
		for _, e := range entries {
			if e.IsDir() {
				tops = append(tops, filepath.Join(cgroupFS, e.Name(), name))
			}
		}
	}
	for _, top := range tops {
		var dirs []string
		filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, path)
			}
			return nil
		})
		// Deepest first: a cgroup with children cannot be removed.
		sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
		for _, d := range dirs {
			os.Remove(d)
		}
	}
}
